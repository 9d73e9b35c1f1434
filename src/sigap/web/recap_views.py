"""The monthly performance recap pages.

/kinerja/rekap/?unit=&month=YYYY-MM: a unit with its subtree (unit heads: theirs; HR admin,
leader and inspector: any unit or `unit=agency`), or `unit=team` (a supervisor's direct
subordinates): a Chart.js bar chart per sub-unit, the employees ranked, `?format=xlsx`.
/kinerja/rekap/pegawai/<nip or id>/?month=: one employee's month (theirs, or within scope: 404
outside) with the daily chart, task progress and the days that count as TK.
The charts get their data as JSON (json_script) and draw in web/recap.js (CSP).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sigap.core import clock
from sigap.org.models import Agency, Employee, Unit
from sigap.org.selectors import Scope, employee_for_user, scope_for
from sigap.performance import recap as selectors
from sigap.performance.exports import recap_filename, unit_recap_xlsx
from sigap.privacy import masking

TEAM, AGENCY = "team", "agency"
PAGE_SIZE = 500
CHART_EMPLOYEES = 40
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REASONS = {
    "report_missing": gettext_lazy("%(mode)s without an approved report (no report filed)"),
    "report_returned": gettext_lazy("%(mode)s without an approved report (report returned)"),
}
_MONTH = re.compile(r"(\d{4})-(\d{2})")


# --- parsing and access --------------------------------------------------------------------


def month_from(raw: str | None) -> tuple[int, int]:
    """YYYY-MM, default: this month; anything else is a 400."""
    if not raw:
        today = clock.today(settings.TIME_ZONE)
        return today.year, today.month
    found = _MONTH.fullmatch(raw)
    if found is None or not (2000 <= int(found[1]) <= 2100 and 1 <= int(found[2]) <= 12):
        raise BadRequest("month")
    return int(found[1]), int(found[2])


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _whole_agency(scope: Scope) -> bool:
    return scope.whole_agency or scope.all_agencies


def _unit(scope: Scope, raw: str) -> Unit:
    """404 outside the caller's agency, 403 outside their scope."""
    units = Unit.objects.select_related("agency").filter(active=True)
    if not scope.all_agencies:
        units = units.filter(agency_id=scope.agency_id)
    unit = units.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 18 else None
    if unit is None:
        raise Http404
    if not (_whole_agency(scope) or unit.pk in scope.unit_ids):
        raise PermissionDenied
    return unit


def _default_choice(scope: Scope) -> str:
    if scope.headed_unit_ids:
        return str(min(scope.headed_unit_ids))
    if _whole_agency(scope) and scope.agency_id is not None:
        return AGENCY
    if scope.is_supervisor:
        return TEAM
    raise PermissionDenied


def recap_for(scope: Scope, raw: str | None, year: int, month: int) -> selectors.UnitRecap:
    """The recap the caller asked for (`unit`: an id, `team` or `agency`) and may see."""
    choice = raw or _default_choice(scope)
    if choice == TEAM:
        if not scope.is_supervisor:
            raise PermissionDenied
        boss = Employee.objects.select_related("agency").get(pk=scope.employee_id)
        return selectors.team_month_recap(supervisor=boss, year=year, month=month)
    if choice == AGENCY:
        if not _whole_agency(scope) or scope.agency_id is None:
            raise PermissionDenied
        agency = Agency.objects.get(pk=scope.agency_id)
        return selectors.agency_month_recap(agency=agency, year=year, month=month)
    unit = _unit(scope, choice)
    return selectors.unit_month_recap(unit=unit, year=year, month=month)


def _choices(scope: Scope) -> list[tuple[str, str]]:
    choices = []
    if _whole_agency(scope) and scope.agency_id is not None:
        choices.append((AGENCY, _("The whole agency")))
    if scope.is_supervisor:
        choices.append((TEAM, _("My direct subordinates")))
    units = scope.units().filter(active=True)
    if not _whole_agency(scope):
        units = units.filter(pk__in=scope.unit_ids)
    choices += [(str(pk), name) for pk, name in units.order_by("name").values_list("pk", "name")]
    return choices


# --- presentation ------------------------------------------------------------------------------


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def _recap_title(recap: selectors.UnitRecap) -> str:
    if recap.unit is not None:
        return recap.unit.name
    return recap.agency.name if recap.kind == AGENCY else _("My direct subordinates")


def _chart(recap: selectors.UnitRecap) -> dict[str, Any]:
    """Bars per sub-unit; per employee (the best ranked) when there is one group only."""
    if len(recap.groups) > 1:
        bars = [(g.unit.name, g.figures.achievement_pct) for g in recap.groups]
    else:
        bars = [(r.employee.name, r.figures.achievement_pct) for r in recap.rows]
        bars = bars[:CHART_EMPLOYEES]
    return {
        "kind": "units",
        "title": _("Achievement per unit")
        if len(recap.groups) > 1
        else _("Achievement per employee (best ranked)"),
        "labels": [label for label, _pct in bars],
        "values": [pct for _label, pct in bars],
        "label": _("Achievement %"),
    }


def _table(rows: list[selectors.EmployeeRow], month: str, scope: Scope) -> list[dict[str, Any]]:
    """The employee table's cells, formatted once here: a 500-row table renders fast. The
    NIP as the viewer may see it (a leader gets it masked); links name the employee by id,
    so no NIP travels in addresses (history, proxy logs)."""
    link = reverse("web:performance_employee", args=["0"])
    shown = masking.nips_for(scope, [row.employee for row in rows])
    comma = str(get_format("DECIMAL_SEPARATOR"))

    def one(value: float) -> str:  # one decimal in the active language (7,5 in Indonesian)
        return f"{value:.1f}".replace(".", comma)

    out = []
    for row in rows:
        e, m = row.employee, row.figures
        reports = (m.reports_submitted, m.reports_approved, m.reports_returned, m.reports_late)
        out.append(
            {
                "rank": row.rank,
                "nip_shown": shown[e.pk],
                "name": e.name,
                "href": f"{link.replace('/0/', f'/{e.pk}/', 1)}?month={month}",
                "position": e.position.name if e.position else "",
                "unit": e.unit.name,
                "approved": one(m.approved_minutes / 60),
                "expected": one(m.expected_minutes / 60),
                "pct": one(m.achievement_pct),
                "predicate": m.predicate,
                "reports": " / ".join(str(n) for n in reports),
                "missing": m.reports_missing,
                "tasks": " · ".join(f"{t.pct:.0f}%" for t in m.task_progress) or "–",
            }
        )
    return out


def _recap_context(request: HttpRequest, scope: Scope, recap: selectors.UnitRecap) -> dict:
    choice = request.GET.get("unit") or _default_choice(scope)
    page = Paginator(recap.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    month = f"{recap.year:04d}-{recap.month:02d}"
    return {
        "recap": recap,
        "title": _recap_title(recap),
        "choice": choice,
        "choices": _choices(scope),
        "page": page,
        "table": _table(page.object_list, month, scope),
        "month": month,
        "month_date": dt.date(recap.year, recap.month, 1),
        "prev": _shift(recap.year, recap.month, -1),
        "next": _shift(recap.year, recap.month, 1),
        "expected_hours": _hours(recap.figures.expected_minutes),
        "approved_hours": _hours(recap.figures.approved_minutes),
        "config": _chart(recap),
    }


def _employee_chart(detail: selectors.EmployeeRecap) -> dict[str, Any]:
    return {
        "kind": "days",
        "labels": [row.day.date.day for row in detail.days],
        "approved": [row.approved_minutes for row in detail.days],
        "submitted": [row.submitted_minutes for row in detail.days],
        "scheduled": [0 if row.day.excused else row.day.minutes for row in detail.days],
        "texts": {
            "approved": _("Approved minutes"),
            "submitted": _("Reported minutes not approved"),
            "scheduled": _("Scheduled minutes"),
        },
    }


def _reason(mode: str | None, code: str) -> str:
    template = REASONS.get(code)
    return str(template) % {"mode": mode or ""} if template else code


def _employee_context(detail: selectors.EmployeeRecap) -> dict:
    modes = {row.day.date: row.day.mode for row in detail.days}
    year, month = detail.year, detail.month
    return {
        "detail": detail,
        "employee": detail.employee,
        "figures": detail.figures,
        "month": f"{year:04d}-{month:02d}",
        "month_date": dt.date(year, month, 1),
        "prev": _shift(year, month, -1),
        "next": _shift(year, month, 1),
        "expected_hours": _hours(detail.figures.expected_minutes),
        "approved_hours": _hours(detail.figures.approved_minutes),
        "unexcused": [(day, _reason(modes.get(day), code)) for day, code in detail.unexcused],
        "config": _employee_chart(detail),
    }


# --- views ---------------------------------------------------------------------------------


@login_required
@require_GET
def performance_recap(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    year, month = month_from(request.GET.get("month"))
    recap = recap_for(scope, request.GET.get("unit"), year, month)
    if request.GET.get("format") == "xlsx":
        nips = masking.nips_for(scope, [row.employee for row in recap.rows])
        response = HttpResponse(unit_recap_xlsx(recap, nips=nips), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{recap_filename(recap)}"'
        return response
    return render(request, "web/performance_recap.html", _recap_context(request, scope, recap))


@login_required
@require_GET
def performance_employee(request: HttpRequest, nip: str) -> HttpResponse:
    scope = scope_for(request.user)
    people = scope.employees().select_related("agency", "unit", "position")
    employee = masking.employee_by_key(people, nip).first()
    if employee is None:
        raise Http404
    year, month = month_from(request.GET.get("month"))
    detail = selectors.employee_month_detail(employee=employee, year=year, month=month)
    return render(request, "web/performance_employee.html", _employee_context(detail))


@login_required
@require_GET
def performance_me(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404
    return redirect("web:performance_employee", nip=employee.nip)
