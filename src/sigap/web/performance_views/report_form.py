"""The daily report form, phone first (/kinerja/ and /kinerja/<YYYY-MM-DD>/): the day's
report and its status, the activity rows, "repeat" the previous report; below, the last
14 days and the required days still without a report. And the phone page's question
"is a report required today?" (/kinerja/hari-ini/, read by report.js)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sigap.attendance.context import arrangement_for
from sigap.core import clock
from sigap.core.exceptions import DomainError
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user
from sigap.performance import rules, selectors
from sigap.performance.models import DailyReport
from sigap.performance.today import me_extension
from sigap.web.performance_views.forms import ActivityFormSet, activity_formset, activity_rows
from sigap.web.performance_views.submit import RowProblem, submit_report
from sigap.worktime.selectors import employee_work_date

RECENT_DAYS = 14


@dataclass(frozen=True)
class ReportDay:
    employee: Employee
    date: dt.date
    today: dt.date
    report: DailyReport | None
    previous: DailyReport | None


def own_employee(request: HttpRequest) -> Employee:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("This account is not an employee."))
    return employee


def _report_day(employee: Employee, day: dt.date | None) -> ReportDay:
    """The day shown: today (the employee's work date) or a past date; 404 otherwise."""
    today = employee_work_date(employee=employee, at=clock.now())
    date = today if day is None else day
    if date > today:
        raise Http404
    report = selectors.reports_of(employee=employee, start=date, end=date).first()
    previous = selectors.previous_report(employee=employee, before=date)
    return ReportDay(employee, date, today, report, previous)


def _formset(page: ReportDay, *, repeat: bool = False, data=None, files=None) -> ActivityFormSet:
    activities = list(page.report.activities.all()) if page.report else []
    linked = [a.task_id for a in activities if a.task_id]
    tasks = list(selectors.tasks_to_link(employee=page.employee, keep=linked))
    if data is not None:
        return activity_formset(tasks=tasks, data=data, files=files)
    initial = activity_rows(activities)
    if repeat and page.previous:
        initial += activity_rows(list(page.previous.activities.all()), with_evidence=False)
    return activity_formset(tasks=tasks, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, day: dt.date | None = None) -> HttpResponse:
    page = _report_day(own_employee(request), day)
    if request.method == "POST":
        return _save(request, page)
    formset = _formset(page, repeat=request.GET.get("repeat") == "1")
    return _render(request, page, formset)


def _save(request: HttpRequest, page: ReportDay) -> HttpResponse:
    formset = _formset(page, data=request.POST, files=request.FILES)
    errors: list[str] = []
    status = 422
    if not formset.is_valid():
        errors = [str(e) for e in formset.non_form_errors()]
        return _render(request, page, formset, errors, status)
    try:
        submit_report(
            employee=page.employee, date=page.date, forms=formset.filled(), user=request.user
        )
    except RowProblem as problem:
        problem.form.add_error("evidence_file", str(problem.error.message))
        status = problem.error.status
    except DomainError as exc:
        errors, status = formset.add_domain_error(exc), exc.status
        if request.FILES:
            errors.append(_("Nothing was saved: choose the photos again."))
    else:
        messages.success(request, _("The report is saved and sent to your supervisor."))
        return redirect("web:report_edit", day=page.date)
    return _render(request, page, formset, errors, status)


def _render(
    request: HttpRequest,
    page: ReportDay,
    formset: ActivityFormSet,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    report = page.report
    context = {
        "employee": page.employee,
        "date": page.date,
        "today": page.today,
        "report": report,
        "editable": report is None or rules.report_editable(report.status),
        "formset": formset,
        "rows": [*formset.forms, formset.empty_form],
        "errors": errors or [],
        "previous": page.previous,
        "previous_rows": activity_rows(list(page.previous.activities.all()), with_evidence=False)
        if page.previous
        else [],
        **_recent(page),
    }
    return render(request, "web/report_form.html", context, status=status)


def _recent(page: ReportDay) -> dict[str, Any]:
    """The last 14 days' reports and the required days among them still without one."""
    start = page.today - dt.timedelta(days=RECENT_DAYS - 1)
    recent = list(selectors.reports_of(employee=page.employee, start=start, end=page.today))
    duty = selectors.report_duty_days(employee=page.employee, start=start, end=page.today)
    if page.date < start:
        duty |= selectors.report_duty_days(employee=page.employee, start=page.date, end=page.date)
    reported = {r.date for r in recent}
    return {
        "recent": recent[::-1],
        "missing": sorted((d for d in duty if d not in reported and d < page.today), reverse=True),
        "required": page.date in duty,
    }


@login_required
@require_GET
def report_today(request: HttpRequest) -> JsonResponse:
    """For the phone page: is a report required today (as GET /me says), and is it in?"""
    employee = own_employee(request)
    arrangement = arrangement_for(employee=employee, at=clock.now())
    duty = me_extension(employee, arrangement)["today"]
    response = JsonResponse(
        {
            "required": duty["report_required"],
            "submitted": duty["report_submitted"],
            "url": reverse("web:reports"),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
