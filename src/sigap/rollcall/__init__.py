"""Roll call (apel): sessions, each OPD's report, employees' attendance, the live board."""
