"""The people of one unit on one day, for the dashboard's drill-down: each person's code,
local time in and out, mode and flags (four queries whatever the number of people)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sigap.arrangements.models import RosterEntry
from sigap.attendance.models import AttendanceDay
from sigap.attendance.selectors import day_view
from sigap.core import clock
from sigap.org.models import Employee, Unit
from sigap.reports.recap import Schedules, Zones, day_mode
from sigap.worktime.models import ShiftAssignment


@dataclass(frozen=True, slots=True)
class PersonDay:
    employee: Employee
    status: str
    codes: list[str]
    mode: str | None
    check_in: dt.datetime | None  # in the person's office zone
    check_out: dt.datetime | None
    late_minutes: int
    early_minutes: int
    flags: list[str]
    zone: str


def _local(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    return value.astimezone(ZoneInfo(zone)) if value is not None else None


def unit_people_day(*, unit: Unit, date: dt.date) -> list[PersonDay]:
    """The active people of `unit` itself (not its sub-units), by name."""
    people = Employee.objects.filter(unit=unit, active=True)
    staff = list(
        people.select_related("position")
        # agency and supervisor: what NIP masking needs (no query per person)
        .only("nip", "name", "unit_id", "office_id", "agency_id", "supervisor_id", "position__name")
        .order_by("name", "pk")
    )
    rows = {r.employee_id: r for r in AttendanceDay.objects.filter(employee__in=people, date=date)}
    entries = RosterEntry.objects.filter(employee__in=people, date=date)
    planned = dict(entries.values_list("employee_id", "mode"))
    shifts: dict[int, int] = {}
    if unit.shift_based:
        assigned = ShiftAssignment.objects.filter(employee__in=people, date=date)
        shifts = dict(assigned.values_list("employee_id", "shift_id"))
    zones, schedules = Zones(unit.agency), Schedules(unit.agency, set(shifts.values()))
    now, out = clock.now(), []
    for person in staff:
        zone = zones.of(person.unit_id, person.office_id)
        schedule = schedules.get(zone, date, unit.shift_based, shifts.get(person.pk))
        view = day_view(rows.get(person.pk), schedule, now)
        mode = day_mode(view.status, view.mode, planned.get(person.pk))
        out.append(
            PersonDay(
                person,
                view.status,
                view.codes,
                mode,
                _local(view.check_in, zone),
                _local(view.check_out, zone),
                view.late_minutes,
                view.early_minutes,
                view.flags,
                zone,
            )
        )
    return out
