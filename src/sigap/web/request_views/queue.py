"""The approver's queue (/pengajuan/persetujuan/): the requests waiting for the caller's
decision (supervisor, unit head, HR for steps nobody else can decide), a decision per
request and a bulk approval that reports what succeeded and what failed, and why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from sigap.attendance.models import AttendanceRequest
from sigap.attendance.requests import selectors, services
from sigap.core.exceptions import DomainError, Forbidden, NotFound
from sigap.core.models import User
from sigap.web.request_views.forms import DecisionForm

QUEUE_LIMIT = 200
BULK_LIMIT = 200


def label(found: AttendanceRequest) -> str:
    days = f"{found.start:%d-%m-%Y}"
    if found.end != found.start:
        days += f" – {found.end:%d-%m-%Y}"
    return f"{found.employee.name}, {found.type} {days}"


@require_safe
@login_required
def request_queue(request: HttpRequest) -> HttpResponse:
    pending = selectors.requests_for(user=request.user, mine=False, limit=QUEUE_LIMIT)
    return render(request, "web/request_queue.html", {"pending": pending})


@login_required
@require_POST
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise BadRequest("decision")
    try:
        found = selectors.request_in_agency(user=request.user, request_id=request_id)
    except NotFound as exc:
        raise Http404 from exc
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.request_decide(
            user=request.user, request=found, approve=approve, note=form.cleaned_data["note"]
        )
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, f"{label(found)}: {exc.message}")
    else:
        done = _("Approved: %(request)s") if approve else _("Rejected: %(request)s")
        messages.success(request, done % {"request": label(found)})
    return redirect("web:request_queue")


def _ids(raw: list[str]) -> list[int]:
    ids = list(dict.fromkeys(int(value) for value in raw if value.isdigit()))
    if len(ids) > BULK_LIMIT:
        raise BadRequest("too many requests")
    return ids


def approve_each(user: User, ids: list[int], note: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Approve each request through the service, each in its own transaction: the labels
    of the approved ones, and (label, reason) of the others."""
    done: list[str] = []
    failed: list[tuple[str, str]] = []
    for request_id in ids:
        name = f"#{request_id}"
        try:
            found = selectors.request_in_agency(user=user, request_id=request_id)
            name = label(found)
            services.request_decide(user=user, request=found, approve=True, note=note)
        except DomainError as exc:
            failed.append((name, str(exc.message)))
        else:
            done.append(name)
    return done, failed


@login_required
@require_POST
def request_bulk_approve(request: HttpRequest) -> HttpResponse:
    ids = _ids(request.POST.getlist("ids"))
    note = request.POST.get("note", "")[:2000]
    if not ids:
        messages.error(request, _("Select at least one request to approve."))
        return redirect("web:request_queue")
    done, failed = approve_each(request.user, ids, note)
    if done:
        text = ngettext(
            "%(count)d request approved: %(names)s",
            "%(count)d requests approved: %(names)s",
            len(done),
        )
        messages.success(request, text % {"count": len(done), "names": "; ".join(done)})
    for name, reason in failed:
        messages.error(
            request,
            _("Not approved: %(request)s: %(reason)s")
            % {
                "request": name,
                "reason": reason,
            },
        )
    return redirect("web:request_queue")
