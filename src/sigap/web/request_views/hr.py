"""HR's view of every request of the agency (/pengajuan/semua/): HR admin, leader and
inspector, read-only, filtered and paginated; and the month lock panel, where HR reopens
a locked month for clarifications with a reason and closes it again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sigap.attendance.requests import selectors, services
from sigap.core.exceptions import DomainError, Forbidden, NotFound
from sigap.core.models import User
from sigap.org.models import Agency, Role
from sigap.org.selectors import Scope, scope_for
from sigap.web.request_views.forms import RequestFilterForm

PAGE_SIZE = 50


def _whole_agency(user: User) -> Scope:
    scope = scope_for(user)
    if not (scope.whole_agency or scope.all_agencies):
        raise PermissionDenied
    return scope


def _agency(user: User) -> Agency:
    try:
        return selectors.agency_of(user=user)
    except NotFound as exc:
        raise Http404 from exc


@require_safe
@login_required
def requests_hr(request: HttpRequest) -> HttpResponse:
    scope = _whole_agency(request.user)
    agency = _agency(request.user)
    form = RequestFilterForm(request.GET, scope=scope)
    found = selectors.requests_in_scope(user=request.user, filters=form.filters())
    context = {
        "form": form,
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "months": selectors.month_locks(agency=agency),
        "reopenings": selectors.month_reopenings(agency=agency),
        "can_reopen": scope.has_role(Role.HR_ADMIN),
    }
    return render(request, "web/requests_hr.html", context)


def _month_done(request: HttpRequest, exc: DomainError | None, success: str) -> HttpResponse:
    if isinstance(exc, Forbidden):
        raise PermissionDenied(str(exc.message))
    if exc is not None:
        fields = exc.detail.get("fields") or {}
        texts = [str(text) for errors in fields.values() for text in errors]
        messages.error(request, " ".join(texts) or str(exc.message))
    else:
        messages.success(request, success)
    return redirect(reverse("web:requests_hr") + "#months")


@login_required
@require_POST
def month_reopen(request: HttpRequest, year: int, month: int) -> HttpResponse:
    agency = _agency(request.user)
    error: DomainError | None = None
    try:
        services.month_reopen(
            user=request.user,
            agency=agency,
            year=year,
            month=month,
            reason=request.POST.get("reason", "")[:2000],
        )
    except DomainError as exc:
        error = exc
    return _month_done(request, error, _("The month is reopened for clarifications."))


@login_required
@require_POST
def month_close(request: HttpRequest, year: int, month: int) -> HttpResponse:
    agency = _agency(request.user)
    error: DomainError | None = None
    try:
        services.month_close(user=request.user, agency=agency, year=year, month=month)
    except DomainError as exc:
        error = exc
    return _month_done(request, error, _("The month is closed again."))
