"""Background jobs of the health watch (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task

from sigap.health.services import screening_reminders_send
from sigap.org.models import Agency


@shared_task(name="health.send_test_reminders")
def send_test_reminders() -> int:
    """Daily: remind front-line staff of tests due soon or overdue (each reminder once)."""
    return sum(screening_reminders_send(agency=agency) for agency in Agency.objects.all())
