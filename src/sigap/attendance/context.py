"""Today's arrangement for an employee: mode, place and schedule.

The roster decides the mode (no entry: WFO at the employee's office) and the place
follows the mode: the office geofence for WFO, the registered home for WFH, the
agency's WFA region for WFA, the destination (when given) for DL; leave and other
approved absences (OFF) expect no check-in. This is on the check-in hot path: the
office comes from the agency's cached office map, the WFA region and the calendar from
process-memory caches, so an office worker costs one query here (the roster entry) and
a shift worker two (plus their shifts of the day and the day before).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from sigap.arrangements.models import Mode, RosterEntry
from sigap.arrangements.selectors import RegionInfo, roster_entry_for, wfa_region_for
from sigap.attendance.policy import AttendancePolicy
from sigap.attendance.rules import Place, PlaceKind
from sigap.core.geo import Point
from sigap.org.models import Employee
from sigap.org.selectors import OfficeInfo, office_info_for, office_map
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
    exception: str | None = None  # the day code of an approved absence or DL
    reason: str = "default"  # why this mode (roster entry reason)
    missing: str = ""  # why there is no place although a check-in is expected
    recalled: bool = False


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
    office, zone = office_place(employee)
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
    entry = roster_entry_for(employee_id=employee.pk, day=work_date) if schedule.working else None
    return planned_arrangement(employee, entry, office, schedule, policy)


def planned_arrangement(
    employee: Employee,
    entry: RosterEntry | None,
    office: Place | None,
    schedule: DaySchedule,
    policy: AttendancePolicy,
) -> Arrangement:
    """Mode and place of a working day from its roster entry (none: WFO at the office)."""
    work_date = schedule.date
    if not schedule.working:
        return Arrangement(work_date, None, None, schedule, policy)
    if entry is None:
        return Arrangement(work_date, Mode.WFO if office else None, office, schedule, policy)
    common = {"schedule": schedule, "policy": policy, "reason": entry.reason}
    recalled = entry.reason == "recall"
    if entry.mode == Mode.OFF:
        return Arrangement(work_date, None, None, exception=entry.absence_code, **common)
    if entry.mode == Mode.WFO:
        place = _entry_office(employee, entry) or office
        return Arrangement(work_date, Mode.WFO, place, recalled=recalled, **common)
    if entry.mode == Mode.WFH:
        home = home_place(employee)
        missing = "" if home else _("No home location is registered for you.")
        return Arrangement(work_date, Mode.WFH, home, missing=missing, **common)
    if entry.mode == Mode.WFA:
        region = wfa_region_for(employee.agency_id)
        place = _region_place(region) if region else None
        missing = "" if place else _("Your agency has not set a WFA region.")
        return Arrangement(work_date, Mode.WFA, place, missing=missing, **common)
    return Arrangement(work_date, Mode.DL, _destination(entry), exception=Mode.DL.value, **common)


def home_place(employee: Employee) -> Place | None:
    if employee.home_latitude is None or employee.home_longitude is None:
        return None
    return Place(
        kind=PlaceKind.HOME,
        name=_("Registered home"),
        centre=Point(employee.home_latitude, employee.home_longitude),
        radius_m=float(employee.home_radius_m),
    )


def _region_place(region: RegionInfo) -> Place:
    polygon = tuple(Point(a, b) for a, b in region.polygon) if region.polygon else None
    return Place(
        kind=PlaceKind.REGION,
        name=region.name,
        centre=Point(region.latitude, region.longitude),
        radius_m=region.radius_m,
        polygon=polygon,
    )


DESTINATION_RADIUS_M = 1000.0


def _destination(entry: RosterEntry) -> Place | None:
    """The DL destination, when the request gave its coordinates; else none (no check)."""
    if entry.destination_latitude is None or entry.destination_longitude is None:
        return None
    return Place(
        kind=PlaceKind.DESTINATION,
        name=entry.destination or _("Official travel destination"),
        centre=Point(entry.destination_latitude, entry.destination_longitude),
        radius_m=float(entry.destination_radius_m or DESTINATION_RADIUS_M),
    )


def _entry_office(employee: Employee, entry: RosterEntry) -> Place | None:
    if entry.office_id is None:
        return None
    info = office_map(employee.agency_id).by_office.get(entry.office_id)
    return _place(info) if info else None
