"""Background jobs of verification."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from sigap.attendance.models import CheckIn
from sigap.core import clock
from sigap.verification.services import verify_check_in

SWEEP_AFTER = dt.timedelta(minutes=2)
SWEEP_WINDOW = dt.timedelta(days=2)


@shared_task(
    name="verification.verify",
    acks_late=True,
    max_retries=3,
    default_retry_delay=10,
    ignore_result=True,
)
def verify(check_in_id: int) -> dict:
    result = verify_check_in(check_in_id=check_in_id)
    if result is None:
        return {"check_in": check_in_id, "missing": True}
    return {"check_in": check_in_id, "face": result.face, "score": result.score}


@shared_task(name="verification.sweep")
def sweep() -> int:
    """Enqueue every recent check-in that has no result two minutes after it was stored
    (its publish was lost: the process died, the broker was down)."""
    if not settings.SIGAP_VERIFICATION:
        return 0
    now = clock.now()
    missing = (
        CheckIn.objects.filter(
            recorded_at__gte=now - SWEEP_WINDOW,
            recorded_at__lt=now - SWEEP_AFTER,
            checked__isnull=True,
        )
        .order_by("recorded_at")
        .values_list("pk", flat=True)[:5000]
    )
    ids = list(missing)
    for check_in_id in ids:
        verify.delay(check_in_id)
    return len(ids)
