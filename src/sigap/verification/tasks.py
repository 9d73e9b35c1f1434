"""Background jobs of verification."""

from __future__ import annotations

from celery import shared_task

from sigap.verification.services import verify_check_in


@shared_task(name="verification.verify", acks_late=True, max_retries=3, default_retry_delay=10)
def verify(check_in_id: int) -> dict:
    result = verify_check_in(check_in_id=check_in_id)
    if result is None:
        return {"check_in": check_in_id, "missing": True}
    return {"check_in": check_in_id, "face": result.face, "score": result.score}
