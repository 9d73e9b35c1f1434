"""Flexible work (/kerja-fleksibel/): an employee applies with a reason and a work plan;
the unit head decides; HR sees the agency's waiting list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sigap.arrangements.models import ApplicationStatus, Mode
from sigap.arrangements.selectors import flexible_applications_visible
from sigap.arrangements.services import flexible_work_apply, flexible_work_decide
from sigap.core.exceptions import DomainError
from sigap.org.models import Employee
from sigap.org.selectors import Scope, employee_for_user, scope_for
from sigap.web.roster_views.access import forbid

WEEKDAYS = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
]


class FlexibleWorkForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    work_plan = forms.CharField(
        label=gettext_lazy("Work plan with measurable targets"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=[(Mode.WFH.value, Mode.WFH.label), (Mode.WFA.value, Mode.WFA.label)],
        initial=Mode.WFH.value,
        widget=forms.RadioSelect,
    )
    days_per_week = forms.IntegerField(
        label=gettext_lazy("Days a week"), min_value=1, max_value=5, initial=1
    )
    preferred_weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Preferred weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def add_domain_error(self, exc: DomainError) -> None:
        fields = exc.detail.get("fields") or {}
        for name, message in fields.items():
            self.add_error(name if name in self.fields else None, str(message))
        if not fields:
            self.add_error(None, str(exc.message))


def _flexible_context(scope: Scope, employee: Employee | None, form: FlexibleWorkForm) -> dict:
    visible = flexible_applications_visible(scope=scope)
    names = dict(WEEKDAYS)
    mine = list(visible.filter(employee_id=scope.employee_id)[:50]) if employee else []
    pending = []
    if scope.unit_ids or scope.has_role("hr_admin"):
        pending = list(
            visible.filter(status=ApplicationStatus.SUBMITTED)
            .exclude(employee_id=scope.employee_id)
            .order_by("submitted_at")[:200]
        )
    for application in [*mine, *pending]:
        application.weekday_names = ", ".join(
            str(names.get(d, d)) for d in application.preferred_weekdays
        )
        application.decidable = application.employee.unit_id in scope.unit_ids
    return {"employee": employee, "form": form, "mine": mine, "pending": pending}


@login_required
@require_http_methods(["GET", "POST"])
def flexible_page(request: HttpRequest) -> HttpResponse:
    """An employee's applications and the form; a unit head's (or HR's) waiting list."""
    scope = scope_for(request.user)
    employee = employee_for_user(request.user)
    form = FlexibleWorkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if employee is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                flexible_work_apply(employee=employee, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Your application is submitted to the unit head."))
                return redirect("web:flexible")
        status = 422
    context = _flexible_context(scope, employee, form)
    return render(request, "web/flexible.html", context, status=status)


@login_required
@require_POST
def flexible_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    application = flexible_applications_visible(scope=scope).filter(pk=application_id).first()
    if application is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        flexible_work_decide(
            user=request.user,
            application=application,
            approve=approve,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        forbid(exc)
        fields = exc.detail.get("fields") or {}
        messages.error(request, " ".join(map(str, fields.values())) or str(exc.message))
    else:
        messages.success(request, _("Approved.") if approve else _("Refused."))
    return redirect("web:flexible")
