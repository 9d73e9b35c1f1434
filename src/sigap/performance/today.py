"""What `GET /me` and the phone page add from performance: today's report duty and state,
and the caller's tasks summary (registered with attendance in PerformanceConfig.ready)."""

from __future__ import annotations

from typing import Any

from sigap.org.models import Employee
from sigap.performance import rules
from sigap.performance.models import DailyReport
from sigap.performance.selectors import tasks_summary
from sigap.performance.settings import report_settings


def me_extension(employee: Employee, arrangement: Any) -> dict[str, Any]:
    settings = report_settings(employee.agency)
    mode = arrangement.mode if arrangement.mode in rules.KNOWN_MODES else None
    required = rules.report_required(mode=mode, settings=settings)
    submitted = DailyReport.objects.filter(employee=employee, date=arrangement.work_date).exists()
    return {
        "today": {"report_required": required, "report_submitted": submitted},
        "tasks": tasks_summary(employee=employee, today=arrangement.work_date),
    }
