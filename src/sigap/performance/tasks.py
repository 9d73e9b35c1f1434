"""Background jobs of performance (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task

from sigap.performance.services.flags import flag_missing_reports


@shared_task(name="performance.flag_missing_reports")
def flag_missing_reports_due() -> dict:
    """Run hourly by beat: flag the overdue required reports of the last days (and clear
    the flags of days whose report came in or that no longer need one)."""
    result = flag_missing_reports()
    return {
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "flagged": result.flagged,
        "cleared": result.cleared,
        "without_row": result.without_row,
    }
