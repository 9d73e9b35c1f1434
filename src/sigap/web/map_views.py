"""The check-in map (/peta/) and its data (/peta/data/?unit=&date=&kind=&refused=).

Leaders, HR admins and inspectors see their agency, unit heads their subtree; everybody
else gets a 403. The page carries no location: web/map.js fetches it from the JSON
endpoint (CSP: no inline script; configuration through json_script).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sigap.attendance.models import Kind
from sigap.core.exceptions import DomainError
from sigap.org.selectors import scope_for
from sigap.reports.map import (
    MAX_POINTS,
    CheckInMap,
    MapPoint,
    checkin_map,
    location_view_logged,
    map_allowed,
    map_units,
)

REASON_LABELS = {
    "rejected": gettext_lazy("rejected by the supervisor"),
    "review_pending": gettext_lazy("waiting for review"),
    "outside_geofence": gettext_lazy("outside the geofence"),
    "mock_location": gettext_lazy("fake GPS app detected"),
    "offline_delayed": gettext_lazy("sent late from the offline queue"),
    "clock_skew": gettext_lazy("device clock is wrong"),
    "accuracy_too_low": gettext_lazy("GPS fix too imprecise"),
    "not_a_working_day": gettext_lazy("not a working day"),
    "no_arrangement": gettext_lazy("no work place set"),
    "outside_time_window": gettext_lazy("outside the check-in hours"),
    "invalid_image": gettext_lazy("selfie not usable"),
    "payload_too_large": gettext_lazy("selfie too large"),
}


def _filters(params: Any) -> dict[str, Any]:
    """unit (an id), date (YYYY-MM-DD, default today), kind (in/out), refused (1)."""
    raw_unit = params.get("unit") or ""
    try:
        day = dt.date.fromisoformat(params.get("date") or "")
    except ValueError:
        day = None
    return {
        "unit_id": int(raw_unit) if raw_unit.isdigit() and len(raw_unit) < 12 else None,
        "date": day,
        "kind": params.get("kind") if params.get("kind") in Kind.values else None,
        "refused": params.get("refused") in ("1", "on", "true"),
    }


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not map_allowed(scope):
        raise PermissionDenied
    filters = _filters(request.GET)
    context = {
        "units": map_units(scope),
        "filters": filters,
        "tile_url": settings.SIGAP_MAP_TILE_URL,
        "config": _page_config(),
    }
    return render(request, "web/map.html", context)


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    scope = scope_for(request.user)
    try:
        result = checkin_map(scope=scope, **_filters(request.GET))
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=exc.status)
    location_view_logged(viewer=request.user, request=request, result=result)
    return JsonResponse(map_json(result))


def map_json(result: CheckInMap) -> dict[str, Any]:
    """Plain values only: no selfie, no NIP, coordinates to six decimals (~0.1 m)."""
    counts = {"accepted": 0, "flagged": 0, "refused": 0}
    for point in result.points:
        counts[point.category.value] += 1
    return {
        "date": result.date.isoformat() if result.date else None,
        "truncated": result.truncated,
        "limit": MAX_POINTS,
        "counts": counts,
        "offices": [
            {
                "id": o.id,
                "name": o.name,
                "lat": o.latitude,
                "lon": o.longitude,
                "radius": o.radius_m,
                "polygon": [list(p) for p in o.polygon] if o.polygon else None,
            }
            for o in result.offices
        ],
        "points": [_point_json(p) for p in result.points],
    }


def _point_json(point: MapPoint) -> dict[str, Any]:
    return {
        "id": point.key,
        "cat": point.category.value,
        "lat": round(point.latitude, 6),
        "lon": round(point.longitude, 6),
        "name": point.name,
        "unit": point.unit,
        "time": f"{point.at:%H:%M} {point.at.tzname() or ''}".strip(),
        "kind": point.kind,
        "mode": point.mode,
        "place": point.place,
        "distance": round(point.distance_m) if point.distance_m is not None else None,
        "reasons": [str(REASON_LABELS.get(code, code)) for code in point.reasons],
    }


def _page_config() -> dict[str, Any]:
    """Everything web/map.js needs, as JSON (the CSP forbids inline script)."""
    return {
        "dataUrl": reverse("web:map_data"),
        "tileUrl": settings.SIGAP_MAP_TILE_URL,
        "strings": {
            "kinds": {"in": _("Check-in"), "out": _("Check-out"), "": _("Attempt")},
            "categories": {
                "accepted": _("Accepted"),
                "flagged": _("Flagged"),
                "refused": _("Refused attempt"),
            },
            "time": _("Time"),
            "kind": _("Kind"),
            "mode": _("Mode"),
            "place": _("Place"),
            "distance": _("%(d)s m from the place"),
            "reasons": _("Reason"),
            "counts": _("%(accepted)s accepted, %(flagged)s flagged, %(refused)s refused attempts"),
            "truncated": _("Only the latest %(n)s points are shown."),
            "loading": _("Loading…"),
            "failed": _("The map data could not be loaded."),
        },
    }
