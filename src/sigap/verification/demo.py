"""Demo verification: the Kominfo office gets a QR kiosk secret, and a few of the latest
demo check-ins are flagged the way real cheating shows up (a fake-GPS app, two colleagues
reporting the same coordinates to the last digit, one phone used by two people), so the
inspector (`inspektur`) finds a review queue to work on. Idempotent."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from sigap.attendance.models import CheckIn, Review
from sigap.core import clock
from sigap.org.models import Agency, Office
from sigap.verification import rules
from sigap.verification.models import CheckVerification, FaceOutcome

LEFT_ALONE = ("pegawai", "pegawai.layanan")


def seed_verification_demo(*, agency: Agency, today: dt.date) -> int:
    """Returns how many check-ins it flagged (0 on a second run)."""
    office = Office.objects.filter(agency=agency, units__code="DISKOMINFO").first()
    if office is not None and not office.qr_secret:
        office.qr_secret = secrets.token_hex(32)
        office.save(update_fields=["qr_secret"])
    if CheckVerification.objects.filter(employee__agency=agency).exists():
        return 0
    recent = list(
        CheckIn.objects.filter(
            employee__agency=agency, kind="in", work_date__lt=today, review=Review.NONE
        )
        .exclude(employee__user__username__in=LEFT_ALONE)
        .select_related("employee")
        .order_by("-work_date", "employee__nip")[:4]
    )
    if len(recent) < 4:
        return 0
    mock, first, second, phone = recent
    cases = [
        (mock, [rules.Reason("mock_location")], {"mock_location": True}),
        (first, [rules.Reason("shared_coordinates", {"employees": 2})], {}),
        (
            second,
            [rules.Reason("shared_coordinates", {"employees": 2})],
            {
                "latitude": first.latitude,
                "longitude": first.longitude,
                "accuracy_m": first.accuracy_m,
            },
        ),
        (phone, [rules.Reason("shared_device", {"employees": 2})], {"device_id": "demo-hp-1"}),
    ]
    with transaction.atomic():
        for event, reasons, changes in cases:
            _flag(event, reasons, changes)
    return len(cases)


def _flag(event: CheckIn, reasons: list[rules.Reason], changes: dict) -> None:
    score = rules.risk_score(reasons)
    for name, value in changes.items():
        setattr(event, name, value)
    event.risk_score = score
    event.risk_reasons = [r.code for r in reasons]
    event.review = Review.PENDING
    event.review_reasons = [*event.review_reasons, "verification"]
    event.save()
    CheckVerification.objects.create(
        check_in=event,
        employee=event.employee,
        work_date=event.work_date,
        face=FaceOutcome.NO_SELFIE,
        device_id=event.device_id,
        reasons=[r.as_dict() for r in reasons],
        score=score,
        processed_at=clock.now(),
    )
