"""The monthly attendance report of a unit (with its subtree), in the layout HR offices use:
one row per employee (No, NIP, name, position), one cell per day with the day's code, then
the totals per code, the late and early minutes and the TPP discipline deduction.

- A day with an attendance row shows its main status; a day without one is what the
  attendance rules say of it in the employee's own zone (`attendance.selectors.day_view`):
  LIBUR on days off, TK on past working days, BELUM (shown blank) until the day is over.
- Totals count every code of a day (a day with ["TL2", "PSW1"] adds one TL2 and one PSW1).
  "H" counts the days present: HADIR plus the days with a TL or PSW code (they always have a
  check-in or a check-out); "HK" counts the working days (every day that is not LIBUR).
- The TPP discipline deduction is the employee's monthly TPP statement's deduction (% of
  the discipline part, `sigap.discipline.statements`): stored statements are read, the
  missing ones computed first (one call for the whole unit). It is provisional while the
  month is open and frozen once it is locked. A month that has not begun has none (None,
  printed "-"). The statement counts the stored attendance days only: a past working day
  without a row shows TK here (computed) but deducts nothing until the day is closed.
- The day columns are shaded when the day is off in the calendar of the unit's office
  (weekends and holidays).

Bounded: the unit (with agency and head), the employees, their attendance rows and their
shift assignments (shift units only) are one query each; the statements are three when
stored (plus a bounded number to compute the missing ones); the unit tree, the office map
and the calendar are cached. Schedules and computed days are memoised per zone and day.
"""

from __future__ import annotations

import calendar as calendar_lib
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from sigap.attendance.models import AttendanceDay
from sigap.attendance.rules import Code
from sigap.attendance.selectors import day_view
from sigap.core import clock
from sigap.discipline.statements import statements_ensure
from sigap.org.models import Agency, Employee, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import office_map, unit_children_map
from sigap.worktime.models import ShiftAssignment
from sigap.worktime.rules import DaySchedule, ShiftSpec, day_schedule
from sigap.worktime.selectors import calendar_for, shift_spec

PRESENT = "H"
WORKING_DAYS = "HK"
PRESENT_CODES = frozenset(
    {Code.HADIR, Code.TL1, Code.TL2, Code.TL3, Code.TL4}
    | {Code.PSW1, Code.PSW2, Code.PSW3, Code.PSW4}
)
TOTAL_COLUMNS: tuple[str, ...] = (
    WORKING_DAYS,
    PRESENT,
    *(f"TL{n}" for n in range(1, 5)),
    *(f"PSW{n}" for n in range(1, 5)),
    Code.TK,
    Code.DL,
    Code.CT,
    Code.CB,
    Code.CS,
    Code.CM,
    Code.CAP,
    Code.CBER,
    Code.CLTN,
    Code.SAKIT,
    Code.IZIN,
    Code.TB,
)


@dataclass(frozen=True, slots=True)
class DayColumn:
    date: dt.date
    off: bool  # a weekend or holiday in the unit's office calendar (shaded)
    holiday: bool


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    number: int
    nip: str
    name: str
    position: str
    unit: str
    codes: tuple[str, ...]  # the main status of each day of the month
    totals: dict[str, int]  # TOTAL_COLUMNS -> count
    late_minutes: int
    early_minutes: int
    deduction_pct: float | None  # TPP discipline deduction (%); None for a month not begun


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    agency: Agency
    unit: Unit
    year: int
    month: int
    days: list[DayColumn]
    rows: list[EmployeeRow]
    head_name: str
    head_nip: str


def display_code(status: str) -> str:
    """What a day cell shows: LIBUR as "-", BELUM (not decided yet) blank."""
    if status == Code.LIBUR:
        return "-"
    if status == Code.BELUM:
        return ""
    return status


def month_dates(year: int, month: int) -> list[dt.date]:
    last = calendar_lib.monthrange(year, month)[1]
    return [dt.date(year, month, day) for day in range(1, last + 1)]


def totals_for(days: list[tuple[str, list[str]]]) -> dict[str, int]:
    """(status, codes) of each day -> the count of each TOTAL_COLUMNS code."""
    counts: Counter[str] = Counter()
    for status, codes in days:
        if status in (Code.LIBUR, Code.BELUM):
            continue
        counts[WORKING_DAYS] += 1
        if status in PRESENT_CODES:
            counts[PRESENT] += 1
        counts.update(set(codes or [status]))
    return {column: counts.get(column, 0) for column in TOTAL_COLUMNS}


class _Days:
    """The computed status of days without a row, memoised per zone, date and shift."""

    def __init__(self, agency: Agency) -> None:
        self.agency = agency
        self.now = clock.now()
        self._schedules: dict[tuple, DaySchedule] = {}
        self._statuses: dict[tuple, tuple[str, list[str]]] = {}

    def schedule(self, zone: str, day: dt.date, shift: ShiftSpec | None = None) -> DaySchedule:
        key = (zone, day, shift)
        if key not in self._schedules:
            calendar = calendar_for(agency=self.agency, day=day, zone=zone)
            self._schedules[key] = day_schedule(
                day, calendar, shift_based=shift is not None, shift=shift
            )
        return self._schedules[key]

    def missing(self, zone: str, day: dt.date, shift_based: bool, shift: ShiftSpec | None):
        key = (zone, day, shift_based, shift)
        if key not in self._statuses:
            if shift_based and shift is None:
                self._statuses[key] = (Code.LIBUR.value, [Code.LIBUR.value])
            else:
                view = day_view(None, self.schedule(zone, day, shift), self.now)
                self._statuses[key] = (view.status, view.codes)
        return self._statuses[key]


def _unit_people(unit: Unit) -> QuerySet[Employee]:
    covered = subtree(unit_children_map(unit.agency_id), unit.pk)
    return Employee.objects.filter(unit_id__in=covered, active=True)


def _people(unit: Unit) -> list[Employee]:
    rows = _unit_people(unit).select_related("unit", "position")
    rows = rows.order_by("unit__code", "name", "pk")
    fields = ("nip", "name", "unit_id", "office_id", "position_id", "position__name")
    return list(rows.only(*fields, "unit__name", "unit__code", "unit__shift_based"))


def deductions(*, unit: Unit, year: int, month: int) -> dict[int, float]:
    """employee id -> TPP discipline deduction % of the month, for the unit's subtree (the
    missing statements computed first); empty for a month that has not begun."""
    today = clock.today(unit.agency.time_zone)
    if (year, month) > (today.year, today.month):
        return {}
    found = statements_ensure(agency=unit.agency, people=_unit_people(unit), year=year, month=month)
    rows = found.select_related(None).order_by().values_list("employee_id", "deduction_pct")
    return {employee_id: float(pct) for employee_id, pct in rows}


def _day_rows(people: list[Employee], start: dt.date, end: dt.date) -> dict[int, dict]:
    result: dict[int, dict] = defaultdict(dict)
    rows = AttendanceDay.objects.filter(
        employee_id__in=[e.pk for e in people], date__range=(start, end)
    ).order_by()
    fields = ("employee_id", "date", "status", "codes", "late_minutes", "early_minutes")
    for employee_id, day, status, codes, late, early in rows.values_list(*fields):
        result[employee_id][day] = (status, list(codes or []), late, early)
    return result


def _shifts(people: list[Employee], start: dt.date, end: dt.date) -> dict[int, dict]:
    ids = [e.pk for e in people if e.unit.shift_based]
    result: dict[int, dict[dt.date, ShiftSpec]] = defaultdict(dict)
    if ids:
        assigned = ShiftAssignment.objects.filter(employee_id__in=ids, date__range=(start, end))
        for row in assigned.select_related("shift"):
            result[row.employee_id][row.date] = shift_spec(row.shift)
    return result


def _row(
    number: int,
    employee: Employee,
    cells: list[tuple[str, list[str], int, int]],
    deduction: float | None,
):
    return EmployeeRow(
        number=number,
        nip=employee.nip,
        name=employee.name,
        position=employee.position.name if employee.position else "",
        unit=employee.unit.name,
        codes=tuple(status for status, _codes, _late, _early in cells),
        totals=totals_for([(status, codes) for status, codes, _late, _early in cells]),
        late_minutes=sum(late for *_rest, late, _early in cells),
        early_minutes=sum(early for *_rest, early in cells),
        deduction_pct=deduction,
    )


def monthly_report(*, unit: Unit, year: int, month: int, progress=None) -> MonthlyReport:
    """The month of `unit` and its subtree. `progress(done, total)` is called per 50 rows."""
    unit = Unit.objects.select_related("agency", "head").get(pk=unit.pk)
    dates = month_dates(year, month)
    people = _people(unit)
    stored = _day_rows(people, dates[0], dates[-1])
    shifts = _shifts(people, dates[0], dates[-1])
    offices, days = office_map(unit.agency_id), _Days(unit.agency)
    deducted = deductions(unit=unit, year=year, month=month)

    def zone_of(office_id: int | None, unit_id: int) -> str:
        office = offices.by_office.get(office_id or offices.by_unit.get(unit_id) or 0)
        return office.time_zone if office else unit.agency.time_zone

    rows = []
    for number, employee in enumerate(people, start=1):
        zone = zone_of(employee.office_id, employee.unit_id)
        own, mine = shifts.get(employee.pk, {}), stored.get(employee.pk, {})
        shift_based = employee.unit.shift_based
        cells = [
            mine.get(d) or (*days.missing(zone, d, shift_based, own.get(d)), 0, 0) for d in dates
        ]
        rows.append(_row(number, employee, cells, deducted.get(employee.pk)))
        if progress and number % 50 == 0:
            progress(number, len(people))
    unit_zone = zone_of(None, unit.pk)
    columns = [_column(days.schedule(unit_zone, d)) for d in dates]
    head = unit.head
    head_name, head_nip = (head.name, head.nip) if head else ("", "")
    return MonthlyReport(unit.agency, unit, year, month, columns, rows, head_name, head_nip)


def _column(schedule: DaySchedule) -> DayColumn:
    return DayColumn(schedule.date, not schedule.working, schedule.reason == "holiday")
