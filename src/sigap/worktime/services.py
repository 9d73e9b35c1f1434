"""Use cases that change working-time data: seeding holidays and default schedules,
and the demo's schedules, Ramadan periods and shift rotation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from sigap.org.models import Agency, Employee
from sigap.worktime import rules
from sigap.worktime.holidays import national_holiday_names
from sigap.worktime.models import (
    Holiday,
    HolidayKind,
    HolidaySource,
    Period,
    RamadanPeriod,
    ScheduleVersion,
    Shift,
    ShiftAssignment,
    WeeklyHours,
)
from sigap.worktime.selectors import calendar_changed

CUTI_BERSAMA_PREFIX = "Cuti Bersama"
PACKAGE_NAME_SEPARATOR = "; "  # the holidays package joins two holidays on one date
DEMO_SCHEDULE_FROM = dt.date(2020, 1, 1)
DEMO_RAMADAN = (
    (dt.date(2026, 2, 18), dt.date(2026, 3, 19)),
    (dt.date(2027, 2, 8), dt.date(2027, 3, 9)),
)
DEMO_SHIFTS = (
    ("PAGI", "Shift pagi", dt.time(7, 0), dt.time(14, 0)),
    ("SIANG", "Shift siang", dt.time(14, 0), dt.time(21, 0)),
    ("MALAM", "Shift malam", dt.time(21, 0), dt.time(7, 0)),
)
DEMO_ROTATION = ("PAGI", "PAGI", "SIANG", "SIANG", "MALAM", None, None)
BATCH_SIZE = 2000


def holiday_kind(name: str) -> str:
    if name.startswith(CUTI_BERSAMA_PREFIX):
        return HolidayKind.CUTI_BERSAMA
    return HolidayKind.NATIONAL


def holidays_seed(*, agency: Agency, year: int) -> int:
    """Create the agency's national holidays and cuti bersama of `year` from the
    `holidays` package. Idempotent: a holiday already present (active or removed by
    the admin, at its package date or moved elsewhere) is never created again, and
    ADMIN rows are never touched. Returns how many rows were created."""
    existing = Holiday.objects.filter(agency=agency)
    seen: set[tuple[dt.date | None, str]] = set(
        existing.filter(date__year=year).values_list("date", "name")
    )
    seen |= set(existing.filter(package_date__year=year).values_list("package_date", "name"))
    new = []
    for day, names in national_holiday_names(year).items():
        for name in names.split(PACKAGE_NAME_SEPARATOR):
            if (day, name) in seen:
                continue
            seen.add((day, name))
            new.append(
                Holiday(
                    agency=agency,
                    date=day,
                    name=name,
                    kind=holiday_kind(name),
                    source=HolidaySource.PACKAGE,
                    package_date=day,
                )
            )
    with transaction.atomic():
        Holiday.objects.bulk_create(new)
    if new:
        calendar_changed(agency.pk)
    return len(new)


def schedule_defaults_seed(*, agency: Agency, effective_from: dt.date) -> ScheduleVersion:
    """A schedule version with the shipped normal and Ramadan weeks (idempotent: rows
    that already exist are kept as they are)."""
    with transaction.atomic():
        version, _created = ScheduleVersion.objects.get_or_create(
            agency=agency, effective_from=effective_from
        )
        have = set(version.weekly_hours.values_list("period", "weekday"))
        tables = (
            (Period.NORMAL, rules.DEFAULT_WEEKLY),
            (Period.RAMADAN, rules.DEFAULT_RAMADAN_WEEKLY),
        )
        WeeklyHours.objects.bulk_create(
            [
                WeeklyHours(
                    version=version,
                    period=period,
                    weekday=weekday,
                    start=hours.start,
                    end=hours.end,
                    break_minutes=hours.break_minutes,
                )
                for period, table in tables
                for weekday, hours in table.items()
                if (period, weekday) not in have
            ]
        )
    calendar_changed(agency.pk)
    return version


@dataclass(frozen=True, slots=True)
class DemoWorktime:
    holidays: int
    shifts: int
    assignments: int


def seed_worktime_demo(
    *, agency: Agency, year: int, today: dt.date, days_around: int = 35
) -> DemoWorktime:
    """The demo's calendar: default schedule, holidays of year-1..year+1, Ramadan
    2026/2027, three shifts, and a shift rotation for every employee of a shift-based
    unit from `today - days_around` to `today + days_around`. Idempotent."""
    with transaction.atomic():
        schedule_defaults_seed(agency=agency, effective_from=DEMO_SCHEDULE_FROM)
        holidays = sum(holidays_seed(agency=agency, year=y) for y in (year - 1, year, year + 1))
        for start, end in DEMO_RAMADAN:
            RamadanPeriod.objects.get_or_create(
                agency=agency, start=start, defaults={"end": end, "note": "Demo"}
            )
        shifts = _demo_shifts(agency)
        first = today - dt.timedelta(days=days_around)
        last = today + dt.timedelta(days=days_around)
        assignments = shift_rotation_seed(agency=agency, shifts=shifts, first=first, last=last)
    calendar_changed(agency.pk)
    return DemoWorktime(holidays=holidays, shifts=len(shifts), assignments=assignments)


def _demo_shifts(agency: Agency) -> dict[str, Shift]:
    shifts = {}
    for code, name, start, end in DEMO_SHIFTS:
        shift, _created = Shift.objects.get_or_create(
            agency=agency, code=code, defaults={"name": name, "start": start, "end": end}
        )
        shifts[code] = shift
    return shifts


def shift_rotation_seed(
    *, agency: Agency, shifts: dict[str, Shift], first: dt.date, last: dt.date
) -> int:
    """Assign DEMO_ROTATION to the active employees of shift-based units on
    first..last. Each employee of a unit starts at a different point of the rotation
    (so a unit of at least 7 people has every shift staffed every day); the rotation
    is anchored on the calendar, so re-running with another window continues it.
    Existing assignments are kept. Returns how many rows were created."""
    staff = (
        Employee.objects.filter(agency=agency, active=True, unit__shift_based=True)
        .order_by("unit_id", "pk")
        .values_list("pk", "unit_id")
    )
    offsets: dict[int, int] = {}
    rows = []
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    for employee_id, unit_id in staff:
        offset = offsets.get(unit_id, 0)
        offsets[unit_id] = offset + 1
        for day in days:
            code = DEMO_ROTATION[(day.toordinal() + offset) % len(DEMO_ROTATION)]
            if code is not None:
                rows.append(ShiftAssignment(employee_id=employee_id, date=day, shift=shifts[code]))
    before = ShiftAssignment.objects.filter(employee__agency=agency).count()
    ShiftAssignment.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return ShiftAssignment.objects.filter(employee__agency=agency).count() - before
