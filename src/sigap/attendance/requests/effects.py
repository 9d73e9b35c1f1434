"""What an approved request does to attendance, at once.

Leave, sick, permission and study days become OFF roster entries with their day code,
official travel DL entries with the destination; their AttendanceDays are recomputed
(rows are created, future days too). A correction adds a new `correction` event (the
original events are never edited) and the day is recomputed and flagged `corrected`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sigap.arrangements.models import Mode, RosterEntry
from sigap.arrangements.selectors import roster_entries, roster_entry_for
from sigap.arrangements.services import roster_apply_absence
from sigap.attendance import rules as day_rules
from sigap.attendance.context import office_place, planned_arrangement
from sigap.attendance.models import (
    AttendanceDay,
    AttendanceRequest,
    CheckIn,
    Kind,
    Review,
    Source,
    Verification,
)
from sigap.attendance.policy import AttendancePolicy
from sigap.attendance.requests import calendar, rules, selectors
from sigap.attendance.services import attendance_day_recompute
from sigap.attendance.services.days import DAY_FIELDS, entry_exception
from sigap.core import clock
from sigap.core.geo import Point
from sigap.core.models import User
from sigap.core.signals import day_facts_changed
from sigap.org.models import Employee
from sigap.worktime import rules as worktime_rules
from sigap.worktime.rules import DaySchedule
from sigap.worktime.selectors import (
    calendar_for,
    employee_day_schedule,
    employee_shifts,
    employee_zone,
)


def request_apply(*, request: AttendanceRequest, user: User) -> None:
    """Plan and recompute the days of a request that has just been approved."""
    employee = request.employee
    if request.type == rules.RequestType.KOREKSI:
        _correction_apply(request)
        return
    holidays = selectors.agency_holidays(
        agency_id=employee.agency_id, start=request.start, end=request.end
    )
    days = calendar.working_days(request.start, request.end, holidays=holidays)
    roster_apply_absence(
        employee=employee,
        days=days,
        mode=Mode.DL if request.type == rules.RequestType.DL else Mode.OFF,
        code=rules.day_code_for(request.type) or "",
        request_ref=request.pk,
        user=user,
        destination=request.destination,
        latitude=request.destination_latitude,
        longitude=request.destination_longitude,
    )
    days_recompute(employee=employee, days=days)


def days_recompute(*, employee: Employee, days: list[dt.date]) -> None:
    """attendance_day_recompute for many days of one employee in bounded queries (the
    events, roster entries, shifts and rows of the range: about six), creating missing rows."""
    if not days:
        return
    now, zone = clock.now(), employee_zone(employee)
    first, last, wanted = min(days), max(days), set(days)
    shift_based = employee.unit.shift_based
    shifts = employee_shifts(employee=employee, days=days) if shift_based else {}
    entries = roster_entries(employee_ids=[employee.pk], start=first, end=last)
    events: dict[dt.date, list[CheckIn]] = {}
    for event in CheckIn.objects.filter(employee=employee, work_date__range=(first, last)):
        events.setdefault(event.work_date, []).append(event)
    AttendanceDay.objects.bulk_create(
        [_placeholder(employee, day, now) for day in days], ignore_conflicts=True, batch_size=500
    )
    rows = AttendanceDay.objects.select_for_update().filter(
        employee=employee, date__range=(first, last)
    )
    changed = [row for row in rows if row.date in wanted]
    for row in changed:
        calendar_ = calendar_for(agency=employee.agency, day=row.date, zone=zone)
        schedule = worktime_rules.day_schedule(
            row.date, calendar_, shift_based=shift_based, shift=shifts.get(row.date)
        )
        entry = entries.get((employee.pk, row.date))
        _recomputed(row, schedule, events.get(row.date, []), entry, now)
    AttendanceDay.objects.bulk_update(changed, DAY_FIELDS, batch_size=500)
    for row in changed:
        day_facts_changed.send(sender=AttendanceDay, employee_id=employee.pk, date=row.date)


def _placeholder(employee: Employee, day: dt.date, now: dt.datetime) -> AttendanceDay:
    return AttendanceDay(
        employee=employee,
        date=day,
        status=day_rules.Code.BELUM,
        codes=[day_rules.Code.BELUM],
        rule_version=day_rules.RULE_VERSION,
        updated_at=now,
    )


def _recomputed(
    row: AttendanceDay,
    schedule: DaySchedule,
    events: list[CheckIn],
    entry: RosterEntry | None,
    now: dt.datetime,
) -> None:
    """The outcome attendance_day_recompute gives, written into `row` (not saved)."""
    counted = [e for e in events if e.counts]
    row.check_in, row.check_out = day_rules.first_and_last(
        [(e.kind, e.recorded_at) for e in counted]
    )
    flags = {f for f in row.flags if f != day_rules.Flag.REVIEW_PENDING}
    if any(e.review == Review.PENDING for e in events):
        flags.add(day_rules.Flag.REVIEW_PENDING)
    planned = entry.mode if entry is not None and entry.mode != Mode.OFF else ""
    row.mode = next((e.mode for e in counted), "") or planned
    result = day_rules.day_status(
        day_rules.DayInput(
            working=schedule.working,
            start=schedule.start,
            end=schedule.end,
            first_in=row.check_in,
            last_out=row.check_out,
            exception=entry_exception(entry) if schedule.working else None,
            final=row.final,
            flags=frozenset(flags),
        )
    )
    row.status, row.codes, row.flags = result.status, list(result.codes), list(result.flags)
    row.late_minutes, row.early_minutes = result.late_minutes, result.early_minutes
    row.schedule_start, row.schedule_end = schedule.start, schedule.end
    row.rule_version, row.updated_at = day_rules.RULE_VERSION, now


# --- corrections -------------------------------------------------------------------------


def _correction_apply(request: AttendanceRequest) -> None:
    """A new `correction` event at the requested local time, then the day recomputed and
    flagged `corrected`. The original events stay as they were."""
    employee, day = request.employee, request.start
    event = _correction_event(request)
    event.save(force_insert=True)
    request.corrected_event = event
    request.save(update_fields=["corrected_event"])
    row = attendance_day_recompute(employee=employee, date=day)
    flags = set(row.flags) | {day_rules.Flag.CORRECTED}
    if row.check_in is not None:  # the recompute keeps the flags of the day before
        flags.discard(day_rules.Flag.NO_CHECK_IN)
    if row.check_out is not None:
        flags.discard(day_rules.Flag.NO_CHECK_OUT)
    row.flags = sorted(flags)
    row.save(update_fields=["flags"])


def _correction_event(request: AttendanceRequest) -> CheckIn:
    """The event the correction adds: the local time in the office's zone (a check-out
    before a night shift's start is on the next calendar day), at the day's place."""
    employee, day, kind = request.employee, request.start, request.correction_kind
    zone = employee_zone(employee)
    schedule = employee_day_schedule(employee=employee, day=day, zone=zone)
    assert request.correction_time is not None  # a database constraint for KOREKSI
    at = dt.datetime.combine(day, request.correction_time, tzinfo=ZoneInfo(zone))
    start, end = schedule.start, schedule.end
    if kind == Kind.OUT and start and end and end.date() > day and at < start:
        at += dt.timedelta(days=1)
    place, mode = _correction_place(employee, schedule)
    centre = place.centre
    return CheckIn(
        employee=employee,
        request_id=uuid.uuid4(),
        kind=kind,
        recorded_at=at,
        captured_at=at,
        work_date=day,
        time_zone=zone,
        mode=mode,
        latitude=centre.latitude,
        longitude=centre.longitude,
        accuracy_m=1.0,
        place_kind=place.kind,
        place_name=place.name[:200],
        place_latitude=centre.latitude,
        place_longitude=centre.longitude,
        place_radius_m=place.radius_m,
        distance_m=0.0,
        inside=True,
        source=Source.CORRECTION,
        review=Review.NONE,
        verification=Verification.NO_REFERENCE,
        rule_version=day_rules.RULE_VERSION,
    )


def _correction_place(employee: Employee, schedule: DaySchedule) -> tuple[day_rules.Place, str]:
    """The place and mode of the day's original event, else of the day's arrangement,
    else the office (a point at 0, 0 when the employee has none at all)."""
    original = CheckIn.objects.filter(employee=employee, work_date=schedule.date).first()
    if original is not None:
        centre = Point(original.place_latitude, original.place_longitude)
        place = day_rules.Place(
            original.place_kind, original.place_name, centre, original.place_radius_m
        )
        return place, original.mode
    office, _zone = office_place(employee)
    entry = roster_entry_for(employee_id=employee.pk, day=schedule.date)
    policy = AttendancePolicy.for_agency(employee.agency)
    planned = planned_arrangement(employee, entry, office, schedule, policy)
    nowhere = day_rules.Place(day_rules.PlaceKind.OFFICE, "", Point(0.0, 0.0), None)
    return planned.place or office or nowhere, planned.mode or Mode.WFO
