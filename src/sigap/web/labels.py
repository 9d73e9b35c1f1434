"""Plain-language labels of the day codes (one place for pages and the phone app)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sigap.attendance.labels import CODE_LEGEND

__all__ = ["CODE_LEGEND", "day_label"]


def day_label(status: str, late_minutes: int = 0, early_minutes: int = 0) -> str:
    """'Terlambat 12 menit (TL1)' and the like."""
    if status.startswith("TL") and late_minutes:
        return _("Late %(m)d minutes (%(code)s)") % {"m": late_minutes, "code": status}
    if status.startswith("PSW") and early_minutes:
        return _("Left %(m)d minutes early (%(code)s)") % {"m": early_minutes, "code": status}
    return f"{CODE_LEGEND.get(status, status)} ({status})"
