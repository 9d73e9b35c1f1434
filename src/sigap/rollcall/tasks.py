"""Background jobs of the roll call (thin wrappers around services)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from sigap.core import clock
from sigap.org.models import Agency
from sigap.rollcall.models import Rollcall, session_bounds
from sigap.rollcall.services import rollcall_prefill, rollcalls_create_due


@shared_task(name="rollcall.tick")
def tick() -> dict:
    """Run every few minutes by beat: create each agency's session of the day from its
    series, and pre-fill every recent session whose cut-off has passed (once after it;
    an earlier provisional pre-fill by HR does not count)."""
    now = clock.now()
    created, prefilled = 0, 0
    for agency in Agency.objects.all():
        if rollcalls_create_due(agency=agency, date=clock.today(agency.time_zone)):
            created += 1
    recent = now.date() - dt.timedelta(days=1)
    sessions = Rollcall.objects.filter(date__gte=recent, date__lte=now.date() + dt.timedelta(1))
    for rollcall in sessions.select_related("agency", "office"):
        cutoff = session_bounds(rollcall)[1]
        if cutoff <= now and (rollcall.prefilled_at is None or rollcall.prefilled_at < cutoff):
            rollcall_prefill(rollcall=rollcall)
            prefilled += 1
    return {"sessions": created, "prefilled": prefilled}
