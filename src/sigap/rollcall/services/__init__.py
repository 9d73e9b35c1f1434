"""Roll-call writes: sessions (ad hoc and from series), the pre-fill at the cut-off,
attendance from check-ins and the unit head's marks, confirmations and logged corrections."""

from sigap.rollcall.services.reports import (
    participation_mark,
    participations_from_check_ins,
    rollcall_prefill,
    unit_report_confirm,
    unit_report_correct,
)
from sigap.rollcall.services.sessions import (
    SessionSpec,
    rollcall_create,
    rollcall_series_ensure_defaults,
    rollcalls_create_due,
)

__all__ = [
    "SessionSpec",
    "participation_mark",
    "participations_from_check_ins",
    "rollcall_create",
    "rollcall_prefill",
    "rollcall_series_ensure_defaults",
    "rollcalls_create_due",
    "unit_report_confirm",
    "unit_report_correct",
]
