"""Roll-call pages (apel): the list of sessions with HR's ad hoc form (/apel/), the unit
head's report (/apel/<id>/: confirm, correct, mark attendance) and the full-screen board
for the hall's projector (/apel/<id>/papan/, its rows polled by htmx every 5 s)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sigap.core import clock
from sigap.core.exceptions import DomainError, Forbidden, NotFound
from sigap.org.models import Office, Unit
from sigap.org.selectors import employee_for_user, scope_for
from sigap.rollcall import rules, selectors, services
from sigap.rollcall.models import PlaceKind, Rollcall, SessionKind

REASON_LABELS = {
    "DL": gettext_lazy("Official travel (DL)"),
    "leave": gettext_lazy("Leave"),
    "sick": gettext_lazy("Sick"),
    "permission": gettext_lazy("Permission"),
    "TK": gettext_lazy("No reason (TK)"),
    "not_yet": gettext_lazy("Not yet"),
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class RollcallForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=gettext_lazy("Start"), widget=TIME_INPUT)
    cutoff_time = forms.TimeField(label=gettext_lazy("Cut-off"), widget=TIME_INPUT)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SessionKind.choices)
    place_kind = forms.ChoiceField(label=gettext_lazy("Place"), choices=PlaceKind.choices)
    office_id = forms.TypedChoiceField(
        label=gettext_lazy("Office"), coerce=int, required=False, empty_value=None
    )
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False)
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False)
    radius_m = forms.IntegerField(label=gettext_lazy("Radius (m)"), required=False, min_value=1)
    meeting_link = forms.URLField(
        label=gettext_lazy("Meeting link"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, agency_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.filter(agency_id=agency_id, active=True).order_by("name")
        self.fields["office_id"].choices = [("", "—")] + [(o.pk, o.name) for o in offices]


class CorrectForm(forms.Form):
    present = forms.IntegerField(label=gettext_lazy("Present"), min_value=0)
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"), max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in rules.REASONS:
            self.fields[name] = forms.IntegerField(label=REASON_LABELS[name], min_value=0)


def domain_errors(view: Callable) -> Callable:
    """Forbidden -> 403, NotFound -> 404 (the same refusals as the API)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    return wrapper


def _form_error(form: forms.Form, exc: DomainError) -> None:
    fields = exc.detail.get("fields") or {}
    for name, problems in fields.items():
        target = name if name in form.fields else None
        form.add_error(target, "; ".join(str(p) for p in problems))
    if not fields:
        form.add_error(None, str(exc.message))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def rollcall_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = RollcallForm(request.POST or None, agency_id=scope.agency_id)
    if request.method == "POST":
        agency = selectors.agency_for_creating(user=request.user)
        if form.is_valid():
            try:
                spec = services.SessionSpec(**form.cleaned_data)
                created = services.rollcall_create(agency=agency, spec=spec, user=request.user)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The roll call is scheduled."))
                return redirect("web:rollcall_report", rollcall_id=created.pk)
    since = clock.today(settings.TIME_ZONE) - dt.timedelta(days=14)
    context = {
        "rollcalls": selectors.rollcalls_visible(user=request.user).filter(date__gte=since)[:60],
        "form": form if selectors.may_create(scope) else None,
        "may_board": selectors.may_view_board(scope),
        "heads": bool(scope.headed_unit_ids),
    }
    return render(request, "web/rollcall_list.html", context, status=422 if form.errors else 200)


def _report_context(request: HttpRequest, rollcall: Rollcall) -> dict:
    scope = scope_for(request.user)
    units = Unit.objects.filter(pk__in=scope.headed_unit_ids, parent__isnull=True)
    sections = []
    for unit in units.order_by("code"):
        row = selectors.BoardRow(unit, selectors.report_for(rollcall=rollcall, unit=unit))
        initial = {"present": row.present, **row.absent}
        sections.append({"row": row, "form": CorrectForm(initial=initial, prefix=f"u{unit.pk}")})
    return {
        "rollcall": rollcall,
        "sections": sections,
        "reason_labels": REASON_LABELS,
        "people": selectors.markable_people(rollcall=rollcall, scope=scope),
        "may_board": selectors.may_view_board(scope),
        "may_prefill": selectors.may_create(scope),
        "me_id": scope.employee_id,
    }


@login_required
@require_GET
@domain_errors
def rollcall_report(request: HttpRequest, rollcall_id: int) -> HttpResponse:
    """The unit head's page; others see the session and a link to the board."""
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    return render(request, "web/rollcall_report.html", _report_context(request, rollcall))


@login_required
@require_POST
@domain_errors
def rollcall_confirm(request: HttpRequest, rollcall_id: int, unit_id: int) -> HttpResponse:
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    unit = _unit(rollcall, unit_id)
    head = selectors.reporting_employee(user=request.user, unit=unit)
    try:
        services.unit_report_confirm(
            rollcall=rollcall, unit=unit, by=head, note=request.POST.get("note", "")[:2000]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The report of %(unit)s is confirmed.") % {"unit": unit.name})
    return redirect("web:rollcall_report", rollcall_id=rollcall.pk)


@login_required
@require_POST
@domain_errors
def rollcall_correct(request: HttpRequest, rollcall_id: int, unit_id: int) -> HttpResponse:
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    unit = _unit(rollcall, unit_id)
    head = selectors.reporting_employee(user=request.user, unit=unit)
    form = CorrectForm(request.POST, prefix=f"u{unit.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.unit_report_correct(
                rollcall=rollcall,
                unit=unit,
                by=head,
                present=data["present"],
                absent_by_reason={name: data[name] for name in rules.REASONS},
                reason=data["reason"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The correction is saved and logged."))
            return redirect("web:rollcall_report", rollcall_id=rollcall.pk)
    context = _report_context(request, rollcall)
    for section in context["sections"]:
        if section["row"].unit.pk == unit.pk:
            section["form"] = form
    return render(request, "web/rollcall_report.html", context, status=422)


def _unit(rollcall: Rollcall, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, agency_id=rollcall.agency_id).first()
    if unit is None:
        raise Http404
    return unit


@login_required
@require_POST
@domain_errors
def rollcall_mark(request: HttpRequest, rollcall_id: int) -> HttpResponse:
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    scope = scope_for(request.user)
    me = employee_for_user(request.user)
    raw = request.POST.get("employee", "")
    person = scope.employees().filter(pk=int(raw) if raw.isdigit() else None).first()
    if me is None or person is None:
        raise Http404
    present = request.POST.get("present") == "1"
    services.participation_mark(
        rollcall=rollcall, employee=person, present=present, by=me, scope=scope
    )
    messages.success(request, _("Attendance of %(name)s is recorded.") % {"name": person.name})
    return redirect(f"/apel/{rollcall.pk}/#person-{person.pk}")


@login_required
@require_POST
@domain_errors
def rollcall_prefill(request: HttpRequest, rollcall_id: int) -> HttpResponse:
    """HR fills the reports now (normally done by the beat task at the cut-off)."""
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    selectors.agency_for_creating(user=request.user)
    count = services.rollcall_prefill(rollcall=rollcall)
    messages.success(request, _("%(n)d OPD reports are pre-filled.") % {"n": count})
    return redirect("web:rollcall_report", rollcall_id=rollcall.pk)


@login_required
@require_GET
@domain_errors
def rollcall_board(request: HttpRequest, rollcall_id: int) -> HttpResponse:
    rollcall = selectors.board_for(user=request.user, rollcall_id=rollcall_id)
    context = {"board": selectors.board(rollcall=rollcall), "reason_labels": REASON_LABELS}
    return render(request, "web/rollcall_board.html", context)


@login_required
@require_GET
@domain_errors
def rollcall_board_rows(request: HttpRequest, rollcall_id: int) -> HttpResponse:
    """The polled partial: every OPD's row and the totals."""
    rollcall = selectors.board_for(user=request.user, rollcall_id=rollcall_id)
    context = {"board": selectors.board(rollcall=rollcall), "reason_labels": REASON_LABELS}
    return render(request, "web/rollcall_board_rows.html", context)
