"""The unit's health page (/kesehatan/unit/): counts per unit for everyone with units in
scope (leaders, inspectors, HR, unit heads); for the unit head and HR also today's flagged
declarations, recent positive tests, pending WFH suggestions (accept / dismiss) and the
front-line staff whose test is overdue. A person's health record (/kesehatan/pegawai/<nip>/)
for the unit head and HR, where HR also enters a test result. Views of people's health data
are recorded in the access log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.core.exceptions import DomainError
from sigap.health import selectors, services
from sigap.org.models import Agency, Role
from sigap.org.selectors import scope_for
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory
from sigap.web.health_views.forms import TestForm
from sigap.web.rollcall_views import domain_errors

RECORD_DAYS = 30


@login_required
@require_GET
def health_unit(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.agency_id is None or not scope.units().exists():
        raise PermissionDenied(_("The health dashboard is for unit heads, HR and leaders."))
    agency = Agency.objects.get(pk=scope.agency_id)
    parent = None
    if request.GET.get("unit", "").isdigit():
        parent = scope.units().filter(pk=int(request.GET["unit"])).first()
        if parent is None:
            raise Http404
    day = selectors.agency_today(agency)
    context = {
        "day": day,
        "parent": parent,
        "rows": selectors.unit_counts(
            agency=agency, units=selectors.dashboard_units(scope, parent), day=day
        ),
        "window": selectors.POSITIVE_WINDOW_DAYS,
        "manager": selectors.is_health_manager(scope),
    }
    if context["manager"]:
        context.update(_manager_lists(request, agency, scope, day))
    return render(request, "web/health/unit.html", context)


def _manager_lists(request: HttpRequest, agency: Agency, scope, day: dt.date) -> dict:
    people = selectors.detail_employees(scope).exclude(pk=scope.employee_id)
    flagged = selectors.flagged_declarations(employees=people, day=day)
    positives = selectors.recent_positives(employees=people, day=day)
    suggestions = selectors.pending_suggestions(employees=people)
    shown = {
        *(d.employee_id for d in flagged),
        *(t.employee_id for t in positives),
        *(s.employee_id for s in suggestions),
    }
    access_record(
        viewer=request.user,
        subject_ids=shown,
        category=DataCategory.HEALTH,
        what="health watch: flags, positive tests, WFH suggestions",
        request=request,
    )
    return {
        "flagged": flagged,
        "positives": positives,
        "suggestions": suggestions,
        "overdue": selectors.overdue_staff(agency=agency, employees=people, today=day),
    }


@login_required
@require_GET
@domain_errors
def health_employee(request: HttpRequest, nip: str) -> HttpResponse:
    employee = selectors.health_detail_access(user=request.user, nip=nip)
    today = selectors.employee_today(employee)
    context = {
        "person": employee,
        "today": today,
        "declarations": list(
            selectors.declarations_of(
                employee=employee, since=today - dt.timedelta(days=RECORD_DAYS)
            )
        ),
        "tests": list(selectors.tests_of(employee=employee)[:50]),
        "screening": selectors.screening_of(employee, today),
        "hr": scope_for(request.user).has_role(Role.HR_ADMIN),
        "test_form": TestForm(initial={"taken_on": today.isoformat()}),
    }
    access_record(
        viewer=request.user,
        subject_ids=[employee.pk],
        category=DataCategory.HEALTH,
        what="health record (declarations, tests)",
        request=request,
    )
    return render(request, "web/health/employee.html", context)


@login_required
@require_POST
@domain_errors
def health_employee_test(request: HttpRequest, nip: str) -> HttpResponse:
    """HR enters a test result for someone (the document is optional for HR)."""
    employee = selectors.health_detail_access(user=request.user, nip=nip)
    form = TestForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The test result is not complete."))
        return redirect("web:health_employee", nip=nip)
    try:
        services.health_test_record(
            user=request.user,
            employee=employee,
            document=form.cleaned_data["document"],
            **{k: form.cleaned_data[k] for k in ("kind", "taken_on", "result")},
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc.message))
        return redirect("web:health_employee", nip=nip)
    messages.success(request, _("The test result is recorded."))
    return redirect("web:health_employee", nip=nip)


@login_required
@require_POST
@domain_errors
def health_suggestion_decide(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """One click: "accept" plans the WFH days, "dismiss" leaves the roster; again: nothing."""
    action = request.POST.get("action")
    if action == "accept":
        done = services.suggestion_accept(user=request.user, suggestion_id=suggestion_id)
        messages.success(
            request,
            _("WFH planned on %(n)d days.") % {"n": len(done.applied_days)}
            if done.applied_days
            else _("The suggestion is decided; no day was changed."),
        )
    elif action == "dismiss":
        services.suggestion_dismiss(user=request.user, suggestion_id=suggestion_id)
        messages.success(request, _("The suggestion is dismissed."))
    else:
        messages.error(request, _("Choose accept or dismiss."))
    return redirect("web:health_unit")
