"""Calendar arithmetic of requests (DOMAIN.md sections 1 and 4). Pure: standard library only.

Periods of months, working days between two dates and the monthly clarification lock.
The caller passes the holidays (and the weekend, Saturday and Sunday by default); no
clock is read here: `month_locked` takes `today`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection

WEEKEND: tuple[int, ...] = (5, 6)  # date.weekday(): Saturday, Sunday


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later; the 1st of the following month when
    that day does not exist there (31 Jan + 1 -> 1 Mar; 29 Feb 2024 + 12 -> 1 Mar 2025)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return dt.date(year, month, day.day)
    return dt.date(*_next_month(year, month), 1)


def period_end(start: dt.date, *, months: int) -> dt.date:
    """The last day of a period of `months` calendar months starting on `start`."""
    return months_after(start, months) - dt.timedelta(days=1)


def months_touched(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """The (year, month) pairs from start to end inclusive; none when end < start."""
    months: list[tuple[int, int]] = []
    current, last = (start.year, start.month), (end.year, end.month)
    while start <= end and current <= last:
        months.append(current)
        current = _next_month(*current)
    return months


def working_days(
    start: dt.date,
    end: dt.date,
    *,
    holidays: Collection[dt.date],
    weekend: Collection[int] = WEEKEND,
) -> list[dt.date]:
    """The working days from start to end inclusive (weekends and holidays excluded)."""
    span = (end - start).days + 1
    days = (start + dt.timedelta(days=n) for n in range(max(0, span)))
    return [day for day in days if day.weekday() not in weekend and day not in holidays]


def working_days_between(
    start: dt.date,
    end: dt.date,
    *,
    holidays: Collection[dt.date],
    weekend: Collection[int] = WEEKEND,
) -> int:
    """How many working days from start to end inclusive; 0 when end < start."""
    return len(working_days(start, end, holidays=frozenset(holidays), weekend=weekend))


# --- month close ---------------------------------------------------------------


def clarification_deadline(
    year: int,
    month: int,
    *,
    holidays: Collection[dt.date],
    nth_working_day: int = 3,
    weekend: Collection[int] = WEEKEND,
) -> dt.date:
    """The last day to clarify `month`: the nth working day of the next month."""
    if nth_working_day < 1:
        raise ValueError("nth_working_day starts at 1")
    first = dt.date(*_next_month(year, month), 1)
    days = working_days(
        first, first + dt.timedelta(days=366), holidays=frozenset(holidays), weekend=weekend
    )
    if len(days) < nth_working_day:
        raise ValueError("no such working day within a year")
    return days[nth_working_day - 1]


def month_locked(
    year: int,
    month: int,
    *,
    today: dt.date,
    holidays: Collection[dt.date],
    nth_working_day: int = 3,
    reopened: bool = False,
) -> bool:
    """Is the month closed to requests and corrections? From the day after its
    clarification deadline, unless HR reopened it."""
    if reopened:
        return False
    deadline = clarification_deadline(
        year, month, holidays=holidays, nth_working_day=nth_working_day
    )
    return today > deadline
