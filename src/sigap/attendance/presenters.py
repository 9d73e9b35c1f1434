"""Shape attendance objects for the API (times in the place's local zone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sigap.attendance.context import Arrangement
from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.attendance.selectors import DayView
from sigap.org.models import Employee


def _local(value: dt.datetime | None, zone: str) -> dt.datetime | None:
    return value.astimezone(ZoneInfo(zone)) if value is not None else None


def day_out(day: DayView | AttendanceDay, zone: str) -> dict:
    return {
        "date": day.date,
        "status": day.status,
        "mode": day.mode or None,
        "check_in": _local(day.check_in, zone),
        "check_out": _local(day.check_out, zone),
        "late_minutes": day.late_minutes,
        "early_minutes": day.early_minutes,
        "codes": list(day.codes),
        "flags": list(day.flags),
    }


def place_out(arrangement: Arrangement) -> dict | None:
    place = arrangement.place
    if place is None or arrangement.mode is None:
        return None
    return {
        "kind": place.kind,
        "name": place.name,
        "latitude": place.centre.latitude,
        "longitude": place.centre.longitude,
        "radius_m": place.radius_m,
    }


def today_out(arrangement: Arrangement, day: DayView) -> dict:
    schedule = arrangement.schedule
    zone = schedule.zone
    return {
        **day_out(day, zone),
        "mode": arrangement.mode,
        "place": place_out(arrangement),
        "schedule": (
            {"start": f"{schedule.start:%H:%M}", "end": f"{schedule.end:%H:%M}"}
            if schedule.working and schedule.start and schedule.end
            else None
        ),
        # DOMAIN.md section 7: mandatory on WFH/WFA days (the WFO setting comes with reports)
        "report_required": arrangement.mode in ("WFH", "WFA"),
        "report_submitted": False,
        "recalled": arrangement.recalled,
        "plan_reason": arrangement.reason if arrangement.mode or arrangement.exception else None,
    }


def check_in_out(event: CheckIn, day: AttendanceDay | DayView, zone: str) -> dict:
    return {
        "id": event.pk,
        "request_id": event.request_id,
        "kind": event.kind,
        "recorded_at": _local(event.recorded_at, zone),
        "mode": event.mode,
        "place": {
            "kind": event.place_kind,
            "name": event.place_name,
            "latitude": event.place_latitude,
            "longitude": event.place_longitude,
            "radius_m": event.place_radius_m,
        },
        "distance_m": event.distance_m,
        "day": day_out(day, zone),
        "review": "pending" if event.review == Review.PENDING else "none",
        "review_state": event.review,
        "verification": event.verification,
        "risk": {"score": event.risk_score, "reasons": list(event.risk_reasons)},
        "employee": event.employee,  # PersonRef masks the NIP for the caller
    }


# --- extensions: apps above attendance add to GET /me (layers stay downward) -----------

MeExtension = Callable[[Employee, Arrangement], dict[str, Any]]
_me_extensions: list[MeExtension] = []


def register_me_extension(extension: MeExtension) -> None:
    """An upper app (performance, health, ...) adds fields to /me: `today` keys are merged
    into today, the rest into the top level."""
    if extension not in _me_extensions:
        _me_extensions.append(extension)


def me_extensions(employee: Employee, arrangement: Arrangement) -> dict[str, Any]:
    merged: dict[str, Any] = {"today": {}}
    for extension in _me_extensions:
        extra = extension(employee, arrangement)
        merged["today"].update(extra.pop("today", {}))
        merged.update(extra)
    return merged
