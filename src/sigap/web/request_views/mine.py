"""The employee's requests (/pengajuan/): the list with the CT balance, the new-request
form, the detail, cancelling, and the scope-checked attachment file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sigap.attendance.models import AttendanceRequest
from sigap.attendance.requests import selectors, services
from sigap.core.documents import document_response
from sigap.core.exceptions import DomainError, Forbidden, NotFound
from sigap.core.models import User
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user
from sigap.web.request_views.forms import RequestForm

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def visible(user: User, request_id: int) -> AttendanceRequest:
    """The request if the user may see it (its employee, an approver, scope), else 404."""
    try:
        return selectors.request_visible_to(user=user, request_id=request_id)
    except NotFound as exc:
        raise Http404 from exc


def _employee(user: User) -> Employee:
    employee = employee_for_user(user)
    if employee is None:
        raise Http404(_("This account is not an employee."))
    return employee


@require_safe
@login_required
def requests_page(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    context = {
        "employee": employee,
        "mine": selectors.requests_for(user=request.user, mine=True) if employee else [],
        "balance": selectors.leave_balance(employee=employee) if employee else None,
        "waiting": selectors.awaiting_count(user=request.user),
    }
    return render(request, "web/requests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    employee = _employee(request.user)
    posted = request.method == "POST"
    form = RequestForm(request.POST, request.FILES) if posted else RequestForm()
    if posted and form.is_valid():
        try:
            services.request_submit(
                employee=employee, draft=form.draft(), attachment=form.cleaned_data["attachment"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Your request is submitted."))
            return redirect("web:requests")
    context = {"form": form, "balance": selectors.leave_balance(employee=employee)}
    return render(request, "web/request_form.html", context, status=422 if posted else 200)


@require_safe
@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    found = visible(request.user, request_id)
    own = found.employee.user_id == request.user.pk
    return render(request, "web/request_detail.html", {"r": found, "own": own})


@login_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    found = visible(request.user, request_id)
    try:
        services.request_cancel(user=request.user, request=found)
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your request is cancelled."))
    return redirect("web:requests")


@require_safe
@login_required
def request_attachment(request: HttpRequest, request_id: int) -> FileResponse:
    """The attachment, for the employee, the approvers and people whose scope has them."""
    found = visible(request.user, request_id)
    if not found.attachment:
        raise Http404
    extension = str(found.attachment.name).rsplit(".", 1)[-1].lower()
    return document_response(
        found.attachment,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        filename=f"lampiran-{found.pk}.{extension}",
    )
