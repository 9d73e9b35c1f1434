"""The official reports page (/laporan/): pick a report (the monthly attendance report of a
unit as XLSX or PDF, the daily recap of the whole agency as XLSX, the monthly TPP deduction
report of a unit or of the whole agency as XLSX), start it as a background job, watch its
progress (the job box polls itself with htmx) and download the file.

Who: HR admins, leaders and inspectors for their whole agency; unit heads for the units of
their subtree (not the agency's daily recap); anyone else gets 403. The TPP reports are
payroll files: a unit's to HR admins (any unit) and unit heads (their subtree), the whole
agency's to HR admins only (not leaders or inspectors); a TPP month must have begun (400).
A unit outside the caller's agency is 404, outside their scope 403. A job and its file
belong to the user who started it: anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from sigap.core import clock
from sigap.discipline.selectors import may_export_agency
from sigap.org.models import Agency, Unit
from sigap.org.selectors import Scope, scope_for
from sigap.reports.tasks import (
    DAILY_XLSX,
    KINDS,
    TPP_AGENCY_XLSX,
    TPP_UNIT_XLSX,
    export_job,
    export_start,
)
from sigap.web.roster_views.access import parse_int

AGENCY_ROLES = ("hr_admin", "leader", "inspector")


def _whole_agency(scope: Scope) -> bool:
    return scope.all_agencies or any(scope.has_role(role) for role in AGENCY_ROLES)


def _allowed(scope: Scope) -> Scope:
    if scope.agency_id is None or not (_whole_agency(scope) or scope.has_role("unit_head")):
        raise PermissionDenied
    return scope


def _units(scope: Scope) -> list[Unit]:
    units = Unit.objects.filter(agency_id=scope.agency_id, active=True)
    if not _whole_agency(scope):
        units = units.filter(pk__in=scope.unit_ids)
    return list(units.order_by("code"))


def _tpp_units(scope: Scope) -> list[Unit]:
    """The units whose TPP file the caller may make: HR any, a unit head their subtree."""
    units = Unit.objects.filter(agency_id=scope.agency_id, active=True)
    if not may_export_agency(scope):
        units = units.filter(pk__in=scope.unit_ids)
    return list(units.order_by("code"))


def _unit(scope: Scope, raw: Any, *, tpp: bool = False) -> Unit:
    """404 outside the agency, 403 outside the caller's subtree (for a TPP file: unless HR)."""
    unit_id = parse_int(raw)
    unit = Unit.objects.filter(pk=unit_id, agency_id=scope.agency_id).first() if unit_id else None
    if unit is None:
        raise Http404
    everywhere = may_export_agency(scope) if tpp else _whole_agency(scope)
    if not (everywhere or unit.pk in scope.unit_ids):
        raise PermissionDenied
    return unit


def _month(raw: str | None) -> tuple[int, int]:
    try:
        first = dt.date.fromisoformat(f"{raw}-01")
    except ValueError as exc:
        raise BadRequest("month") from exc
    return first.year, first.month


def _begun_month(agency: Agency, raw: str | None) -> tuple[int, int]:
    """A month that has begun in the agency's zone (a TPP month); 400 otherwise."""
    year, month = _month(raw)
    today = clock.today(agency.time_zone)
    if (year, month) > (today.year, today.month):
        raise BadRequest("month")
    return year, month


def _date(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError as exc:
        raise BadRequest("date") from exc


@login_required
@require_GET
def exports_page(request: HttpRequest) -> HttpResponse:
    scope = _allowed(scope_for(request.user))
    today = clock.today(settings.TIME_ZONE)
    context = {
        "units": _units(scope),
        "agency_recap": _whole_agency(scope),
        "tpp_units": _tpp_units(scope),
        "tpp_agency": may_export_agency(scope),
        "month": today.strftime("%Y-%m"),
        "today": today.isoformat(),
    }
    return render(request, "web/exports.html", context)


@login_required
@require_POST
def export_start_view(request: HttpRequest) -> HttpResponse:
    """Start the chosen export; answers the job box (polled while the job runs)."""
    scope = _allowed(scope_for(request.user))
    kind = request.POST.get("kind", "")
    if kind not in KINDS:
        raise BadRequest("kind")
    agency = Agency.objects.get(pk=scope.agency_id)
    what = _what(scope, kind, agency, request.POST)
    job_id = export_start(user=request.user, kind=kind, agency=agency, **what)
    return _render_job(request, job_id)


def _what(scope: Scope, kind: str, agency: Agency, data) -> dict[str, Any]:
    """The export's unit, month or date, scope-checked (403 before any 400)."""
    if kind == DAILY_XLSX:
        if not _whole_agency(scope):
            raise PermissionDenied
        return {"date": _date(data.get("date"))}
    if kind == TPP_AGENCY_XLSX:
        if not may_export_agency(scope):
            raise PermissionDenied
        return {"month": _begun_month(agency, data.get("month"))}
    if kind == TPP_UNIT_XLSX:
        unit = _unit(scope, data.get("unit"), tpp=True)
        return {"unit": unit, "month": _begun_month(agency, data.get("month"))}
    return {"unit": _unit(scope, data.get("unit")), "month": _month(data.get("month"))}


@login_required
@require_GET
def export_job_view(request: HttpRequest, job_id: str) -> HttpResponse:
    return _render_job(request, job_id)


def _own_job(request: HttpRequest, job_id: str) -> dict[str, Any]:
    job = export_job(job_id)
    if job is None or job.get("user_id") != request.user.pk:
        raise Http404
    return job


def _render_job(request: HttpRequest, job_id: str) -> HttpResponse:
    return render(request, "web/exports_job.html", {"job": _own_job(request, job_id)})


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: str) -> FileResponse:
    """The finished file, as an attachment, for the user who started the job only."""
    job = _own_job(request, job_id)
    if job.get("state") != "done" or not default_storage.exists(job["path"]):
        raise Http404
    return FileResponse(
        default_storage.open(job["path"], "rb"), as_attachment=True, filename=job["filename"]
    )
