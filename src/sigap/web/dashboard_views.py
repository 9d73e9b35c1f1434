"""The regional attendance dashboard (issue 6, "Recaps").

/dasbor/: leaders, HR admins and inspectors see the agency, one row per OPD; a unit head
sees the unit they head (several: one row each); anybody else gets 403.
/dasbor/unit/<id>/: one unit (404 outside the caller's agency, 403 outside their scope): its
sub-units and its own people with each one's code, local time in, mode and flags.
/dasbor/angka/?unit=&date=: the numbers partial that the page polls every 60 s (htmx).
Charts (Chart.js) read their data from json_script blocks and draw in web/dashboard.js (CSP).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sigap.attendance.rules import EXCUSED_CODES
from sigap.core import clock
from sigap.core.exceptions import Forbidden, NotFound
from sigap.org.models import Agency, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import Scope, scope_for, unit_children_map
from sigap.reports import access, recap
from sigap.reports.people import unit_people_day
from sigap.web.discipline_views import best_of_last_month
from sigap.web.labels import CODE_LEGEND

TREND_DAYS = 30
FLAG_LABELS = {
    "no_check_in": gettext_lazy("no check-in"),
    "no_check_out": gettext_lazy("no check-out"),
    "review_pending": gettext_lazy("waiting for review"),
    "outside_geofence": gettext_lazy("outside the geofence"),
    "offline_delayed": gettext_lazy("sent late (offline)"),
    "corrected": gettext_lazy("corrected"),
}


# --- what the caller may see ------------------------------------------------------------------


def _date(raw: str | None, zone: str) -> dt.date:
    """?date=YYYY-MM-DD, default today in `zone`; anything else is a 400."""
    if not raw:
        return clock.today(zone)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise BadRequest("date") from exc


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    try:
        return access.recap_unit(user=request.user, unit_id=unit_id)
    except NotFound as exc:
        raise Http404 from exc
    except Forbidden as exc:
        raise PermissionDenied from exc


def _overview_units(scope: Scope) -> tuple[Agency, list[int], bool]:
    """(agency, the units shown as rows, whether it is the whole agency)."""
    if access.sees_agency(scope):
        agency = Agency.objects.get(pk=scope.agency_id)
        roots = unit_children_map(agency.pk).get(None, [])
        active = Unit.objects.filter(pk__in=roots, active=True).values_list("pk", flat=True)
        return agency, list(active), True
    tops = access.top_headed_units(scope)
    if not tops:
        raise PermissionDenied
    return Agency.objects.get(pk=scope.agency_id), tops, False


# --- the board: numbers, rows, charts ---------------------------------------------------------


def _pct(value: float) -> float:
    return round(value * 100, 1)


def _counts(figures: dict) -> dict[str, Any]:
    by_status = figures["by_status"]
    return {
        "pct": _pct(figures["rate"]),
        "late": sum(n for code, n in by_status.items() if code.startswith("TL")),
        "absent": by_status["TK"],
        "waiting": by_status["BELUM"],
        "excused": sum(n for code, n in by_status.items() if code in EXCUSED_CODES),
        "off": by_status["LIBUR"],
    }


def _rows(figures: dict, date: dt.date) -> list[dict[str, Any]]:
    return [
        {"unit": sub["unit"], "figures": sub, **_counts(sub), "date": date.isoformat()}
        for sub in figures["subunits"]
    ]


def _chart(figures: dict, trend: list[dict]) -> dict[str, Any]:
    rows = figures["subunits"]
    return {
        "units": {
            "labels": [r["unit"]["name"] for r in rows],
            "values": [_pct(r["rate"]) for r in rows],
            "label": _("Attendance rate %"),
        },
        "modes": {"labels": list(figures["by_mode"]), "values": list(figures["by_mode"].values())},
        "trend": {
            "labels": [date_format(dt.date.fromisoformat(p["date"]), "j M") for p in trend],
            "values": [_pct(p["rate"]) for p in trend],
            "label": _("Attendance rate %"),
        },
    }


def _numbers(figures: dict, pending: int, date: dt.date) -> dict[str, Any]:
    return {
        "figures": figures,
        "counts": _counts(figures),
        "rows": _rows(figures, date),
        "pending": pending,
        "date": date,
    }


def _covered(agency: Agency, unit_ids: list[int]) -> set[int]:
    children = unit_children_map(agency.pk)
    return set().union(*(subtree(children, pk) for pk in unit_ids)) if unit_ids else set()


def _overview(scope: Scope, raw_date: str | None) -> dict[str, Any]:
    agency, unit_ids, whole = _overview_units(scope)
    date = _date(raw_date, agency.time_zone)
    figures = recap.units_recap(agency=agency, unit_ids=unit_ids, date=date)
    pending = recap.pending_reviews(unit_ids=_covered(agency, unit_ids))
    return {
        **_numbers(figures, pending, date),
        "title": agency.name if whole else _("My units"),
        "whole": whole,
        "unit": None,
        "unit_ids": unit_ids,
        "agency": agency,
        "zone": agency.time_zone,
    }


def _unit_board(unit: Unit, raw_date: str | None) -> dict[str, Any]:
    zone = recap.unit_zone(unit)
    date = _date(raw_date, zone)
    figures = recap.unit_recap(unit=unit, date=date)
    pending = recap.pending_reviews(unit_ids=_covered(unit.agency, [unit.pk]))
    board = {**_numbers(figures, pending, date), "title": unit.name, "unit": unit}
    return {**board, "agency": unit.agency, "zone": zone}


def _people(unit: Unit, date: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "person": p,
            "label": CODE_LEGEND.get(p.status, p.status),
            "flags": [str(FLAG_LABELS.get(f, f)) for f in p.flags],
            "in": p.check_in.strftime("%H:%M") if p.check_in else "",  # in the office's zone
            "out": p.check_out.strftime("%H:%M") if p.check_out else "",
            "zone": p.check_in.tzname() if p.check_in else "",
        }
        for p in unit_people_day(unit=unit, date=date)
    ]


def _page(request: HttpRequest, board: dict[str, Any], trend: list[dict]) -> HttpResponse:
    date = board["date"]
    board["config"] = _chart(board["figures"], trend)
    board["trend"] = trend
    board["is_today"] = date == clock.today(board["zone"])
    board["date_param"] = date.isoformat() if request.GET.get("date") else ""
    board["best"] = best_of_last_month(board["agency"])  # cached rankings: the rewards card
    return render(request, "web/dashboard.html", board)


# --- views -----------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    board = _overview(scope, request.GET.get("date"))
    if not board["whole"] and len(board["unit_ids"]) == 1:
        url = reverse("web:dashboard_unit", args=[board["unit_ids"][0]])
        raw = request.GET.get("date")
        return redirect(f"{url}?date={board['date'].isoformat()}" if raw else url)
    trend = recap.units_trend(
        agency=board["agency"], unit_ids=board["unit_ids"], end=board["date"], days=TREND_DAYS
    )
    return _page(request, board, trend)


@login_required
@require_GET
def dashboard_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    board = _unit_board(unit, request.GET.get("date"))
    board["people"] = _people(unit, board["date"])
    trend = recap.unit_trend(unit=unit, end=board["date"], days=TREND_DAYS)
    return _page(request, board, trend)


@login_required
@require_GET
def dashboard_numbers(request: HttpRequest) -> HttpResponse:
    """The polled partial: the numbers and the table (the charts redraw from its JSON)."""
    raw = request.GET.get("unit", "")
    if raw.isdigit() and len(raw) < 18:
        board = _unit_board(_unit(request, int(raw)), request.GET.get("date"))
    elif not raw:
        board = _overview(scope_for(request.user), request.GET.get("date"))
    else:
        raise BadRequest("unit")
    board["config"] = _chart(board["figures"], [])
    return render(request, "web/dashboard_numbers.html", board)
