"""The check-in map of one day: where the people in the caller's scope checked in, the
attempts that were refused, and the offices' geofences.

Location is personal data (DOMAIN.md section 10): only leaders, HR admins and inspectors
(the whole agency) and unit heads (their subtree) may read it, and `checkin_map` checks
that itself. No selfie ever leaves here. Two queries for the events whatever their number
(plus the agency's zone and the cached office map).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from sigap.attendance.models import CheckIn, RefusedCheckIn, Review
from sigap.core import clock
from sigap.core.exceptions import Forbidden, NotFound
from sigap.core.models import User
from sigap.org import rules as org_rules
from sigap.org.models import Agency, Unit
from sigap.org.selectors import OfficeInfo, OfficeMap, Scope, office_map, unit_children_map
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory

MAX_POINTS = 20_000
_EVENT_FIELDS = (
    "kind",
    "recorded_at",
    "time_zone",
    "mode",
    "latitude",
    "longitude",
    "accuracy_m",
    "place_name",
    "distance_m",
    "inside",
    "review",
    "review_reasons",
    "risk_score",
    "risk_reasons",
    "employee__name",
    "employee__unit__name",
)
_REFUSED_FIELDS = (
    "kind",
    "at",
    "latitude",
    "longitude",
    "accuracy_m",
    "code",
    "employee__name",
    "employee__agency_id",
    "employee__office_id",
    "employee__unit_id",
    "employee__unit__name",
)


class Category(StrEnum):
    ACCEPTED = "accepted"
    FLAGGED = "flagged"
    REFUSED = "refused"


def category_of(*, review: str, risk_score: int) -> Category:
    """A check-in a supervisor accepted is accepted; a pending or rejected review or any
    risk otherwise flags it."""
    if review == Review.ACCEPTED:
        return Category.ACCEPTED
    if review in (Review.PENDING, Review.REJECTED) or risk_score > 0:
        return Category.FLAGGED
    return Category.ACCEPTED


def flag_reasons(*, review: str, review_reasons: list, risk_reasons: list) -> tuple[str, ...]:
    """Reason codes of a check-in, without repeats: a rejection first, then the rest."""
    codes = ["rejected"] if review == Review.REJECTED else []
    for code in [*review_reasons, *risk_reasons]:
        if isinstance(code, str) and code not in codes:
            codes.append(code)
    return tuple(codes)


@dataclass(frozen=True, slots=True)
class MapPoint:
    key: str  # "c<id>" for a check-in, "r<id>" for a refused attempt
    category: Category
    employee_id: int
    latitude: float
    longitude: float
    name: str
    unit: str
    at: dt.datetime  # local time of the event's zone
    kind: str
    mode: str
    place: str
    distance_m: float | None
    accuracy_m: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class CheckInMap:
    date: dt.date | None  # None: today in each office's zone
    unit_ids: frozenset[int] | None  # None: the whole agency
    points: list[MapPoint]
    offices: list[OfficeInfo]
    truncated: bool


# --- access --------------------------------------------------------------------------------


def map_allowed(scope: Scope) -> bool:
    """Leader, HR admin, inspector (whole agency) and unit heads; nobody else."""
    if scope.agency_id is None:
        return False
    return scope.whole_agency or scope.all_agencies or bool(scope.headed_unit_ids)


def map_units(scope: Scope) -> list[Unit]:
    """The units the caller may filter the map by."""
    agency_id = scope.agency_id
    if agency_id is None or not map_allowed(scope):
        return []
    units = Unit.objects.filter(agency_id=agency_id, active=True)
    if not (scope.whole_agency or scope.all_agencies):
        units = units.filter(pk__in=scope.unit_ids)
    return list(units.only("pk", "name", "code").order_by("name", "pk"))


def map_area(scope: Scope, unit_id: int | None) -> frozenset[int] | None:
    """The units whose people the caller sees (None: the whole agency). Fails closed:
    Forbidden outside the roles, NotFound for a unit of another agency, Forbidden for a
    unit of the agency outside a unit head's subtree."""
    agency_id = scope.agency_id
    if agency_id is None or not map_allowed(scope):
        raise Forbidden
    agency_wide = scope.whole_agency or scope.all_agencies
    if unit_id is None:
        return None if agency_wide else frozenset(scope.unit_ids)
    if not Unit.objects.filter(pk=unit_id, agency_id=agency_id).exists():
        raise NotFound
    if not agency_wide and unit_id not in scope.unit_ids:
        raise Forbidden
    return frozenset(org_rules.subtree(unit_children_map(agency_id), unit_id))


def location_view_logged(*, viewer: User, request: HttpRequest, result: CheckInMap) -> int:
    """Record that `viewer` saw the locations in `result` (DOMAIN.md section 10): one
    access-log row per person on the map (check-ins and refused attempts), one INSERT.
    Every read of the map data goes through the view that calls this."""
    day = (result.date or clock.today(settings.TIME_ZONE)).isoformat()
    return access_record(
        viewer=viewer,
        subject_ids={point.employee_id for point in result.points},
        category=DataCategory.LOCATION,
        what=f"map {day}",
        request=request,
    )


# --- the map -------------------------------------------------------------------------------


def checkin_map(
    *,
    scope: Scope,
    unit_id: int | None = None,
    date: dt.date | None = None,
    kind: str | None = None,
    refused: bool = False,
) -> CheckInMap:
    """The day's check-ins (and refused attempts when asked) of the caller's scope."""
    unit_ids = map_area(scope, unit_id)
    agency_id = scope.agency_id
    assert agency_id is not None  # map_area refused otherwise
    offices = office_map(agency_id)
    zone = Agency.objects.values_list("time_zone", flat=True).get(pk=agency_id)
    zones = sorted({zone, *(o.time_zone for o in offices.by_office.values())})
    days = {z: date or clock.today(z) for z in zones}
    points = _check_in_points(agency_id, unit_ids, days, kind)
    truncated = len(points) > MAX_POINTS
    points = points[:MAX_POINTS]
    if refused and not truncated:
        extra = _refused_points(agency_id, unit_ids, days, kind, offices, zone)
        truncated = len(points) + len(extra) > MAX_POINTS
        points += extra[: MAX_POINTS - len(points)]
    return CheckInMap(
        date=date,
        unit_ids=unit_ids,
        points=points,
        offices=_offices_shown(offices, unit_ids),
        truncated=truncated,
    )


def _check_in_points(
    agency_id: int, unit_ids: frozenset[int] | None, days: dict[str, dt.date], kind: str | None
) -> list[MapPoint]:
    """One query: each zone's events of its local day (work_date is the local date)."""
    on_day = Q()
    for zone, day in days.items():
        on_day |= Q(time_zone=zone, work_date=day)
    if len(set(days.values())) == 1:  # a fixed date: every zone, the same work date
        on_day = Q(work_date=next(iter(days.values())))
    events = CheckIn.objects.filter(on_day, employee__agency_id=agency_id)
    if unit_ids is not None:
        events = events.filter(employee__unit_id__in=unit_ids)
    if kind:
        events = events.filter(kind=kind)
    events = events.select_related("employee__unit").only(*_EVENT_FIELDS)
    return [_event_point(e) for e in events.order_by("-recorded_at", "-pk")[: MAX_POINTS + 1]]


def _event_point(event: CheckIn) -> MapPoint:
    return MapPoint(
        key=f"c{event.pk}",
        category=category_of(review=event.review, risk_score=event.risk_score),
        employee_id=event.employee_id,
        latitude=event.latitude,
        longitude=event.longitude,
        name=event.employee.name,
        unit=event.employee.unit.name,
        at=event.recorded_at.astimezone(ZoneInfo(event.time_zone)),
        kind=event.kind,
        mode=event.mode,
        place=event.place_name,
        distance_m=event.distance_m,
        accuracy_m=event.accuracy_m,
        reasons=flag_reasons(
            review=event.review,
            review_reasons=list(event.review_reasons or []),
            risk_reasons=list(event.risk_reasons or []),
        ),
    )


def _refused_points(
    agency_id: int,
    unit_ids: frozenset[int] | None,
    days: dict[str, dt.date],
    kind: str | None,
    offices: OfficeMap,
    agency_zone: str,
) -> list[MapPoint]:
    """One query over the widest UTC span of the local days, then each attempt kept when
    it falls on the day of its employee's office zone (the agency's when none)."""
    starts = [_midnight(day, zone) for zone, day in days.items()]
    ends = [_midnight(day + dt.timedelta(days=1), zone) for zone, day in days.items()]
    attempts = RefusedCheckIn.objects.filter(
        employee__agency_id=agency_id,
        at__gte=min(starts),
        at__lt=max(ends),
        latitude__isnull=False,
        longitude__isnull=False,
    )
    if unit_ids is not None:
        attempts = attempts.filter(employee__unit_id__in=unit_ids)
    if kind:
        attempts = attempts.filter(kind=kind)
    attempts = attempts.select_related("employee__unit").only(*_REFUSED_FIELDS)
    points = []
    for attempt in attempts.order_by("-at", "-pk")[:MAX_POINTS]:
        employee = attempt.employee
        office_id = employee.office_id or offices.by_unit.get(employee.unit_id)
        office = offices.by_office.get(office_id) if office_id is not None else None
        zone = office.time_zone if office else agency_zone
        local = attempt.at.astimezone(ZoneInfo(zone))
        if local.date() == days.get(zone, local.date()):
            points.append(_refused_point(attempt, local))
    return points


def _refused_point(attempt: RefusedCheckIn, local: dt.datetime) -> MapPoint:
    assert attempt.latitude is not None and attempt.longitude is not None
    return MapPoint(
        key=f"r{attempt.pk}",
        category=Category.REFUSED,
        employee_id=attempt.employee_id,
        latitude=attempt.latitude,
        longitude=attempt.longitude,
        name=attempt.employee.name,
        unit=attempt.employee.unit.name,
        at=local,
        kind=attempt.kind,
        mode="",
        place="",
        distance_m=None,
        accuracy_m=attempt.accuracy_m,
        reasons=(attempt.code,),
    )


def _midnight(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone))


def _offices_shown(offices: OfficeMap, unit_ids: frozenset[int] | None) -> list[OfficeInfo]:
    """Every active office of the agency, or those serving the units shown."""
    if unit_ids is None:
        ids = set(offices.by_office)
    else:
        ids = {offices.by_unit[u] for u in unit_ids if u in offices.by_unit}
    return sorted((offices.by_office[i] for i in ids), key=lambda o: (o.name, o.id))
