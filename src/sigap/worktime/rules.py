"""Working-time rules (DOMAIN.md section 1). Pure: no Django, no clock.

Everything here takes plain values (a `WorkCalendar` of one agency and schedule
version, an optional `ShiftSpec`) and returns plain values. Datetimes are aware and
expressed in the zone of the employee's office; arithmetic on instants is done in
UTC so that zones with daylight saving would also be handled correctly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

UTC = dt.UTC
WEEKEND = (5, 6)  # Saturday, Sunday
OFFICE_WINDOW_START = dt.time(5, 0)
OFFICE_WINDOW_END = dt.time(23, 59)


class Reason(StrEnum):
    """Why a day is (not) a working day. Members compare equal to their string."""

    OFFICE = "office"
    RAMADAN = "ramadan"
    SHIFT = "shift"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    NO_SHIFT = "no_shift"


@dataclass(frozen=True, slots=True)
class DayHours:
    start: dt.time
    end: dt.time
    break_minutes: int

    @property
    def minutes(self) -> int:
        """Working minutes of the day, excluding the break."""
        span = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        return span - self.break_minutes


@dataclass(frozen=True, slots=True)
class ShiftSpec:
    code: str
    name: str
    start: dt.time
    end: dt.time  # end <= start means the shift crosses midnight (ends next day)
    break_minutes: int = 0
    early_window_minutes: int = 120  # check-in accepted from start - this
    late_window_minutes: int = 240  # check-in/out accepted until end + this

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Plain values for one agency and one schedule version."""

    zone: str  # IANA zone of the employee's office
    weekly: Mapping[int, DayHours]  # weekday (0=Mon) -> hours; missing = not a working day
    ramadan_weekly: Mapping[int, DayHours]
    ramadan_ranges: tuple[tuple[dt.date, dt.date], ...]  # inclusive
    holidays: frozenset[dt.date]
    window_start: dt.time = OFFICE_WINDOW_START  # office check-in window (local)
    window_end: dt.time = OFFICE_WINDOW_END  # inclusive up to 23:59:59.999999


@dataclass(frozen=True, slots=True)
class DaySchedule:
    date: dt.date
    zone: str
    working: bool
    reason: str  # a Reason value
    start: dt.datetime | None  # aware, in `zone`
    end: dt.datetime | None  # aware; for a night shift on the next calendar day
    window_start: dt.datetime | None  # aware; when check-ins for this work day are accepted
    window_end: dt.datetime | None  # aware; inclusive
    break_minutes: int = 0
    shift_code: str | None = None

    @property
    def planned_minutes(self) -> int:
        if not self.working or self.start is None or self.end is None:
            return 0
        return max(0, minutes_between(self.start, self.end) - self.break_minutes)

    def in_window(self, at: dt.datetime) -> bool:
        """Whether check-ins/outs at `at` (aware, any zone) are accepted for this day."""
        if self.window_start is None or self.window_end is None:
            return False
        return self.window_start <= at <= self.window_end


DEFAULT_WEEKLY: Mapping[int, DayHours] = MappingProxyType(
    {
        **{day: DayHours(dt.time(7, 30), dt.time(16, 0), 60) for day in range(4)},
        4: DayHours(dt.time(7, 30), dt.time(16, 30), 90),
    }
)
DEFAULT_RAMADAN_WEEKLY: Mapping[int, DayHours] = MappingProxyType(
    {
        **{day: DayHours(dt.time(8, 0), dt.time(15, 0), 30) for day in range(4)},
        4: DayHours(dt.time(8, 0), dt.time(15, 30), 60),
    }
)
_NO_SHIFTS: Mapping[dt.date, ShiftSpec | None] = MappingProxyType({})


def default_calendar(
    zone: str,
    *,
    holidays: Collection[dt.date] = (),
    ramadan_ranges: tuple[tuple[dt.date, dt.date], ...] = (),
) -> WorkCalendar:
    """The shipped defaults (Perpres 21/2023) for an agency that has set nothing."""
    return WorkCalendar(
        zone=zone,
        weekly=dict(DEFAULT_WEEKLY),
        ramadan_weekly=dict(DEFAULT_RAMADAN_WEEKLY),
        ramadan_ranges=ramadan_ranges,
        holidays=frozenset(holidays),
    )


def weekly_minutes(weekly: Mapping[int, DayHours]) -> int:
    """Working minutes of a weekly table, excluding breaks (37.5 h = 2250 by default)."""
    return sum(hours.minutes for hours in weekly.values())


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes between two aware instants (computed in UTC, so DST-safe)."""
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)


def is_ramadan(day: dt.date, calendar: WorkCalendar) -> bool:
    return any(first <= day <= last for first, last in calendar.ramadan_ranges)


def day_schedule(
    day: dt.date,
    calendar: WorkCalendar,
    *,
    shift_based: bool = False,
    shift: ShiftSpec | None = None,
) -> DaySchedule:
    """The plan for one employee on `day`.

    Office employees follow the weekly table (the Ramadan one inside a Ramadan
    range); weekdays missing from the table are weekends, and a holiday only stops
    a day that would otherwise be working. Shift-based employees work exactly on the
    dates with an assigned shift, weekends and holidays included; `shift` is ignored
    for office employees.
    """
    if shift_based:
        return _shift_day(day, calendar.zone, shift)
    return _office_day(day, calendar)


def _office_day(day: dt.date, calendar: WorkCalendar) -> DaySchedule:
    ramadan = is_ramadan(day, calendar)
    table = calendar.ramadan_weekly if ramadan else calendar.weekly
    hours = table.get(day.weekday())
    if hours is None or day in calendar.holidays:
        reason = Reason.WEEKEND if hours is None else Reason.HOLIDAY
        return _off_day(day, calendar.zone, reason)
    zone = ZoneInfo(calendar.zone)
    last_minute = calendar.window_end.replace(second=59, microsecond=999_999)
    return DaySchedule(
        date=day,
        zone=calendar.zone,
        working=True,
        reason=(Reason.RAMADAN if ramadan else Reason.OFFICE).value,
        start=dt.datetime.combine(day, hours.start, tzinfo=zone),
        end=dt.datetime.combine(day, hours.end, tzinfo=zone),
        window_start=dt.datetime.combine(day, calendar.window_start, tzinfo=zone),
        window_end=dt.datetime.combine(day, last_minute, tzinfo=zone),
        break_minutes=hours.break_minutes,
    )


def _shift_day(day: dt.date, zone_name: str, shift: ShiftSpec | None) -> DaySchedule:
    if shift is None:
        return _off_day(day, zone_name, Reason.NO_SHIFT)
    zone = ZoneInfo(zone_name)
    end_day = day + dt.timedelta(days=1) if shift.crosses_midnight else day
    start = dt.datetime.combine(day, shift.start, tzinfo=zone)
    end = dt.datetime.combine(end_day, shift.end, tzinfo=zone)
    return DaySchedule(
        date=day,
        zone=zone_name,
        working=True,
        reason=Reason.SHIFT.value,
        start=start,
        end=end,
        window_start=_add_minutes(start, -shift.early_window_minutes),
        window_end=_add_minutes(end, shift.late_window_minutes),
        break_minutes=shift.break_minutes,
        shift_code=shift.code,
    )


def _off_day(day: dt.date, zone: str, reason: Reason) -> DaySchedule:
    return DaySchedule(
        date=day,
        zone=zone,
        working=False,
        reason=reason.value,
        start=None,
        end=None,
        window_start=None,
        window_end=None,
    )


def _add_minutes(at: dt.datetime, minutes: int) -> dt.datetime:
    """`at` moved by elapsed minutes (not wall-clock minutes), kept in its zone."""
    return (at.astimezone(UTC) + dt.timedelta(minutes=minutes)).astimezone(at.tzinfo)


def work_date_for(
    at: dt.datetime,
    calendar: WorkCalendar,
    *,
    shift_based: bool = False,
    shifts: Mapping[dt.date, ShiftSpec | None] = _NO_SHIFTS,
) -> dt.date:
    """The work date an event at `at` (aware, any zone) belongs to.

    The local date in the calendar's zone, except for a shift-based employee while
    the window of the previous day's shift (a night shift, or a late check-out past
    midnight) still contains `at`: that event belongs to the day the shift began.
    """
    if at.tzinfo is None:
        raise ValueError("work_date_for() needs an aware datetime")
    local_day = at.astimezone(ZoneInfo(calendar.zone)).date()
    if shift_based:
        previous = local_day - dt.timedelta(days=1)
        shift = shifts.get(previous)
        if shift is not None:
            schedule = _shift_day(previous, calendar.zone, shift)
            if schedule.in_window(at):
                return previous
    return local_day


def working_days(start: dt.date, end: dt.date, calendar: WorkCalendar) -> list[dt.date]:
    """Office working days from `start` to `end` inclusive (weekends, holidays excluded)."""
    days = []
    day = start
    while day <= end:
        if _office_day(day, calendar).working:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def is_office_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    """Monday-Friday and not a holiday (the default week; see `day_schedule`)."""
    return day.weekday() not in WEEKEND and day not in holidays


def previous_working_day_or_same(day: dt.date, holidays: Collection[dt.date] = ()) -> dt.date:
    """`day` if it is a working day, else the latest working day before it."""
    while not is_office_working_day(day, holidays):
        day -= dt.timedelta(days=1)
    return day
