"""The supervisor's side of daily reports: the review queue (/kinerja/tinjauan/) with its
filters, approve / return with a note / bulk approve; a report's page with its history
(/kinerja/laporan/<id>/); the scope-checked evidence files (/kinerja/bukti/<id>/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from sigap.core import clock
from sigap.core.documents import document_response
from sigap.core.exceptions import DomainError
from sigap.org.selectors import scope_for
from sigap.performance import selectors
from sigap.performance.models import ReportEvent, ReportStatus
from sigap.performance.services import (
    daily_report_review,
    daily_reports_bulk_approve,
    may_review,
)
from sigap.web.performance_views.forms import QueueFilterForm
from sigap.web.roster_views.access import forbid

PAGE_SIZE = 50
MAX_BULK = 500
EVENT_LABELS = {
    "submitted": gettext_lazy("Submitted"),
    "resubmitted": gettext_lazy("Resubmitted"),
    "approved": gettext_lazy("Approved"),
    "returned": gettext_lazy("Returned"),
}


def _back(request: HttpRequest) -> str:
    """Where a decision returns to: the page it came from (same site only) or the queue."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("web:report_queue")


@login_required
@require_GET
def report_queue(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_supervisor or scope.unit_ids):
        raise PermissionDenied
    filters = QueueFilterForm(request.GET)
    reports = selectors.reports_to_review(user=request.user, **filters.filters())
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = clock.today(settings.TIME_ZONE)
    missing = selectors.missing_reports_for(
        user=request.user,
        start=today - dt.timedelta(days=selectors.MISSING_LOOKBACK_DAYS),
        end=today,
    )
    context = {
        "filters": filters,
        "missing": missing[:100],
        "missing_count": len(missing),
        "page": page,
        "query": query.urlencode(),
        "here": request.get_full_path(),
        "waiting": ReportStatus.SUBMITTED,
    }
    return render(request, "web/report_queue.html", context)


@login_required
@require_POST
def report_decide(request: HttpRequest, report_id: int) -> HttpResponse:
    """Approve, or return with a note (required): one report."""
    report = selectors.report_visible(user=request.user, report_id=report_id)
    if report is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        daily_report_review(
            user=request.user, report=report, approve=approve, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        forbid(exc)
        fields = exc.detail.get("fields") or {}
        messages.error(request, " ".join([str(exc.message), *map(str, fields.values())]))
    else:
        name, day = report.employee.name, report.date
        text = _("Approved: %(name)s, %(day)s.") if approve else _("Returned: %(name)s, %(day)s.")
        messages.success(request, text % {"name": name, "day": date_format(day, "j F Y")})
    return redirect(_back(request))


@login_required
@require_POST
def report_bulk_approve(request: HttpRequest) -> HttpResponse:
    ids = [int(raw) for raw in request.POST.getlist("ids") if raw.isdigit()][:MAX_BULK]
    if not ids:
        messages.error(request, _("Tick the reports to approve first."))
        return redirect(_back(request))
    outcome = daily_reports_bulk_approve(user=request.user, report_ids=ids)
    approved, skipped = len(outcome["approved"]), len(outcome["skipped"])
    messages.success(
        request,
        ngettext("%(n)d report approved.", "%(n)d reports approved.", approved) % {"n": approved},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d skipped: already decided or not yours to review.",
                "%(n)d skipped: already decided or not yours to review.",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect(_back(request))


@login_required
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """A report with its history, for its owner and the people whose scope includes them."""
    report = selectors.report_with_history(user=request.user, report_id=report_id)
    if report is None:
        raise Http404
    context = {
        "report": report,
        "history": [_event(e) for e in report.events.all()],
        "decidable": report.status == ReportStatus.SUBMITTED
        and may_review(request.user, report.employee),
        "here": request.get_full_path(),
    }
    return render(request, "web/report_detail.html", context)


def _event(event: ReportEvent) -> dict[str, Any]:
    actor = event.actor
    employee = getattr(actor, "employee", None) if actor is not None else None
    return {
        "action": event.action,
        "label": EVENT_LABELS.get(event.action, event.action),
        "who": employee.name if employee else (actor.get_username() if actor else "–"),
        "at": event.at,
        "note": event.note,
        "snapshot": event.snapshot or [],
    }


@login_required
@require_GET
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """An evidence file, only for its owner and people whose scope includes the owner."""
    evidence = selectors.evidence_visible(user=request.user, evidence_id=evidence_id)
    if evidence is None:
        raise Http404
    extension = str(evidence.file.name).rsplit(".", 1)[-1]
    return document_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=f"bukti-{evidence.pk}.{extension}",
    )
