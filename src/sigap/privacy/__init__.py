"""Personal data (UU 27/2022, DOMAIN.md section 10): the access log, retention, masking,
subject exports and breach listings. A low layer (just above org): apps above register
what they hold (retention rules, export sections, breach categories) in `registry`."""
