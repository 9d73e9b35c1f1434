"""Daily-report, task and evidence endpoints (API.md "Daily reports")."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from sigap.core.exceptions import NotFound
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user, scope_for
from sigap.performance import selectors, services
from sigap.performance.models import DailyReport, SkpTarget, Task
from sigap.performance.schemas import (
    BulkIn,
    BulkOut,
    DailyReportIn,
    DailyReportOut,
    EvidenceOut,
    MissingListOut,
    MissingQuery,
    ReportListOut,
    ReportQuery,
    ReturnIn,
    TaskIn,
    TaskListOut,
    TaskOut,
    TaskStatusIn,
    report_out,
    task_out,
)

router = Router(tags=["daily reports"])


def _me(request: HttpRequest) -> Employee:
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("This account is not an employee."), code="not_an_employee")
    return employee


def _in_scope(request: HttpRequest, nip: str | None) -> Employee:
    if not nip:
        return _me(request)
    employee = scope_for(request.user).employees().filter(nip=nip).first()
    if employee is None:
        raise NotFound(_("No employee with that NIP in your scope."))
    return employee


# fixed paths first: "/daily-reports/{date}" would swallow them
@router.get("/daily-reports/missing", response=MissingListOut)
def missing_reports(request: HttpRequest, q: Query[MissingQuery]):
    rows = selectors.missing_reports_for(user=request.user, start=q.from_, end=q.to, nip=q.employee)
    return {"missing": [{"date": r.date, "employee": r.employee, "mode": r.mode} for r in rows]}


@router.get("/daily-reports/review-queue", response=ReportListOut)
def review_queue(request: HttpRequest, status: str | None = "submitted"):
    reports = selectors.review_queue(user=request.user, status=status or None)[:500]
    return {"reports": [report_out(r) for r in reports]}


@router.post("/daily-reports/bulk-approve", response=BulkOut)
def bulk_approve(request: HttpRequest, payload: BulkIn):
    return services.daily_reports_bulk_approve(user=request.user, report_ids=payload.ids)


@router.put("/daily-reports/{date}", response=DailyReportOut)
def put_report(request: HttpRequest, date: dt.date, payload: DailyReportIn):
    report = services.daily_report_submit(
        employee=_me(request),
        date=date,
        activities=[a.model_dump() for a in payload.activities],
        user=request.user,
    )
    fresh = selectors.report_visible(user=request.user, report_id=report.pk)
    return report_out(fresh)


@router.get("/daily-reports", response=ReportListOut)
def list_reports(request: HttpRequest, q: Query[ReportQuery]):
    employee = _in_scope(request, q.employee)
    reports = selectors.reports_of(employee=employee, start=q.from_, end=q.to)
    return {"reports": [report_out(r) for r in reports]}


def _reviewable(request: HttpRequest, report_id: int) -> DailyReport:
    report = selectors.report_visible(user=request.user, report_id=report_id)
    if report is None:
        raise NotFound()
    return report


@router.post("/daily-reports/{report_id}/approve", response=DailyReportOut)
def approve(request: HttpRequest, report_id: int):
    report = services.daily_report_review(
        user=request.user, report=_reviewable(request, report_id), approve=True
    )
    return report_out(selectors.report_visible(user=request.user, report_id=report.pk))


@router.post("/daily-reports/{report_id}/return", response=DailyReportOut)
def return_report(request: HttpRequest, report_id: int, payload: ReturnIn):
    report = services.daily_report_review(
        user=request.user, report=_reviewable(request, report_id), approve=False, note=payload.note
    )
    return report_out(selectors.report_visible(user=request.user, report_id=report.pk))


@router.post("/evidence", response={201: EvidenceOut})
def upload_evidence(request: HttpRequest, file: File[UploadedFile]):
    evidence = services.evidence_upload(employee=_me(request), upload=file)
    url = f"{services.reports.EVIDENCE_PATH}{evidence.pk}/"
    return Status(201, {"id": evidence.pk, "url": url, "content_type": evidence.content_type})


@router.get("/tasks", response=TaskListOut)
def list_tasks(request: HttpRequest):
    return {"tasks": [task_out(t) for t in selectors.open_tasks(employee=_me(request))]}


@router.post("/tasks", response={201: TaskOut})
def assign_task(request: HttpRequest, payload: TaskIn):
    assignee = _in_scope(request, payload.nip)
    skp = None
    if payload.skp_target_id is not None:
        skp = SkpTarget.objects.filter(pk=payload.skp_target_id, employee=assignee).first()
        if skp is None:
            raise NotFound(_("No such SKP target of this employee."))
    task = services.task_assign(
        user=request.user,
        assignee=assignee,
        skp_target=skp,
        title=payload.title,
        description=payload.description,
        target_qty=payload.target_qty,
        target_unit=payload.target_unit,
        due=payload.due,
    )
    return Status(201, task_out(task))


@router.post("/tasks/{task_id}/status", response=TaskOut)
def set_task_status(request: HttpRequest, task_id: int, payload: TaskStatusIn):
    visible = scope_for(request.user).employees()
    task = Task.objects.filter(pk=task_id, assignee__in=visible).first()
    if task is None:
        raise NotFound()
    return task_out(services.task_set_status(user=request.user, task=task, status=payload.status))
