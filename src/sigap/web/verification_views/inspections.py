"""Surprise inspections (/sidak/): open one for a unit and a time (POST /sidak/baru/), tick
who is there and save (POST /sidak/<id>/simpan/, optionally closing at once), close it
(POST /sidak/<id>/tutup/: frozen, the check-ins of those absent go to review). The page of
an inspection (/sidak/<id>/) lists the unit's people with their check-in status at that
time and, once saved, the two groups that matter: checked in at the office but not there,
and there without a check-in.

Inspectors and HR admins of the agency only (403 otherwise; 404 for another agency's
unit or inspection); everything goes through sigap.verification.inspections.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.core.exceptions import DomainError, Forbidden, InvalidInput, NotFound
from sigap.org.selectors import scope_for
from sigap.verification.inspections import (
    inspection_close,
    inspection_open,
    inspection_people,
    inspection_record,
    inspection_units,
    inspection_visible,
    inspection_zone,
    inspections_visible,
)
from sigap.verification.models import Finding, Inspection
from sigap.web.verification_views.review import refusals

PAGE_SIZE = 30


def _list_context(request: HttpRequest, error: str = "") -> dict[str, Any]:
    scope = scope_for(request.user)
    found = inspections_visible(scope=scope)
    return {
        "units": inspection_units(scope),
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "error": error,
        "posted": request.POST if request.method == "POST" else {},
    }


def _detail_context(inspection: Inspection, error: str = "") -> dict[str, Any]:
    people = inspection_people(inspection)
    groups = {finding: [p for p in people if p.finding == finding] for finding in Finding.values}
    return {
        "inspection": inspection,
        "zone": str(inspection_zone(inspection)),
        "people": people,
        "saved": any(p.finding for p in people),
        "absent_checked_in": groups[Finding.ABSENT_BUT_CHECKED_IN],
        "present_no_check_in": groups[Finding.PRESENT_WITHOUT_CHECK_IN],
        "findings": Finding.choices,
        "error": error,
    }


def _local_time(raw: str) -> dt.datetime | None:
    """The form's datetime-local value (naive: the service reads it in the unit's zone)."""
    if not raw:
        return None
    try:
        return dt.datetime.fromisoformat(raw).replace(tzinfo=None)
    except ValueError as exc:
        raise InvalidInput(_("Give the time as date and hour.")) from exc


@login_required
@require_GET
@refusals
def inspections(request: HttpRequest) -> HttpResponse:
    return render(request, "web/verification/inspections.html", _list_context(request))


@login_required
@require_POST
@refusals
def inspection_new(request: HttpRequest) -> HttpResponse:
    raw_unit = request.POST.get("unit", "")
    try:
        if not raw_unit.isdigit() or len(raw_unit) > 11:
            raise InvalidInput(_("Choose a unit."))
        inspection = inspection_open(
            scope=scope_for(request.user),
            by=request.user,
            unit_id=int(raw_unit),
            at=_local_time(request.POST.get("at", "")),
            note=request.POST.get("note", ""),
        )
    except (Forbidden, NotFound):
        raise
    except DomainError as exc:
        context = _list_context(request, error=str(exc.message))
        return render(request, "web/verification/inspections.html", context, status=exc.status)
    return redirect("web:inspection_detail", inspection_id=inspection.pk)


@login_required
@require_GET
@refusals
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = inspection_visible(scope=scope_for(request.user), inspection_id=inspection_id)
    return render(request, "web/verification/inspection_detail.html", _detail_context(inspection))


@login_required
@require_POST
@refusals
def inspection_save(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = inspection_visible(scope=scope_for(request.user), inspection_id=inspection_id)
    present = [int(raw) for raw in request.POST.getlist("present") if raw.isdigit()]
    try:
        inspection_record(inspection=inspection, present=present)
        if request.POST.get("then") == "close":
            inspection_close(inspection=inspection)
    except DomainError as exc:
        context = _detail_context(inspection, error=str(exc.message))
        return render(
            request, "web/verification/inspection_detail.html", context, status=exc.status
        )
    closed = inspection.closed_at is not None
    messages.success(request, _("Saved and closed.") if closed else _("Saved."))
    return redirect("web:inspection_detail", inspection_id=inspection.pk)


@login_required
@require_POST
@refusals
def inspection_finish(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = inspection_visible(scope=scope_for(request.user), inspection_id=inspection_id)
    try:
        inspection_close(inspection=inspection)
    except DomainError as exc:
        context = _detail_context(inspection, error=str(exc.message))
        return render(
            request, "web/verification/inspection_detail.html", context, status=exc.status
        )
    messages.success(request, _("The inspection is closed."))
    return redirect("web:inspection_detail", inspection_id=inspection.pk)
