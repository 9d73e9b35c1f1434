"""Today's arrangement for an employee: mode, place and schedule (cached per day).

Until work arrangements exist (issue 4), everyone is WFO at their office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.cache import cache

from sigap.attendance.models import WorkMode
from sigap.attendance.policy import AttendancePolicy
from sigap.attendance.rules import Place, PlaceKind
from sigap.core.geo import Point, validate_polygon
from sigap.org.models import Employee
from sigap.org.selectors import employee_office
from sigap.worktime.rules import DaySchedule
from sigap.worktime.selectors import (
    calendar_generation,
    employee_day_schedule,
    employee_work_date,
)

CACHE_SECONDS = 600


@dataclass(frozen=True, slots=True)
class Arrangement:
    work_date: dt.date
    mode: str | None  # None: no check-in expected (not a working day)
    place: Place | None
    schedule: DaySchedule
    policy: AttendancePolicy


def office_place(employee: Employee) -> tuple[Place | None, str]:
    office = employee_office(employee)
    if office is None:
        return None, employee.agency.time_zone
    polygon = tuple(validate_polygon(office.polygon)) if office.polygon else None
    place = Place(
        kind=PlaceKind.OFFICE,
        name=office.name,
        centre=Point(office.latitude, office.longitude),
        radius_m=float(office.radius_m) if office.radius_m else None,
        polygon=polygon,
    )
    return place, office.time_zone


def arrangement_for(*, employee: Employee, at: dt.datetime) -> Arrangement:
    """The employee's arrangement for the work day that `at` belongs to."""
    base_key = f"att:base:{employee.pk}"
    base = cache.get(base_key)
    if base is None:
        place, zone = office_place(employee)
        base = (place, zone, AttendancePolicy.for_agency(employee.agency))
        cache.set(base_key, base, CACHE_SECONDS)
    place, zone, policy = base
    if employee.unit.shift_based:
        work_date = employee_work_date(employee=employee, at=at)
    else:
        work_date = at.astimezone(ZoneInfo(zone)).date()
    # the calendar generation changes whenever holidays, schedules or shifts are edited
    generation = calendar_generation(employee.agency_id)
    day_key = f"att:day:{employee.pk}:{work_date.isoformat()}:{generation}"
    schedule = cache.get(day_key)
    if schedule is None:
        schedule = employee_day_schedule(employee=employee, day=work_date, zone=zone)
        cache.set(day_key, schedule, CACHE_SECONDS)
    mode = WorkMode.WFO if schedule.working and place is not None else None
    return Arrangement(work_date, mode, place, schedule, policy)


def arrangement_changed(employee_id: int) -> None:
    cache.delete(f"att:base:{employee_id}")
