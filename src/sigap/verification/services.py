"""Verifying a stored check-in (run by a Celery worker): the face against the employee's
active references, the selfie's perceptual hash against their recent selfies and
everyone's selfies of the day, the location's plausibility, the device and the office QR
code. The result is written to the check-in (verification, risk score, reasons) and, at or
above the agency's threshold, the check-in goes to review and its day is recomputed.
Idempotent: a check-in is verified once."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from sigap.attendance.models import CheckIn, Review, Source
from sigap.attendance.services import attendance_day_recompute
from sigap.core import clock
from sigap.org.models import Office
from sigap.verification import face, phash, rules
from sigap.verification.models import (
    CheckVerification,
    Device,
    DeviceStatus,
    FaceOutcome,
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
)
from sigap.verification.settings import verification_settings

RECENT_FIXES = 60
MAX_PROPOSALS = 5


@dataclass
class FaceCheck:
    outcome: str
    distance: float | None = None
    face_px: int = 0
    embedding: tuple[float, ...] | None = None
    phash: int | None = None


def _open_selfie(event: CheckIn) -> Image.Image | None:
    if not event.selfie:
        return None
    try:
        with default_storage.open(event.selfie.name, "rb") as handle:
            image = Image.open(handle)
            image.load()
            return image
    except (OSError, UnidentifiedImageError):
        return None


def check_face(event: CheckIn, settings: rules.Settings) -> FaceCheck:
    image = _open_selfie(event)
    if image is None:
        return FaceCheck(FaceOutcome.NO_SELFIE if not event.selfie else FaceOutcome.UNREADABLE)
    hashed = phash.phash(image)
    found = face.analyse(image, min_face_px=settings.min_face_px)
    if not found.ok:
        return FaceCheck(str(found.problem), face_px=found.size_px, phash=hashed)
    templates = list(
        FaceReference.objects.filter(
            employee_id=event.employee_id, status=ReferenceStatus.ACTIVE
        ).values_list("template", flat=True)
    )
    best = face.best_distance(found.embedding, templates)
    outcome = rules.face_outcome(None, best, threshold=settings.face_threshold)
    return FaceCheck(outcome, best, found.size_px, found.embedding, hashed)


def reuse_reasons(event: CheckIn, hashed: int | None, settings: rules.Settings) -> list:
    if hashed is None:
        return []
    since = event.work_date - dt.timedelta(days=settings.reuse_days)
    own = CheckVerification.objects.filter(
        employee_id=event.employee_id, work_date__gte=since, phash__isnull=False
    ).exclude(check_in_id=event.pk)
    reasons = []
    again = rules.near_duplicates(hashed, own.values_list("check_in_id", "phash"))
    if again:
        reasons.append(rules.Reason("selfie_reused", {"check_ins": sorted(again)[:5]}))
    others = CheckVerification.objects.filter(
        work_date=event.work_date, phash__isnull=False
    ).exclude(employee_id=event.employee_id)
    shared = rules.near_duplicates(hashed, others.values_list("check_in_id", "phash"))
    if shared:
        reasons.append(rules.Reason("selfie_shared", {"check_ins": sorted(shared)[:5]}))
    return reasons


def _fix(event: CheckIn) -> rules.Fix:
    return rules.Fix(event.latitude, event.longitude, event.accuracy_m, event.recorded_at)


def location_reasons(event: CheckIn) -> list:
    reasons = []
    if event.mock_location:
        reasons.append(rules.Reason("mock_location"))
    earlier = list(
        CheckIn.objects.filter(employee_id=event.employee_id, recorded_at__lt=event.recorded_at)
        .order_by("-recorded_at")
        .only("latitude", "longitude", "accuracy_m", "recorded_at")[:RECENT_FIXES]
    )
    current = _fix(event)
    found = rules.impossible_travel(_fix(earlier[0]) if earlier else None, current)
    if found:
        reasons.append(found)
    repeated = rules.repeated_fix([_fix(e) for e in earlier], current)
    if repeated:
        reasons.append(repeated)
    lat, lon = rules.point_key(event.latitude, event.longitude)
    near = 5e-7
    others = (
        CheckIn.objects.filter(
            work_date=event.work_date,
            latitude__gte=lat - near,
            latitude__lt=lat + near,
            longitude__gte=lon - near,
            longitude__lt=lon + near,
        )
        .exclude(employee_id=event.employee_id)
        .values_list("employee_id", "accuracy_m")
    )
    people = {employee_id for employee_id, _accuracy in others}
    same_accuracy = any(accuracy == event.accuracy_m for _employee, accuracy in others)
    shared = rules.shared_coordinates(len(people), same_accuracy=same_accuracy)
    if shared:
        reasons.append(shared)
    # a check-in sent later from the offline queue was captured long before it arrived:
    # that is its delay (flagged on the day), not a wrong device clock
    skew = (
        None
        if event.source == Source.OFFLINE
        else rules.clock_skew(event.captured_at, event.recorded_at)
    )
    if skew:
        reasons.append(skew)
    return reasons


def device_reasons(event: CheckIn) -> list:
    if not event.device_id:
        return []
    reasons = []
    others = (
        CheckIn.objects.filter(work_date=event.work_date, device_id=event.device_id)
        .exclude(employee_id=event.employee_id)
        .values("employee_id")
        .distinct()
        .count()
    )
    if others:
        reasons.append(rules.Reason("shared_device", {"employees": others + 1}))
    status = (
        Device.objects.filter(employee_id=event.employee_id, device_id=event.device_id)
        .values_list("status", flat=True)
        .first()
    )
    if status is not None and status != DeviceStatus.APPROVED:
        reasons.append(rules.Reason("new_device"))
    return reasons


def qr_reasons(event: CheckIn, settings: rules.Settings) -> list:
    """A valid code of the office the check-in was made at proves presence (lowers the
    risk); a forged, expired or other office's code is flagged; a WFO check-in without a
    code is flagged when the agency requires it."""
    if not event.qr_token:
        if settings.require_qr_for_wfo and event.mode == "WFO":
            return [rules.Reason("qr_missing")]
        return []
    office_id = rules.qr_office(event.qr_token)
    office = (
        Office.objects.filter(pk=office_id).exclude(qr_secret="").first() if office_id else None
    )
    if office is None:
        return [rules.Reason("qr_invalid", {"why": "unknown"})]
    fresh = any(
        rules.qr_valid(event.qr_token, office.qr_secret, office.pk, at)
        for at in (event.recorded_at, event.captured_at)
    )
    here = event.place_kind == "office" and (event.place_latitude, event.place_longitude) == (
        office.latitude,
        office.longitude,
    )
    if not fresh:
        return [rules.Reason("qr_invalid", {"why": "expired_or_forged"})]
    if not here:
        return [rules.Reason("qr_invalid", {"why": "other_office"})]
    return [rules.Reason("qr_verified", {"office": office.name})]


def verify_check_in(*, check_in_id: int) -> CheckVerification | None:
    """Run every check once and write the outcome (None: the check-in is gone)."""
    existing = CheckVerification.objects.filter(check_in_id=check_in_id).first()
    if existing is not None:
        return existing
    event = CheckIn.objects.select_related("employee", "employee__agency").filter(pk=check_in_id)
    event = event.first()
    if event is None:
        return None
    settings = verification_settings(event.employee.agency)
    began = time.perf_counter()
    checked = check_face(event, settings)
    reasons = rules.face_reasons(checked.outcome, checked.distance, settings.face_threshold)
    reasons += reuse_reasons(event, checked.phash, settings)
    reasons += location_reasons(event)
    reasons += device_reasons(event)
    reasons += qr_reasons(event, settings)
    score = rules.risk_score(reasons)
    try:
        with transaction.atomic():
            result = CheckVerification.objects.create(
                check_in=event,
                employee_id=event.employee_id,
                work_date=event.work_date,
                face=checked.outcome,
                distance=checked.distance,
                face_px=checked.face_px,
                phash=checked.phash,
                device_id=event.device_id,
                reasons=[r.as_dict() for r in reasons],
                score=score,
                model_version=face.MODEL_VERSION,
                processed_at=clock.now(),
                seconds=time.perf_counter() - began,
            )
            _write_event(event, checked, reasons, score, settings)
            _propose_reference(event, checked)
    except IntegrityError:  # verified in parallel by another worker
        return CheckVerification.objects.filter(check_in_id=check_in_id).first()
    return result


def _write_event(event: CheckIn, checked: FaceCheck, reasons, score: int, settings) -> None:
    locked = CheckIn.objects.select_for_update().get(pk=event.pk)
    locked.verification = rules.api_verification(checked.outcome)
    locked.risk_score = score
    locked.risk_reasons = [r.code for r in reasons]
    fields = ["verification", "risk_score", "risk_reasons"]
    if rules.needs_review(score, settings) and locked.review == Review.NONE:
        locked.review = Review.PENDING
        locked.review_reasons = [*locked.review_reasons, "verification"]
        fields += ["review", "review_reasons"]
    locked.save(update_fields=fields)
    if "review" in fields:
        attendance_day_recompute(employee=event.employee, date=event.work_date)


def _propose_reference(event: CheckIn, checked: FaceCheck) -> None:
    """An employee without an active reference: their first good selfies are proposed
    (HR approves before they count)."""
    if checked.outcome != FaceOutcome.NO_REFERENCE or checked.embedding is None:
        return
    proposals = FaceReference.objects.filter(
        employee_id=event.employee_id, status=ReferenceStatus.PROPOSED
    ).count()
    if proposals >= MAX_PROPOSALS:
        return
    FaceReference.objects.create(
        employee_id=event.employee_id,
        image=event.selfie.name,
        template=list(checked.embedding),
        face_px=checked.face_px,
        status=ReferenceStatus.PROPOSED,
        source=ReferenceSource.SELFIE,
        check_in=event,
        model_version=face.MODEL_VERSION,
        created_at=clock.now(),
    )
