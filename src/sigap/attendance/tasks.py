"""Background jobs of attendance (thin wrappers around services)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from sigap.attendance.services import attendance_close_day
from sigap.core import clock


@shared_task(name="attendance.close_due_days")
def close_due_days() -> dict:
    """Run hourly by beat: finalise yesterday and the day before (late shifts, far zones).
    Days whose window is not over yet are left for the next run."""
    today = clock.today(settings.TIME_ZONE)
    done = {}
    for back in (2, 1):
        day = today - dt.timedelta(days=back)
        done[day.isoformat()] = attendance_close_day(date=day).finalised
    return done
