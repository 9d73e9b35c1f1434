"""Daily reports: submit (create or replace until approved), review, bulk approve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.core.signals import day_facts_changed
from sigap.org.models import Employee
from sigap.org.selectors import scope_for
from sigap.performance import rules
from sigap.performance.messages import issue_message
from sigap.performance.models import (
    Activity,
    DailyReport,
    Evidence,
    ReportEvent,
    ReportStatus,
    Task,
)
from sigap.performance.selectors import report_deadline_at
from sigap.performance.services.flags import report_missing_clear
from sigap.performance.settings import report_settings
from sigap.worktime.selectors import employee_zone

EVIDENCE_PATH = "/kinerja/bukti/"


def daily_report_submit(
    *, employee: Employee, date: dt.date, activities: Sequence[dict[str, Any]], user: User | None
) -> DailyReport:
    """Create or replace the report of `date` while it is not approved (409 after)."""
    zone = employee_zone(employee)
    now = clock.now()
    if rules.report_date_issue(date, clock.today(zone)):
        raise InvalidInput(_("Reports for future dates are not accepted."), code="in_the_future")
    parsed = [_activity(a) for a in activities]
    settings = report_settings(employee.agency)
    issues = rules.validate_activities([p for p, _extra in parsed], settings=settings)
    if issues:
        raise InvalidInput(
            issue_message(issues[0]),
            code=issues[0].code,
            detail={"issues": [_issue_out(i) for i in issues]},
        )
    links = _resolve_links(employee, [extra for _p, extra in parsed])
    late = now > report_deadline_at(employee=employee, date=date, settings=settings)
    with transaction.atomic():
        report = (
            DailyReport.objects.select_for_update().filter(employee=employee, date=date).first()
        )
        if report is not None and report.status == ReportStatus.APPROVED:
            raise Conflict(_("This report is already approved."), code="already_approved")
        action = "submitted" if report is None else "resubmitted"
        report = _save_report(report, employee, date, parsed, late, now)
        Activity.objects.filter(report=report).delete()
        Activity.objects.bulk_create(_activity_rows(report, parsed, links))
        ReportEvent.objects.create(
            report=report, action=action, actor=user, at=now, snapshot=_snapshot(parsed)
        )
        transaction.on_commit(lambda: report_missing_clear(employee_id=employee.pk, date=date))
        if action == "resubmitted" and employee.supervisor and employee.supervisor.user_id:
            notify(
                user_id=employee.supervisor.user_id,
                kind="report",
                title=_("%(name)s resubmitted a daily report") % {"name": employee.name},
                url="/kinerja/tinjauan/",
            )
    return report


def _save_report(report, employee, date, parsed, late, now) -> DailyReport:
    total = rules.total_minutes([p for p, _extra in parsed])
    if report is None:
        return DailyReport.objects.create(
            employee=employee,
            date=date,
            total_minutes=total,
            submitted_at=now,
            late=late,
        )
    report.status = ReportStatus.SUBMITTED
    report.total_minutes = total
    report.submitted_at = now
    report.late = report.late or late
    report.version += 1
    report.save(update_fields=["status", "total_minutes", "submitted_at", "late", "version"])
    return report


def _number(value: Any, field: str) -> Any:
    try:
        return Decimal(str(value)) if field == "output_qty" else int(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidInput(detail={"fields": {field: str(_("Not a number."))}}) from exc


def _activity(raw: dict[str, Any]) -> tuple[rules.ActivityIn, dict[str, Any]]:
    activity = rules.ActivityIn(
        description=str(raw.get("description") or ""),
        output_qty=_number(raw.get("output_qty", 0), "output_qty"),
        output_unit=str(raw.get("output_unit") or ""),
        minutes=_number(raw.get("minutes", 0), "minutes"),
        # a link to an uploaded file (EVIDENCE_PATH) is checked against the uploads instead
        evidence_url=None
        if str(raw.get("evidence_url") or "").startswith(EVIDENCE_PATH)
        else (raw.get("evidence_url") or None),
        task_id=raw.get("task_id"),
    )
    return activity, {"task_id": raw.get("task_id"), "evidence_url": raw.get("evidence_url")}


def _resolve_links(employee: Employee, extras: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Task ids must be the employee's own tasks; an evidence link to an uploaded file must
    be one of the employee's own uploads."""
    task_ids = {e["task_id"] for e in extras if e["task_id"] is not None}
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=task_ids, assignee=employee)}
    uploads = {
        e["evidence_url"].removeprefix(EVIDENCE_PATH).strip("/")
        for e in extras
        if (e["evidence_url"] or "").startswith(EVIDENCE_PATH)
    }
    ids = {int(u) for u in uploads if u.isdigit()}
    evidence = {x.pk: x for x in Evidence.objects.filter(pk__in=ids, employee=employee)}
    out = []
    for index, extra in enumerate(extras):
        task = tasks.get(extra["task_id"]) if extra["task_id"] is not None else None
        if extra["task_id"] is not None and task is None:
            raise InvalidInput(
                _("Activity %(n)d refers to a task that is not yours.") % {"n": index + 1},
                code="unknown_task",
                detail={"index": index},
            )
        url = extra["evidence_url"] or ""
        upload = None
        if url.startswith(EVIDENCE_PATH):
            key = url.removeprefix(EVIDENCE_PATH).strip("/")
            upload = evidence.get(int(key)) if key.isdigit() else None
            if upload is None:
                raise InvalidInput(
                    _("Activity %(n)d refers to an evidence file that is not yours.")
                    % {"n": index + 1},
                    code="unknown_evidence",
                    detail={"index": index},
                )
        out.append({"task": task, "evidence": upload, "url": "" if upload else url})
    return out


def _activity_rows(report, parsed, links) -> list[Activity]:
    return [
        Activity(
            report=report,
            order=order,
            description=activity.description.strip(),
            output_qty=activity.output_qty,
            output_unit=activity.output_unit.strip(),
            minutes=activity.minutes,
            evidence_url=link["url"],
            evidence=link["evidence"],
            task=link["task"],
        )
        for order, ((activity, _extra), link) in enumerate(zip(parsed, links, strict=True))
    ]


def _snapshot(parsed) -> list[dict[str, Any]]:
    return [
        {
            "description": a.description,
            "output_qty": str(a.output_qty),
            "output_unit": a.output_unit,
            "minutes": a.minutes,
            "evidence_url": extra["evidence_url"] or None,  # uploads keep their own link
            "task_id": a.task_id,
        }
        for a, extra in parsed
    ]


def _issue_out(issue: rules.Issue) -> dict[str, Any]:
    return {
        "code": issue.code,
        "index": issue.index,
        "field": issue.field,
        "message": issue_message(issue),
    }


# --- review ------------------------------------------------------------------------------


def may_review(user: User, employee: Employee) -> bool:
    """The direct supervisor, or the head of a unit above the employee, reviews."""
    scope = scope_for(user)
    if scope.employee_id is None or scope.employee_id == employee.pk:
        return False
    return employee.supervisor_id == scope.employee_id or employee.unit_id in scope.unit_ids


def daily_report_review(
    *, user: User, report: DailyReport, approve: bool, note: str = ""
) -> DailyReport:
    if not may_review(user, report.employee):
        raise Forbidden(_("Only the supervisor reviews this report."))
    if not approve and not note.strip():
        raise InvalidInput(
            _("Say what to fix when returning a report."),
            detail={"fields": {"note": str(_("Required."))}},
        )
    now = clock.now()
    with transaction.atomic():
        locked = DailyReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.SUBMITTED:
            raise Conflict(_("This report is not waiting for review."), code="not_submitted")
        _decide(locked, user, approve, note.strip(), now)
    return locked


def _decide(report: DailyReport, user: User, approve: bool, note: str, now) -> None:
    report.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    report.note = note
    report.reviewed_by = user
    report.reviewed_at = now
    report.save(update_fields=["status", "note", "reviewed_by", "reviewed_at"])
    ReportEvent.objects.create(report=report, action=report.status, actor=user, at=now, note=note)
    day_facts_changed.send(sender=DailyReport, employee_id=report.employee_id, date=report.date)
    if not approve:
        notify(
            user_id=report.employee.user_id,
            kind="report",
            title=_("Your daily report of %(day)s was returned")
            % {"day": f"{report.date:%d-%m-%Y}"},
            body=note,
            url="/kinerja/",
        )


def daily_reports_bulk_approve(*, user: User, report_ids: Iterable[int]) -> dict[str, list[int]]:
    """Approve every listed report the caller may review and that waits; report the rest."""
    ids = sorted(set(report_ids))
    now = clock.now()
    approved, skipped = [], []
    with transaction.atomic():
        reports = (
            DailyReport.objects.select_for_update(of=("self",))
            .select_related("employee")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        for report in reports:
            if report.status == ReportStatus.SUBMITTED and may_review(user, report.employee):
                _decide(report, user, True, "", now)
                approved.append(report.pk)
            else:
                skipped.append(report.pk)
    skipped += [i for i in ids if i not in approved and i not in skipped]
    return {"approved": approved, "skipped": sorted(skipped)}
