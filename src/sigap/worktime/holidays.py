"""National holidays and cuti bersama from the `holidays` package (country ID)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays as holidays_lib


@cache
def national_holiday_names(year: int) -> dict[dt.date, str]:
    """Public holidays and cuti bersama (category 'government') of Indonesia for `year`."""
    calendar = holidays_lib.country_holidays(
        "ID", years=[year], categories=("public", "government"), language="id"
    )
    return dict(sorted(calendar.items()))


def national_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(national_holiday_names(year))
