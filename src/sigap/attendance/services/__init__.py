"""Attendance use cases (writes). One module per concern; import from here."""

from sigap.attendance.services.check_in import (
    CheckInCommand,
    CheckInOutcome,
    CheckInRefused,
    attendance_check_in,
)
from sigap.attendance.services.days import (
    CloseResult,
    attendance_close_day,
    attendance_day_recompute,
    day_apply_event,
)
from sigap.attendance.services.review import check_in_review

__all__ = [
    "CheckInCommand",
    "CheckInOutcome",
    "CheckInRefused",
    "CloseResult",
    "attendance_check_in",
    "attendance_close_day",
    "attendance_day_recompute",
    "check_in_review",
    "day_apply_event",
]
