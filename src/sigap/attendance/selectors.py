"""Attendance reads: today, a date range, check-in lists, the review queue (all scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sigap.attendance import rules
from sigap.attendance.context import Arrangement, arrangement_for, office_place
from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.core import clock
from sigap.core.exceptions import InvalidInput
from sigap.core.models import User
from sigap.org.models import Agency, Employee, Role
from sigap.org.selectors import offices_by_unit, scope_for
from sigap.worktime.models import ShiftAssignment
from sigap.worktime.rules import DaySchedule, ShiftSpec, day_schedule
from sigap.worktime.selectors import calendar_for, shift_spec

MAX_RANGE_DAYS = 92


@dataclass(frozen=True, slots=True)
class DayView:
    """A day as the API shows it: the stored row, or what the rules say without one."""

    date: dt.date
    status: str
    mode: str | None
    check_in: dt.datetime | None
    check_out: dt.datetime | None
    late_minutes: int
    early_minutes: int
    codes: list[str]
    flags: list[str]


def day_view(row: AttendanceDay | None, schedule: DaySchedule, now: dt.datetime) -> DayView:
    if row is not None:
        return DayView(
            row.date,
            row.status,
            row.mode or None,
            row.check_in,
            row.check_out,
            row.late_minutes,
            row.early_minutes,
            list(row.codes),
            list(row.flags),
        )
    over = schedule.window_end is not None and now > schedule.window_end
    if not schedule.working:
        over = True
    result = rules.day_status(
        rules.DayInput(schedule.working, schedule.start, schedule.end, final=over)
    )
    return DayView(
        schedule.date, result.status, None, None, None, 0, 0, list(result.codes), list(result.flags)
    )


def employee_today(*, employee: Employee) -> tuple[Arrangement, DayView]:
    now = clock.now()
    arrangement = arrangement_for(employee=employee, at=now)
    row = AttendanceDay.objects.filter(employee=employee, date=arrangement.work_date).first()
    return arrangement, day_view(row, arrangement.schedule, now)


def employee_schedules(
    *, employee: Employee, start: dt.date, end: dt.date
) -> dict[dt.date, DaySchedule]:
    """The schedule of every date in [start, end] with a bounded number of queries."""
    _place, zone = office_place(employee)
    shifts: dict[dt.date, ShiftSpec] = {}
    if employee.unit.shift_based:
        for assignment in ShiftAssignment.objects.filter(
            employee=employee, date__range=(start, end)
        ).select_related("shift"):
            shifts[assignment.date] = shift_spec(assignment.shift)
    result = {}
    day = start
    while day <= end:
        calendar = calendar_for(agency=employee.agency, day=day, zone=zone)
        result[day] = day_schedule(
            day, calendar, shift_based=employee.unit.shift_based, shift=shifts.get(day)
        )
        day += dt.timedelta(days=1)
    return result


def employee_attendance(*, employee: Employee, start: dt.date, end: dt.date) -> list[DayView]:
    if end < start:
        raise InvalidInput(_("'to' is before 'from'."), detail={"fields": {"to": ["before from"]}})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(
            f"At most {MAX_RANGE_DAYS} days per call.",
            detail={"fields": {"to": ["range too long"]}},
        )
    now = clock.now()
    schedules = employee_schedules(employee=employee, start=start, end=end)
    rows = {
        r.date: r for r in AttendanceDay.objects.filter(employee=employee, date__range=(start, end))
    }
    return [day_view(rows.get(day), schedules[day], now) for day in sorted(schedules)]


def check_ins_for(*, employee: Employee, date: dt.date) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(employee=employee, work_date=date)
        .select_related("employee")
        .order_by("recorded_at")
    )


def days_by_key(events: list[CheckIn]) -> dict[tuple[int, dt.date], AttendanceDay]:
    keys = {(e.employee_id, e.work_date) for e in events}
    if not keys:
        return {}
    employees = {k[0] for k in keys}
    dates = {k[1] for k in keys}
    rows = AttendanceDay.objects.filter(employee_id__in=employees, date__in=dates)
    return {(r.employee_id, r.date): r for r in rows}


def reviews_pending_for(*, user: User) -> QuerySet[CheckIn]:
    """Flagged check-ins the user may decide (`services.review.may_review`): subordinates and
    unit subtree, the whole agency for HR; never their own."""
    scope = scope_for(user)
    deciding = scope if scope.has_role(Role.HR_ADMIN) else scope.line()
    visible = deciding.employees().exclude(pk=scope.employee_id)
    return (
        CheckIn.objects.filter(review=Review.PENDING, employee__in=visible)
        .select_related("employee", "employee__unit")
        .order_by("recorded_at")
    )


def agency_day_schedules(*, agency: Agency, date: dt.date) -> dict[int, DaySchedule]:
    """employee id -> schedule on `date` for every active employee (bounded queries)."""
    offices = offices_by_unit(agency.pk)
    shifts = {
        a.employee_id: shift_spec(a.shift)
        for a in ShiftAssignment.objects.filter(date=date, employee__agency=agency).select_related(
            "shift"
        )
    }
    rows = Employee.objects.filter(agency=agency, active=True).values_list(
        "id", "unit_id", "unit__shift_based", "office__time_zone"
    )
    calendars: dict[str, object] = {}
    result: dict[int, DaySchedule] = {}
    for employee_id, unit_id, shift_based, own_zone in rows:
        office = offices.get(unit_id)
        zone = own_zone or (office.time_zone if office else agency.time_zone)
        if zone not in calendars:
            calendars[zone] = calendar_for(agency=agency, day=date, zone=zone)
        result[employee_id] = day_schedule(
            date, calendars[zone], shift_based=shift_based, shift=shifts.get(employee_id)
        )
    return result
