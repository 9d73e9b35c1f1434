"""The employee's own health pages: /kesehatan/ (today's declaration, recent ones, tests
and where they stand), the declaration POST (also from the phone check-in page), their
own test result POST, and test documents (owner, unit head, HR; views logged)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.core.exceptions import DomainError
from sigap.health import selectors, services
from sigap.health.documents import document_response
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory
from sigap.web.health_views.forms import DeclarationForm, TestForm

HISTORY_DAYS = 14


def _me(request: HttpRequest) -> Employee:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("This account is not an employee."))
    return employee


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def declaration_initial(gate: selectors.CheckInGate) -> DeclarationForm:
    made = gate.declaration
    return DeclarationForm(
        initial={
            "date": gate.today.isoformat(),
            "symptoms": made.symptoms if made else [],
            "temperature_c": made.temperature_c if made else None,
            "notes": made.notes if made else "",
        }
    )


@login_required
@require_GET
def health_me(request: HttpRequest) -> HttpResponse:
    employee = _me(request)
    gate = selectors.check_in_gate(employee=employee)
    context = {
        "employee": employee,
        "gate": gate,
        "form": declaration_initial(gate),
        "declarations": list(
            selectors.declarations_of(
                employee=employee, since=gate.today - dt.timedelta(days=HISTORY_DAYS)
            )
        ),
        "tests": list(selectors.tests_of(employee=employee)[:20]),
        "screening": selectors.screening_of(employee, gate.today),
        "test_form": TestForm(initial={"taken_on": gate.today.isoformat()}),
        "next": reverse("web:health_me"),
    }
    return render(request, "web/health/mine.html", context)


@login_required
@require_POST
def health_declare(request: HttpRequest) -> HttpResponse:
    employee = _me(request)
    back = _next(request, reverse("web:health_me"))
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The declaration is not valid: check the temperature."))
        return redirect(back)
    data = form.cleaned_data
    try:
        services.declaration_submit(
            employee=employee,
            day=data["date"],
            symptoms=data["symptoms"],
            temperature_c=data["temperature_c"],
            notes=data["notes"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(request, _("Your health declaration is saved. Thank you."))
    return redirect(back)


@login_required
@require_POST
def health_test_new(request: HttpRequest) -> HttpResponse:
    employee = _me(request)
    form = TestForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The test result is not complete."))
        return redirect("web:health_me")
    try:
        services.health_test_record(
            user=request.user,
            employee=employee,
            document=form.cleaned_data["document"],
            **{k: form.cleaned_data[k] for k in ("kind", "taken_on", "result")},
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("web:health_me")
    messages.success(request, _("The test result is recorded."))
    return redirect("web:health_me")


@login_required
@require_GET
def health_document(request: HttpRequest, test_id: int) -> FileResponse:
    """A test document: its owner, their unit head and HR (others: 404); logged."""
    test = selectors.health_test_visible(user=request.user, test_id=test_id)
    if test is None or not test.document:
        raise Http404
    access_record(
        viewer=request.user,
        subject_ids=[test.employee_id],
        category=DataCategory.HEALTH,
        what=f"health test document #{test.pk}",
        request=request,
    )
    return document_response(test)
