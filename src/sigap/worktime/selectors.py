"""Read queries for working time: the agency calendar (cached) and employees' days.

`calendar_for` caches the plain values of an agency's calendar per year under a key
that contains the agency's calendar *generation*, a random token that
`calendar_changed(agency_id)` replaces after every edit (services and admin call
it). Stale entries are never read again and expire after CACHE_SECONDS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.cache import cache

from sigap.core.generations import LocalMemo, bump, generation
from sigap.org.models import Agency, Employee
from sigap.org.selectors import office_info_for
from sigap.worktime import rules
from sigap.worktime.models import (
    Holiday,
    HolidayKind,
    Period,
    RamadanPeriod,
    ScheduleVersion,
    Shift,
    ShiftAssignment,
)

CACHE_SECONDS = 300
HOLIDAY_YEARS_AROUND = 1  # holidays of day.year - 1 .. day.year + 1 are loaded


@dataclass(frozen=True, slots=True)
class _Version:
    effective_from: dt.date
    window_start: dt.time
    window_end: dt.time
    weekly: dict[int, rules.DayHours]
    ramadan_weekly: dict[int, rules.DayHours]


@dataclass(frozen=True, slots=True)
class _Bundle:
    """What the cache holds: an agency's calendar values around one year."""

    versions: tuple[_Version, ...]  # newest first
    ramadan_ranges: tuple[tuple[dt.date, dt.date], ...]
    holidays: frozenset[dt.date]


def calendar_generation(agency_id: int) -> str:
    """The agency's current calendar generation (see sigap.core.generations)."""
    return generation("calendar", agency_id)


def calendar_changed(agency_id: int) -> None:
    """Call after any edit of an agency's schedules, Ramadan periods, holidays or shifts."""
    bump("calendar", agency_id)


def calendar_for(*, agency: Agency, day: dt.date, zone: str) -> rules.WorkCalendar:
    """The agency's calendar in force on `day`, for an office in `zone`.

    At most 3 queries on a cold cache, none on a warm one. Without any schedule
    version in force the shipped defaults apply; a version without rows for a
    period (normal or Ramadan) uses the shipped defaults for that period.
    """
    return _calendar(agency.pk, day, zone)


def _calendar(agency_id: int, day: dt.date, zone: str) -> rules.WorkCalendar:
    key = f"worktime:calendar:{agency_id}:{calendar_generation(agency_id)}:{day.year}"
    bundle = _bundles.get_or_load(key, lambda: _shared_bundle(key, agency_id, day.year))
    version = next((v for v in bundle.versions if v.effective_from <= day), None)
    if version is None:
        return rules.default_calendar(
            zone, holidays=bundle.holidays, ramadan_ranges=bundle.ramadan_ranges
        )
    return rules.WorkCalendar(
        zone=zone,
        weekly=version.weekly,
        ramadan_weekly=version.ramadan_weekly,
        ramadan_ranges=bundle.ramadan_ranges,
        holidays=bundle.holidays,
        window_start=version.window_start,
        window_end=version.window_end,
    )


_bundles = LocalMemo(size=64)


def _shared_bundle(key: str, agency_id: int, year: int) -> _Bundle:
    bundle = cache.get(key)
    if bundle is None:
        bundle = _load_bundle(agency_id, year)
        cache.set(key, bundle, CACHE_SECONDS)
    return bundle


def _load_bundle(agency_id: int, year: int) -> _Bundle:
    rows = (
        ScheduleVersion.objects.filter(agency_id=agency_id)
        .order_by("-effective_from")
        .values_list(
            "effective_from",
            "window_start",
            "window_end",
            "weekly_hours__period",
            "weekly_hours__weekday",
            "weekly_hours__start",
            "weekly_hours__end",
            "weekly_hours__break_minutes",
        )
    )
    ramadan = RamadanPeriod.objects.filter(agency_id=agency_id).order_by("start")
    holidays = Holiday.objects.filter(
        agency_id=agency_id,
        active=True,
        date__year__gte=year - HOLIDAY_YEARS_AROUND,
        date__year__lte=year + HOLIDAY_YEARS_AROUND,
    )
    return _Bundle(
        versions=_versions(list(rows)),
        ramadan_ranges=tuple(ramadan.values_list("start", "end")),
        holidays=frozenset(holidays.values_list("date", flat=True)),
    )


def _versions(rows: list[tuple]) -> tuple[_Version, ...]:
    """One _Version per schedule version from the LEFT JOIN rows (newest first)."""
    tables: dict[tuple, dict[str, dict[int, rules.DayHours]]] = {}
    for effective_from, win_start, win_end, period, weekday, start, end, pause in rows:
        table = tables.setdefault((effective_from, win_start, win_end), {})
        if period is not None:
            table.setdefault(period, {})[weekday] = rules.DayHours(start, end, pause)
    return tuple(
        _Version(
            effective_from=head[0],
            window_start=head[1],
            window_end=head[2],
            weekly=table.get(Period.NORMAL) or dict(rules.DEFAULT_WEEKLY),
            ramadan_weekly=table.get(Period.RAMADAN) or dict(rules.DEFAULT_RAMADAN_WEEKLY),
        )
        for head, table in tables.items()
    )


def shift_spec(shift: Shift) -> rules.ShiftSpec:
    return rules.ShiftSpec(
        code=shift.code,
        name=shift.name,
        start=shift.start,
        end=shift.end,
        break_minutes=shift.break_minutes,
        early_window_minutes=shift.early_window_minutes,
        late_window_minutes=shift.late_window_minutes,
    )


def employee_zone(employee: Employee) -> str:
    """The IANA zone of the employee's office (lateness is always computed in it)."""
    office = office_info_for(employee)
    return office.time_zone if office is not None else employee.agency.time_zone


def employee_shifts(*, employee: Employee, days: list[dt.date]) -> dict[dt.date, rules.ShiftSpec]:
    """The employee's assigned shifts on `days` (one query)."""
    assignments = ShiftAssignment.objects.filter(
        employee_id=employee.pk, date__in=days
    ).select_related("shift")
    return {a.date: shift_spec(a.shift) for a in assignments}


def employee_day_schedule(
    *, employee: Employee, day: dt.date, zone: str | None = None
) -> rules.DaySchedule:
    """The employee's plan for `day`: office hours, or their shift that day."""
    zone = zone or employee_zone(employee)
    calendar = _calendar(employee.agency_id, day, zone)
    if not employee.unit.shift_based:
        return rules.day_schedule(day, calendar)
    shift = employee_shifts(employee=employee, days=[day]).get(day)
    return rules.day_schedule(day, calendar, shift_based=True, shift=shift)


def employee_work_date(*, employee: Employee, at: dt.datetime) -> dt.date:
    """The work date an event at `at` belongs to (a night shift's check-out after
    midnight belongs to the day the shift began)."""
    zone = employee_zone(employee)
    local_day = at.astimezone(ZoneInfo(zone)).date()
    calendar = _calendar(employee.agency_id, local_day, zone)
    if not employee.unit.shift_based:
        return rules.work_date_for(at, calendar)
    days = [local_day - dt.timedelta(days=1), local_day]
    shifts = employee_shifts(employee=employee, days=days)
    return rules.work_date_for(at, calendar, shift_based=True, shifts=shifts)


def cuti_bersama_days(*, agency: Agency, year: int) -> list[dt.date]:
    """The active cuti bersama days of `year` (they reduce annual leave balances)."""
    rows = Holiday.objects.filter(
        agency_id=agency.pk, kind=HolidayKind.CUTI_BERSAMA, active=True, date__year=year
    )
    return sorted(set(rows.values_list("date", flat=True)))
