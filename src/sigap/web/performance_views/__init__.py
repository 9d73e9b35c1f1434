"""Daily-report and task pages (/kinerja/): the employee's phone-first report form, the
supervisor's review queue, a report's history, evidence files, tasks.

Every write goes through sigap.performance.services, every read through its selectors;
the form's rows reach report.js as JSON (the CSP forbids inline script).
"""

import datetime as dt

from django.urls import register_converter

from sigap.web.performance_views.report_form import report_page, report_today
from sigap.web.performance_views.review import (
    evidence_file,
    report_bulk_approve,
    report_decide,
    report_detail,
    report_queue,
)
from sigap.web.performance_views.tasks import task_status, tasks_page


class IsoDateConverter:
    """`<isodate:day>` in the URLs: 2026-11-23 as a date (anything else does not match)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError (30 February): no match, 404

    def to_url(self, value: dt.date | str) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)


register_converter(IsoDateConverter, "isodate")

__all__ = [
    "evidence_file",
    "report_bulk_approve",
    "report_decide",
    "report_detail",
    "report_page",
    "report_queue",
    "report_today",
    "task_status",
    "tasks_page",
]
