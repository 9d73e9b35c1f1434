"""The unit head's roster page (/jadwal/): the grid, edits by click (htmx), recalls and
the rotation generator run as a background job that the page polls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.arrangements.services import roster_recall, roster_set
from sigap.arrangements.tasks import roster_generation_start, roster_job
from sigap.core.exceptions import DomainError
from sigap.org.models import Unit
from sigap.org.selectors import Scope, scope_for
from sigap.web.roster_views.access import (
    Period,
    employee_in,
    forbid,
    parse_day,
    period_from,
    plannable_units,
    unit_for,
)
from sigap.web.roster_views.grid import grid_context, problem_rows, remote_today


def _render_grid(request: HttpRequest, scope: Scope, unit: Unit, **extra: Any) -> HttpResponse:
    context = grid_context(scope, unit, period_from(request.POST), **extra)
    return render(request, "web/roster_grid.html", context)


@login_required
def roster_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    units = plannable_units(scope)
    if not units and not scope.is_supervisor:
        raise PermissionDenied
    unit = None
    if request.GET.get("unit"):
        unit = unit_for(scope, request.GET["unit"])
    elif units:
        unit = next((u for u in units if u.pk in scope.headed_unit_ids), units[0])
    context: dict[str, Any] = {
        "units": units,
        "show_remote": scope.is_supervisor,
        "remote_today": remote_today(scope),
    }
    if unit is not None:
        context |= grid_context(scope, unit, period_from(request.GET))
    context["config"] = {
        "failed": _("The change could not be saved. Reload the page and try again."),
    }
    return render(request, "web/roster.html", context)


@login_required
@require_POST
def roster_cell(request: HttpRequest) -> HttpResponse:
    """A click on a cell sets its next mode; a change that breaks the unit's rules shows
    the violations and asks for an override reason (nothing is saved until then)."""
    scope = scope_for(request.user)
    unit = unit_for(scope, request.POST.get("unit"))
    employee = employee_in(scope, request.POST.get("employee"))
    day, mode = parse_day(request.POST.get("date")), request.POST.get("mode", "")
    try:
        roster_set(
            user=request.user,
            employee=employee,
            day=day,
            mode=mode,
            override_reason=request.POST.get("override_reason", "")[:300],
        )
    except DomainError as exc:
        forbid(exc)
        if exc.code != "roster_violation":
            return _render_grid(request, scope, unit, error=str(exc.message))
        refused = {
            "employee": employee,
            "day": day,
            "mode": mode,
            "cell": (employee.pk, day),
            "violations": exc.detail.get("violations", []),
        }
        return _render_grid(request, scope, unit, refused=refused)
    return _render_grid(request, scope, unit)


@login_required
@require_POST
def roster_recall_view(request: HttpRequest) -> HttpResponse:
    """Recall a remote worker to the office: from the grid (htmx) or from the list."""
    scope = scope_for(request.user)
    unit = unit_for(scope, request.POST["unit"]) if request.POST.get("unit") else None
    employee = employee_in(scope, request.POST.get("employee"))
    day = parse_day(request.POST.get("date"))
    outcome: dict[str, str] = {}
    try:
        roster_recall(
            user=request.user, employee=employee, day=day, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        forbid(exc)
        outcome["error"] = str(exc.message)
    else:
        outcome["notice"] = _("%(name)s is recalled to the office on %(day)s.") % {
            "name": employee.name,
            "day": date_format(day, "l, j F Y"),
        }
    if unit is not None:
        return _render_grid(request, scope, unit, **outcome)
    if "error" in outcome:
        messages.error(request, outcome["error"])
    else:
        messages.success(request, outcome["notice"])
    return redirect("web:roster")


@login_required
@require_POST
def roster_generate_view(request: HttpRequest) -> HttpResponse:
    """Start the rotation generator for the unit and the period shown (a background job)."""
    scope = scope_for(request.user)
    unit = unit_for(scope, request.POST.get("unit"))
    period = period_from(request.POST)
    job_id = roster_generation_start(
        user=request.user,
        unit=unit,
        start=period.start,
        end=period.end,
        extra={"view": period.view},
    )
    return _render_job(request, scope, job_id)


@login_required
@require_GET
def roster_job_view(request: HttpRequest, job_id: str) -> HttpResponse:
    return _render_job(request, scope_for(request.user), job_id)


def _render_job(request: HttpRequest, scope: Scope, job_id: str) -> HttpResponse:
    """The job's progress bar (polled every second), then its result; a successful run
    also refreshes the grid (out of band)."""
    job = roster_job(job_id)
    if job is None or job.get("user_id") != request.user.pk:
        raise Http404
    unit = unit_for(scope, job["unit_id"])
    context: dict[str, Any] = {"job": job, "unit": unit}
    if job["state"] == "done":
        context["job_problems"] = problem_rows(job.get("problems", []), {}, {})
    if job["state"] == "done" and job.get("ok"):
        period = Period(
            job.get("view", "week"),
            dt.date.fromisoformat(job["start"]),
            dt.date.fromisoformat(job["end"]),
        )
        context |= {**grid_context(scope, unit, period), "job": job, "oob": True}
    return render(request, "web/roster_grid.html", context)
