"""Work-arrangement use cases (writes). One module per concern; import from here."""

from sigap.arrangements.services.flexible import flexible_work_apply, flexible_work_decide
from sigap.arrangements.services.generate import GenerationReport, roster_generate
from sigap.arrangements.services.roster import (
    RosterRefused,
    roster_apply_absence,
    roster_recall,
    roster_release_absence,
    roster_set,
)

__all__ = [
    "GenerationReport",
    "RosterRefused",
    "flexible_work_apply",
    "flexible_work_decide",
    "roster_apply_absence",
    "roster_generate",
    "roster_recall",
    "roster_release_absence",
    "roster_set",
]
