"""API schemas of daily reports and tasks (API.md "Daily reports"), and their shaping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field, model_validator

from sigap.performance.models import DailyReport, Task
from sigap.privacy.schemas import PersonRef

MAX_RANGE_DAYS = 92


class ActivityIn(Schema):
    description: str = Field(max_length=4000)
    output_qty: Decimal = Field(default=Decimal(0), max_digits=12, decimal_places=2)
    output_unit: str = Field(default="", max_length=60)
    minutes: int
    evidence_url: str | None = Field(default=None, max_length=2000)
    task_id: int | None = None


class DailyReportIn(Schema):
    activities: list[ActivityIn] = Field(max_length=100)


class ActivityOut(Schema):
    description: str
    output_qty: float
    output_unit: str
    minutes: int
    evidence_url: str | None
    task_id: int | None


class DailyReportOut(Schema):
    id: int
    date: dt.date
    employee: PersonRef
    status: str
    activities: list[ActivityOut]
    total_minutes: int
    note: str
    late: bool
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None


class ReportListOut(Schema):
    reports: list[DailyReportOut]


class ReportQuery(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date
    employee: str | None = None

    @model_validator(mode="after")
    def bounded(self):
        if self.to < self.from_ or (self.to - self.from_).days >= MAX_RANGE_DAYS:
            raise ValueError(f"from..to must be 1..{MAX_RANGE_DAYS} days")
        return self


class MissingQuery(ReportQuery):
    pass


class MissingOut(Schema):
    date: dt.date
    employee: PersonRef
    mode: str


class MissingListOut(Schema):
    missing: list[MissingOut]


class ReturnIn(Schema):
    note: str = Field(max_length=2000)


class BulkIn(Schema):
    ids: list[int] = Field(min_length=1, max_length=500)


class BulkOut(Schema):
    approved: list[int]
    skipped: list[int]


class EvidenceOut(Schema):
    id: int
    url: str
    content_type: str


class TaskIn(Schema):
    nip: str = Field(min_length=18, max_length=18)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    target_qty: Decimal = Field(max_digits=12, decimal_places=2)
    target_unit: str = Field(max_length=60)
    due: dt.date
    skp_target_id: int | None = None  # a yearly SKP target of the assignee


class TaskStatusIn(Schema):
    status: Literal["open", "done", "cancelled"]


class TaskOut(Schema):
    id: int
    title: str
    description: str
    target_qty: float
    target_unit: str
    due: dt.date
    status: str
    assignee: PersonRef
    assigned_by: PersonRef | None
    skp_target_id: int | None = None


class TaskListOut(Schema):
    tasks: list[TaskOut]


def report_out(report: DailyReport) -> dict:
    evidence_path = "/kinerja/bukti/"
    return {
        "id": report.pk,
        "date": report.date,
        "employee": report.employee,
        "status": report.status,
        "activities": [
            {
                "description": a.description,
                "output_qty": float(a.output_qty),
                "output_unit": a.output_unit,
                "minutes": a.minutes,
                "evidence_url": (
                    f"{evidence_path}{a.evidence_id}/" if a.evidence_id else a.evidence_url or None
                ),
                "task_id": a.task_id,
            }
            for a in report.activities.all()
        ],
        "total_minutes": report.total_minutes,
        "note": report.note,
        "late": report.late,
        "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at,
    }


def task_out(task: Task) -> dict:
    return {
        "id": task.pk,
        "title": task.title,
        "description": task.description,
        "target_qty": float(task.target_qty),
        "target_unit": task.target_unit,
        "due": task.due,
        "status": task.status,
        "assignee": task.assignee,
        "assigned_by": task.assigned_by,
        "skp_target_id": task.skp_target_id,
    }
