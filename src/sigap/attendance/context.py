"""Today's arrangement for an employee: mode, place and schedule.

Until work arrangements exist (issue 4), everyone is WFO at their office. This is
on the check-in hot path: the office comes from the agency's cached office map and
the schedule from the cached calendar, so an office worker costs no query here and
a shift worker one (their shifts of the day and the day before).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sigap.attendance.models import WorkMode
from sigap.attendance.policy import AttendancePolicy
from sigap.attendance.rules import Place, PlaceKind
from sigap.core.geo import Point
from sigap.org.models import Employee
from sigap.org.selectors import OfficeInfo, office_info_for
from sigap.worktime import rules as worktime_rules
from sigap.worktime.rules import DaySchedule
from sigap.worktime.selectors import calendar_for, employee_shifts


@dataclass(frozen=True, slots=True)
class Arrangement:
    work_date: dt.date
    mode: str | None  # None: no check-in expected (not a working day)
    place: Place | None
    schedule: DaySchedule
    policy: AttendancePolicy


def _place(office: OfficeInfo) -> Place:
    polygon = tuple(Point(a, b) for a, b in office.polygon) if office.polygon else None
    return Place(
        kind=PlaceKind.OFFICE,
        name=office.name,
        centre=Point(office.latitude, office.longitude),
        radius_m=office.radius_m,
        polygon=polygon,
    )


def office_place(employee: Employee) -> tuple[Place | None, str]:
    """The employee's office as a Place, and the zone their lateness is computed in."""
    office = office_info_for(employee)
    if office is None:
        return None, employee.agency.time_zone
    return _place(office), office.time_zone


def arrangement_for(*, employee: Employee, at: dt.datetime) -> Arrangement:
    """The employee's arrangement for the work day that `at` belongs to."""
    place, zone = office_place(employee)
    policy = AttendancePolicy.for_agency(employee.agency)
    local_day = at.astimezone(ZoneInfo(zone)).date()
    calendar = calendar_for(agency=employee.agency, day=local_day, zone=zone)
    if employee.unit.shift_based:
        previous = local_day - dt.timedelta(days=1)
        shifts = employee_shifts(employee=employee, days=[previous, local_day])
        work_date = worktime_rules.work_date_for(at, calendar, shift_based=True, shifts=shifts)
        if work_date != local_day:
            calendar = calendar_for(agency=employee.agency, day=work_date, zone=zone)
        schedule = worktime_rules.day_schedule(
            work_date, calendar, shift_based=True, shift=shifts.get(work_date)
        )
    else:
        work_date = local_day
        schedule = worktime_rules.day_schedule(work_date, calendar)
    mode = WorkMode.WFO if schedule.working and place is not None else None
    return Arrangement(work_date, mode, place, schedule, policy)
