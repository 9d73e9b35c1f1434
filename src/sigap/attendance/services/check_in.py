"""Check in / check out: validate, store the selfie and the event, fold it into the day."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
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
    RefusedCheckIn,
    Review,
    Source,
    Verification,
)
from sigap.attendance.selfie import InvalidImage, ProcessedSelfie, process_selfie, read_upload
from sigap.attendance.services.days import day_apply_event
from sigap.core import clock
from sigap.core.exceptions import InvalidInput, PayloadTooLarge
from sigap.core.geo import Point
from sigap.core.signals import check_in_recorded
from sigap.org.models import Employee


class CheckInRefused(InvalidInput):
    """A refused check-in (422) with one of API.md's codes."""


@dataclass(frozen=True, slots=True)
class CheckInCommand:
    request_id: uuid.UUID
    kind: str
    point: Point
    accuracy_m: float
    captured_at: dt.datetime
    selfie: Any  # the raw bytes, or an upload (read here, bounded, so a refusal is recorded)
    mock_location: bool = False
    qr_token: str = ""
    device_id: str = ""  # the device the API token was issued to ("" from the web)
    queued: bool = False
    source: str = Source.API


@dataclass(frozen=True, slots=True)
class CheckInRefusal:
    """What a registered check answers to refuse a check-in (API.md's 422 shape)."""

    code: str
    message: Any
    detail: dict | None = None


# (employee, command, arrangement, now) -> a refusal or None; must not query unless needed
CheckInCheck = Callable[[Employee, CheckInCommand, Arrangement, dt.datetime], CheckInRefusal | None]
_checks: list[CheckInCheck] = []


def register_check_in_check(check: CheckInCheck) -> None:
    """An app above attendance (verification: the office QR code) adds a refusal check.
    It runs after the built-in ones; an error inside it refuses the check-in (fails
    closed). It is on the hot path: no SQL unless the agency's setting asks for it."""
    if check not in _checks:
        _checks.append(check)


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
    _run_checks(employee, command, arrangement, now)
    selfie = _selfie(employee, command, now)
    stored = default_storage.save(
        f"selfies/{now:%Y/%m}/{uuid.uuid4().hex}.jpg", ContentFile(selfie.content)
    )
    try:
        for attempt in range(2):
            try:
                with transaction.atomic():
                    event = _store_event(
                        employee, command, arrangement, geofence, selfie, stored, now
                    )
                    day = day_apply_event(employee, arrangement, event, now)
                    transaction.on_commit(partial(_recorded, event.pk))
                return CheckInOutcome(event, day, arrangement, replayed=False)
            except IntegrityError:
                existing = CheckIn.objects.filter(
                    employee=employee, request_id=command.request_id
                ).first()
                if existing is not None:  # the same request won in parallel: replay it
                    default_storage.delete(stored)
                    return _replay(employee, existing)
                if attempt:  # the day row raced twice: give up loudly
                    raise
        raise AssertionError("unreachable")
    except BaseException:
        default_storage.delete(stored)
        raise


def _recorded(check_in_id: int) -> None:
    """Tell the listeners (verification) after the commit: never inside the hot transaction."""
    check_in_recorded.send(sender=CheckIn, check_in_id=check_in_id)


def _selfie(employee: Employee, command: CheckInCommand, now: dt.datetime) -> ProcessedSelfie:
    """Read and decode the selfie; a refused image is recorded like any refused check-in."""
    try:
        data = command.selfie if isinstance(command.selfie, bytes) else read_upload(command.selfie)
        return process_selfie(data)
    except (InvalidImage, PayloadTooLarge) as exc:
        _record_refusal(employee, command, now, exc.code, {"reason": str(exc.message)})
        raise


def _replay(employee: Employee, event: CheckIn) -> CheckInOutcome:
    arrangement = arrangement_for(employee=employee, at=event.recorded_at)
    day = AttendanceDay.objects.get(employee=employee, date=event.work_date)
    return CheckInOutcome(event, day, arrangement, replayed=True)


def _record_refusal(
    employee: Employee, command: CheckInCommand, at: dt.datetime, code: str, detail: dict
) -> None:
    RefusedCheckIn.objects.create(
        employee=employee,
        request_id=command.request_id,
        kind=command.kind,
        at=at,
        latitude=command.point.latitude,
        longitude=command.point.longitude,
        accuracy_m=command.accuracy_m,
        code=code,
        detail=detail,
    )


def _refuse(
    employee: Employee,
    command: CheckInCommand,
    at: dt.datetime,
    code: str,
    message,
    detail: dict | None = None,
) -> CheckInRefused:
    _record_refusal(employee, command, at, code, detail or {})
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
    schedule = arrangement.schedule
    if not schedule.working or (arrangement.mode is None and arrangement.exception):
        raise _refuse(
            employee,
            command,
            now,
            "not_a_working_day",
            _("Today is not a working day for you.")
            if not schedule.working
            else _("You are on approved leave today (%(code)s): no check-in is needed.")
            % {"code": arrangement.exception},
            {"reason": schedule.reason if not schedule.working else "absence"}
            | ({"code": arrangement.exception} if arrangement.exception else {}),
        )
    if arrangement.place is None and arrangement.mode != "DL":
        raise _refuse(
            employee,
            command,
            now,
            "no_arrangement",
            arrangement.missing or _("No work place is set for you today. Contact your HR admin."),
            {"mode": arrangement.mode} if arrangement.mode else None,
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
    if arrangement.place is None:  # official travel without a destination: not checked
        return rules.GeofenceResult(True, 0.0, None)
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


def _run_checks(
    employee: Employee, command: CheckInCommand, arrangement: Arrangement, now: dt.datetime
) -> None:
    for check in _checks:
        refusal = check(employee, command, arrangement, now)
        if refusal is not None:
            raise _refuse(employee, command, now, refusal.code, refusal.message, refusal.detail)


def _store_event(
    employee: Employee,
    command: CheckInCommand,
    arrangement: Arrangement,
    geofence: rules.GeofenceResult,
    selfie: ProcessedSelfie,
    stored: str,
    now: dt.datetime,
) -> CheckIn:
    place = arrangement.place or rules.Place(
        kind=rules.PlaceKind.DESTINATION, name=str(_("Official travel")), centre=command.point
    )
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
        device_id=command.device_id[:128],
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
        verification=Verification.PENDING,
        risk_score=50 if command.mock_location else 0,
        risk_reasons=risk_reasons,
        rule_version=rules.RULE_VERSION,
    )
    event.save(force_insert=True)
    return event
