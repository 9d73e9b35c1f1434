"""Verify every stored check-in in the background (Celery; eagerly in the embedded mode)."""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver

from sigap.core.signals import check_in_recorded


@receiver(check_in_recorded)
def verify_later(sender, *, check_in_id: int, **kwargs) -> None:
    if not getattr(settings, "SIGAP_VERIFICATION", True):
        return
    from sigap.verification.tasks import verify

    verify.delay(check_in_id)
