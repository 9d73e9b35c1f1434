"""Working-time rules (DOMAIN.md section 1). Pure: no Django, no clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

WEEKEND = (5, 6)  # Saturday, Sunday


def is_office_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def previous_working_day_or_same(day: dt.date, holidays: Collection[dt.date] = ()) -> dt.date:
    """`day` if it is a working day, else the latest working day before it."""
    while not is_office_working_day(day, holidays):
        day -= dt.timedelta(days=1)
    return day
