"""What performance holds of a person for their own-data export (sigap.privacy; imported by
PerformanceConfig.ready): daily reports with their activities (+ uploaded evidence files)
and the tasks assigned to them. Nothing here has a retention rule of its own."""

from __future__ import annotations

from collections import defaultdict

from django.core.files.storage import default_storage

from sigap.org.models import Employee
from sigap.performance.models import Activity, DailyReport, Evidence, Task
from sigap.privacy.registry import SubjectSection, register_subject_section

ACTIVITY_FIELDS = (
    "report_id", "order", "description", "output_qty", "output_unit", "minutes",
    "evidence_url", "evidence_id", "task__title",
)  # fmt: skip


def _opener(name: str):
    return lambda: default_storage.open(name, "rb")


def daily_reports_section(employee: Employee) -> SubjectSection:
    activities = defaultdict(list)
    found = Activity.objects.filter(report__employee=employee).order_by("report_id", "order")
    for row in found.values(*ACTIVITY_FIELDS):
        activities[row.pop("report_id")].append({**row, "task": row.pop("task__title")})
    files = {}
    for evidence in Evidence.objects.filter(employee=employee).order_by("pk"):
        stored = evidence.file.name or ""
        if stored:
            files[f"bukti/{evidence.pk}_{stored.rsplit('/', 1)[-1]}"] = _opener(stored)
    reports = DailyReport.objects.filter(employee=employee).order_by("date")
    fields = ("id", "date", "status", "total_minutes", "submitted_at", "late", "note",
              "reviewed_at")  # fmt: skip
    rows = [{**row, "activities": activities.get(row["id"], [])} for row in reports.values(*fields)]
    return SubjectSection(rows, files)


def tasks_section(employee: Employee) -> SubjectSection:
    found = Task.objects.filter(assignee=employee).order_by("created_at", "pk")
    fields = ("id", "title", "description", "target_qty", "target_unit", "due", "status",
              "created_at", "assigned_by__name")  # fmt: skip
    return SubjectSection([dict(row) for row in found.values(*fields)])


register_subject_section("daily_reports", daily_reports_section)
register_subject_section("tasks", tasks_section)
