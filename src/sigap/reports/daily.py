"""The daily recap of a whole agency for one date: per OPD (root unit) the count of each day
code, and per employee the day's code, time in and out (local to the employee's office),
mode, late/early minutes and flags.

A day without a row is what the rules say of it (`attendance.selectors.day_view`): LIBUR on
a day off, BELUM until the day's window closes, TK after. Bounded: the units, the employees
and the day rows are one query each, plus the schedules of `agency_day_schedules`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sigap.attendance.models import AttendanceDay
from sigap.attendance.rules import Code
from sigap.attendance.selectors import DayView, agency_day_schedules, day_view
from sigap.core import clock
from sigap.org.models import Agency, Employee, Unit
from sigap.reports.monthly import PRESENT_CODES

STATUS_COLUMNS: tuple[str, ...] = tuple(code.value for code in Code)


@dataclass(frozen=True, slots=True)
class DailyRow:
    opd: str
    unit: str
    nip: str
    name: str
    position: str
    status: str
    codes: tuple[str, ...]
    check_in: dt.time | None
    check_out: dt.time | None
    mode: str
    late_minutes: int
    early_minutes: int
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OpdRow:
    name: str
    headcount: int
    expected: int  # everyone whose day is not LIBUR
    present: int  # HADIR, TL1-4, PSW1-4
    counts: dict[str, int]  # STATUS_COLUMNS -> people with that main status

    @property
    def rate(self) -> float:
        return round(100 * self.present / self.expected, 1) if self.expected else 0.0


@dataclass(frozen=True, slots=True)
class DailyRecap:
    agency: Agency
    date: dt.date
    opds: list[OpdRow]
    rows: list[DailyRow]


def _roots(agency: Agency) -> dict[int, tuple[str, str]]:
    """unit id -> (code, name) of its root unit (the OPD)."""
    units = {
        pk: (parent, code, name)
        for pk, parent, code, name in Unit.objects.filter(agency=agency).values_list(
            "pk", "parent_id", "code", "name"
        )
    }
    roots: dict[int, tuple[str, str]] = {}
    for pk in units:
        node, seen = pk, set()
        while units[node][0] is not None and units[node][0] in units and node not in seen:
            seen.add(node)
            node = units[node][0]
        roots[pk] = units[node][1:]
    return roots


def _local(at: dt.datetime | None, zone: str) -> dt.time | None:
    return at.astimezone(ZoneInfo(zone)).time().replace(second=0, microsecond=0) if at else None


def _row(employee: Employee, opd: str, view: DayView, zone: str) -> DailyRow:
    return DailyRow(
        opd=opd,
        unit=employee.unit.name,
        nip=employee.nip,
        name=employee.name,
        position=employee.position.name if employee.position else "",
        status=view.status,
        codes=tuple(view.codes),
        check_in=_local(view.check_in, zone),
        check_out=_local(view.check_out, zone),
        mode=view.mode or "",
        late_minutes=view.late_minutes,
        early_minutes=view.early_minutes,
        flags=tuple(view.flags),
    )


def _opd_rows(rows: list[DailyRow]) -> list[OpdRow]:
    groups: dict[str, list[DailyRow]] = {}
    for row in rows:
        groups.setdefault(row.opd, []).append(row)
    result = []
    for name, members in groups.items():
        counts = Counter(r.status for r in members)
        result.append(
            OpdRow(
                name=name,
                headcount=len(members),
                expected=len(members) - counts.get(Code.LIBUR, 0),
                present=sum(counts.get(code, 0) for code in PRESENT_CODES),
                counts={code: counts.get(code, 0) for code in STATUS_COLUMNS},
            )
        )
    return result


def daily_recap(*, agency: Agency, date: dt.date) -> DailyRecap:
    """The agency's day, OPD by OPD (in unit code order), people by unit and name."""
    schedules = agency_day_schedules(agency=agency, date=date)
    roots, now = _roots(agency), clock.now()
    people = (
        Employee.objects.filter(agency=agency, active=True)
        .select_related("unit", "position")
        .only("nip", "name", "unit_id", "position_id", "unit__name", "unit__code", "position__name")
    )
    stored = {
        r.employee_id: r for r in AttendanceDay.objects.filter(employee__agency=agency, date=date)
    }
    rows = []
    ordered = sorted(people, key=lambda e: (roots[e.unit_id][0], e.unit.code, e.name, e.pk))
    for employee in ordered:
        schedule = schedules.get(employee.pk)
        if schedule is None:
            continue
        view = day_view(stored.get(employee.pk), schedule, now)
        rows.append(_row(employee, roots[employee.unit_id][1], view, schedule.zone))
    return DailyRecap(agency, date, _opd_rows(rows), rows)
