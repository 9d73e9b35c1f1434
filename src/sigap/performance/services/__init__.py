"""Performance use cases (writes). One module per concern; import from here."""

from sigap.performance.services.evidence import evidence_upload
from sigap.performance.services.flags import flag_missing_reports
from sigap.performance.services.reports import (
    daily_report_review,
    daily_report_submit,
    daily_reports_bulk_approve,
    may_review,
)
from sigap.performance.services.tasks import may_assign, task_assign, task_set_status

__all__ = [
    "daily_report_review",
    "daily_report_submit",
    "daily_reports_bulk_approve",
    "evidence_upload",
    "flag_missing_reports",
    "may_assign",
    "may_review",
    "task_assign",
    "task_set_status",
]
