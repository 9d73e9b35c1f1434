"""Attendance use cases: check in/out, recompute and close days, review flagged check-ins."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sigap.attendance import rules
from sigap.attendance.context import Arrangement, arrangement_for
from sigap.attendance.models import (
    AttendanceDay,
    CheckIn,
    Kind,
    RefusedCheckIn,
    Review,
    Source,
    Verification,
)
from sigap.attendance.selectors import agency_day_schedules
from sigap.attendance.selfie import ProcessedSelfie, process_selfie
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.geo import Point
from sigap.core.models import User
from sigap.org.models import Agency, Employee
from sigap.org.selectors import scope_for
from sigap.worktime.rules import DaySchedule
from sigap.worktime.selectors import employee_day_schedule


class CheckInRefused(InvalidInput):
    """A refused check-in (422) with one of API.md's codes."""


@dataclass(frozen=True, slots=True)
class CheckInCommand:
    request_id: uuid.UUID
    kind: str
    point: Point
    accuracy_m: float
    captured_at: dt.datetime
    selfie: bytes
    mock_location: bool = False
    qr_token: str = ""
    queued: bool = False
    source: str = Source.API


@dataclass(frozen=True, slots=True)
class CheckInOutcome:
    event: CheckIn
    day: AttendanceDay
    arrangement: Arrangement
    replayed: bool


def attendance_check_in(*, employee: Employee, command: CheckInCommand) -> CheckInOutcome:
    """Validate, store the selfie and the event, recompute the day: one transaction.

    Idempotent by (employee, request_id): a retry returns the first outcome.
    """
    now = clock.now()
    existing = CheckIn.objects.filter(employee=employee, request_id=command.request_id).first()
    if existing is not None:
        return _replay(employee, existing)
    arrangement = arrangement_for(employee=employee, at=now)
    geofence = _validate(employee, command, arrangement, now)
    selfie = process_selfie(command.selfie)
    stored = default_storage.save(
        f"selfies/{now:%Y/%m}/{uuid.uuid4().hex}.jpg", ContentFile(selfie.content)
    )
    try:
        with transaction.atomic():
            event = _store_event(employee, command, arrangement, geofence, selfie, stored, now)
            day = _apply_event(employee, arrangement, event, now)
    except IntegrityError:
        default_storage.delete(stored)
        existing = CheckIn.objects.filter(employee=employee, request_id=command.request_id).first()
        if existing is None:
            raise
        return _replay(employee, existing)
    except BaseException:
        default_storage.delete(stored)
        raise
    return CheckInOutcome(event, day, arrangement, replayed=False)


def _replay(employee: Employee, event: CheckIn) -> CheckInOutcome:
    arrangement = arrangement_for(employee=employee, at=event.recorded_at)
    day = AttendanceDay.objects.get(employee=employee, date=event.work_date)
    return CheckInOutcome(event, day, arrangement, replayed=True)


def _refuse(
    employee: Employee,
    command: CheckInCommand,
    at: dt.datetime,
    code: str,
    message,
    detail: dict | None = None,
) -> CheckInRefused:
    RefusedCheckIn.objects.create(
        employee=employee,
        request_id=command.request_id,
        kind=command.kind,
        at=at,
        latitude=command.point.latitude,
        longitude=command.point.longitude,
        accuracy_m=command.accuracy_m,
        code=code,
        detail=detail or {},
    )
    return CheckInRefused(message, code=code, detail=detail)


def _validate(
    employee: Employee, command: CheckInCommand, arrangement: Arrangement, now: dt.datetime
) -> rules.GeofenceResult:
    """The refusal checks, in the order a person can fix them. Fails closed."""
    policy = arrangement.policy
    skew = rules.clock_skew_seconds(command.captured_at, now)
    if rules.skew_refused(
        skew, limit_seconds=policy.clock_skew_minutes * 60, queued=command.queued
    ):
        raise _refuse(
            employee,
            command,
            now,
            "clock_skew",
            _(
                "Your device's clock differs from the server's by more than %(m)d minutes. "
                "Set the time automatically and try again."
            )
            % {"m": policy.clock_skew_minutes},
            {"skew_seconds": round(skew)},
        )
    if not rules.accuracy_acceptable(command.accuracy_m, policy.accuracy_limit_m):
        raise _refuse(
            employee,
            command,
            now,
            "accuracy_too_low",
            _(
                "The GPS fix is too imprecise (±%(acc)d m; at most %(limit)d m). Move to "
                "open sky and try again."
            )
            % {"acc": command.accuracy_m, "limit": policy.accuracy_limit_m},
            {"accuracy_m": command.accuracy_m, "limit_m": policy.accuracy_limit_m},
        )
    if arrangement.place is None:
        raise _refuse(
            employee,
            command,
            now,
            "no_arrangement",
            _("No work place is set for you today. Contact your HR admin."),
        )
    schedule = arrangement.schedule
    if not schedule.working:
        raise _refuse(
            employee,
            command,
            now,
            "not_a_working_day",
            _("Today is not a working day for you."),
            {"reason": schedule.reason},
        )
    if not (schedule.window_start <= now <= schedule.window_end):
        raise _refuse(
            employee,
            command,
            now,
            "outside_time_window",
            _("Check-ins are accepted from %(start)s to %(end)s.")
            % {"start": f"{schedule.window_start:%H:%M}", "end": f"{schedule.window_end:%H:%M}"},
            {
                "window_start": schedule.window_start.isoformat(),
                "window_end": schedule.window_end.isoformat(),
            },
        )
    geofence = rules.evaluate_geofence(command.point, arrangement.place)
    if not geofence.inside and policy.outside_geofence == "block":
        raise _refuse(
            employee,
            command,
            now,
            "outside_geofence",
            _("You are %(d)d m from %(place)s, outside its geofence.")
            % {"d": geofence.distance_m, "place": arrangement.place.name},
            {"distance_m": geofence.distance_m, "radius_m": geofence.radius_m},
        )
    return geofence


def _store_event(
    employee: Employee,
    command: CheckInCommand,
    arrangement: Arrangement,
    geofence: rules.GeofenceResult,
    selfie: ProcessedSelfie,
    stored: str,
    now: dt.datetime,
) -> CheckIn:
    place = arrangement.place
    assert place is not None
    reasons = [] if geofence.inside else [rules.Flag.OUTSIDE_GEOFENCE.value]
    risk_reasons = ["mock_location"] if command.mock_location else []
    delay = max(0, round((now - command.captured_at).total_seconds())) if command.queued else 0
    exif_at = None
    if selfie.exif_captured_at is not None:
        exif_at = selfie.exif_captured_at.replace(tzinfo=ZoneInfo(arrangement.schedule.zone))
    event = CheckIn(
        employee=employee,
        request_id=command.request_id,
        kind=command.kind,
        recorded_at=now,
        captured_at=command.captured_at,
        work_date=arrangement.work_date,
        mode=arrangement.mode,
        time_zone=arrangement.schedule.zone,
        latitude=command.point.latitude,
        longitude=command.point.longitude,
        accuracy_m=command.accuracy_m,
        mock_location=command.mock_location,
        qr_token=command.qr_token[:64],
        place_kind=place.kind,
        place_name=place.name[:200],
        place_latitude=place.centre.latitude,
        place_longitude=place.centre.longitude,
        place_radius_m=place.radius_m,
        distance_m=geofence.distance_m,
        inside=geofence.inside,
        selfie=stored,
        selfie_sha256=selfie.sha256,
        exif_captured_at=exif_at,
        exif_device=selfie.exif_device,
        source=Source.OFFLINE if command.queued else command.source,
        delay_seconds=delay,
        review=Review.PENDING if reasons else Review.NONE,
        review_reasons=reasons,
        verification=Verification.NO_REFERENCE,
        risk_score=50 if command.mock_location else 0,
        risk_reasons=risk_reasons,
        rule_version=rules.RULE_VERSION,
    )
    event.save(force_insert=True)
    return event


# --- the attendance day ---------------------------------------------------------


def _day_input(
    schedule: DaySchedule, first_in, last_out, *, final: bool, flags=()
) -> rules.DayInput:
    return rules.DayInput(
        working=schedule.working,
        start=schedule.start,
        end=schedule.end,
        first_in=first_in,
        last_out=last_out,
        final=final,
        flags=frozenset(flags),
    )


def _write_result(
    day: AttendanceDay, schedule: DaySchedule, result: rules.DayResult, now: dt.datetime
) -> None:
    day.status = result.status
    day.codes = list(result.codes)
    day.flags = list(result.flags)
    day.late_minutes = result.late_minutes
    day.early_minutes = result.early_minutes
    day.schedule_start = schedule.start
    day.schedule_end = schedule.end
    day.rule_version = rules.RULE_VERSION
    day.updated_at = now


DAY_FIELDS = [
    "status",
    "codes",
    "flags",
    "late_minutes",
    "early_minutes",
    "schedule_start",
    "schedule_end",
    "rule_version",
    "updated_at",
    "check_in",
    "check_out",
    "mode",
    "final",
]


def _apply_event(
    employee: Employee, arrangement: Arrangement, event: CheckIn, now: dt.datetime
) -> AttendanceDay:
    """Fold one new event into its day (incrementally: no re-read of the events)."""
    AttendanceDay.objects.bulk_create(
        [
            AttendanceDay(
                employee=employee,
                date=event.work_date,
                status=rules.Code.BELUM,
                codes=[rules.Code.BELUM],
                rule_version=rules.RULE_VERSION,
                updated_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    day = AttendanceDay.objects.select_for_update().get(employee=employee, date=event.work_date)
    if event.kind == Kind.IN and (day.check_in is None or event.recorded_at < day.check_in):
        day.check_in = event.recorded_at
    if event.kind == Kind.OUT and (day.check_out is None or event.recorded_at > day.check_out):
        day.check_out = event.recorded_at
    flags = set(day.flags)
    if event.review == Review.PENDING:
        flags.add(rules.Flag.REVIEW_PENDING)
    if event.delay_seconds > arrangement.policy.offline_delay_flag_minutes * 60:
        flags.add(rules.Flag.OFFLINE_DELAYED)
    day.mode = event.mode
    schedule = arrangement.schedule
    result = rules.day_status(
        _day_input(schedule, day.check_in, day.check_out, final=day.final, flags=flags)
    )
    _write_result(day, schedule, result, now)
    day.save(update_fields=DAY_FIELDS)
    return day


def attendance_day_recompute(
    *, employee: Employee, date: dt.date, final: bool | None = None
) -> AttendanceDay:
    """Recompute a day from all its counted events (after a review, request, correction)."""
    now = clock.now()
    schedule = employee_day_schedule(employee=employee, day=date)
    with transaction.atomic():
        AttendanceDay.objects.bulk_create(
            [
                AttendanceDay(
                    employee=employee,
                    date=date,
                    status=rules.Code.BELUM,
                    codes=[rules.Code.BELUM],
                    rule_version=rules.RULE_VERSION,
                    updated_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        day = AttendanceDay.objects.select_for_update().get(employee=employee, date=date)
        events = list(CheckIn.objects.filter(employee=employee, work_date=date))
        counted = [(e.kind, e.recorded_at) for e in events if e.counts]
        day.check_in, day.check_out = rules.first_and_last(counted)
        flags = {f for f in day.flags if f not in (rules.Flag.REVIEW_PENDING,)}
        if any(e.review == Review.PENDING for e in events):
            flags.add(rules.Flag.REVIEW_PENDING)
        if final is not None:
            day.final = final
        mode = next((e.mode for e in events if e.counts), "")
        day.mode = mode
        result = rules.day_status(
            _day_input(schedule, day.check_in, day.check_out, final=day.final, flags=flags)
        )
        _write_result(day, schedule, result, now)
        day.save(update_fields=DAY_FIELDS)
    return day


# --- review of flagged check-ins ---------------------------------------------------


def check_in_review(*, check_in: CheckIn, reviewer: User, accept: bool, note: str) -> CheckIn:
    """The supervisor accepts or rejects a flagged check-in; a rejection makes it not count."""
    scope = scope_for(reviewer)
    if check_in.employee_id == scope.employee_id or not scope.includes_employee(check_in.employee):
        raise Forbidden()
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        if locked.review != Review.PENDING:
            raise Conflict(_("This check-in has already been reviewed."), code="already_reviewed")
        if not accept and not note.strip():
            raise InvalidInput(
                _("Give a reason when rejecting."), detail={"fields": {"note": ["required"]}}
            )
        locked.review = Review.ACCEPTED if accept else Review.REJECTED
        locked.reviewed_by = reviewer
        locked.reviewed_at = clock.now()
        locked.review_note = note.strip()[:2000]
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
        attendance_day_recompute(employee=locked.employee, date=locked.work_date)
    return locked


# --- closing days ----------------------------------------------------------------------


@dataclass
class CloseResult:
    date: dt.date
    finalised: int = 0
    created: int = 0
    not_over: int = 0


def attendance_close_day(
    *, date: dt.date, agency_id: int | None = None, progress=None
) -> CloseResult:
    """Finalise every active employee's day `date` whose window is over: no events -> TK,
    no check-out -> PSW4, non-working -> LIBUR. Idempotent; bounded queries per agency."""
    now = clock.now()
    result = CloseResult(date)
    agencies = Agency.objects.all() if agency_id is None else Agency.objects.filter(pk=agency_id)
    for agency in agencies:
        schedules = agency_day_schedules(agency=agency, date=date)
        rows = {
            r.employee_id: r
            for r in AttendanceDay.objects.filter(date=date, employee__agency=agency)
        }
        to_create, to_update = [], []
        for employee_id, schedule in schedules.items():
            over = (
                now > schedule.window_end if schedule.working else now >= _local_day_end(schedule)
            )
            if not over:
                result.not_over += 1
                continue
            row = rows.get(employee_id)
            if row is not None and row.final:
                continue
            if row is None:
                row = AttendanceDay(employee_id=employee_id, date=date)
                to_create.append(row)
            else:
                to_update.append(row)
            row.final = True
            outcome = rules.day_status(
                _day_input(schedule, row.check_in, row.check_out, final=True, flags=row.flags or ())
            )
            _write_result(row, schedule, outcome, now)
        with transaction.atomic():
            AttendanceDay.objects.bulk_create(to_create, batch_size=1000, ignore_conflicts=True)
            AttendanceDay.objects.bulk_update(to_update, DAY_FIELDS, batch_size=1000)
        result.created += len(to_create)
        result.finalised += len(to_create) + len(to_update)
        if progress:
            progress(len(schedules))
    return result


def _local_day_end(schedule: DaySchedule) -> dt.datetime:
    zone = ZoneInfo(schedule.zone)
    return dt.datetime.combine(schedule.date + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
