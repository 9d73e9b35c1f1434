"""Work-arrangement reads: the agency's settings, roster entries, the WFA region, policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.arrangements.models import (
    ApplicationStatus,
    EmergencyPolicy,
    FlexibleWorkApplication,
    RosterEntry,
    WfaRegion,
)
from sigap.core.generations import LocalMemo, bump, generation
from sigap.org.models import Agency, Unit
from sigap.org.selectors import Scope, unit_children_map
from sigap.worktime import rules as worktime_rules
from sigap.worktime.selectors import calendar_for, employee_zone


@dataclass(frozen=True, slots=True)
class ArrangementSettings:
    """Agency.settings["arrangements"], with DOMAIN.md section 2's defaults."""

    weekly_flexible_cap: int = 2
    min_service_days: int = 365
    block_new_employees: bool = True
    block_sanctioned: bool = True

    @classmethod
    def for_agency(cls, agency: Agency) -> ArrangementSettings:
        raw: dict[str, Any] = (agency.settings or {}).get("arrangements", {})
        known = {f.name for f in fields(cls)}
        found = cls(**{k: v for k, v in raw.items() if k in known})
        if not 0 <= int(found.weekly_flexible_cap) <= 5:
            raise ValidationError(_("The weekly flexible-day cap must be between 0 and 5."))
        if not 0 <= int(found.min_service_days) <= 3650:
            raise ValidationError(_("The minimum service must be between 0 and 3650 days."))
        return found


def roster_entry_for(*, employee_id: int, day: dt.date) -> RosterEntry | None:
    """The roster entry of one employee and date (one indexed query; none = WFO)."""
    return RosterEntry.objects.filter(employee_id=employee_id, date=day).first()


def roster_entries(
    *, employee_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], RosterEntry]:
    rows = RosterEntry.objects.filter(employee_id__in=list(employee_ids), date__range=(start, end))
    return {(r.employee_id, r.date): r for r in rows}


def roster_entries_on(*, agency_id: int, day: dt.date) -> dict[int, RosterEntry]:
    """Every roster entry of an agency on a date, by employee id (one query)."""
    rows = RosterEntry.objects.filter(employee__agency_id=agency_id, date=day)
    return {r.employee_id: r for r in rows}


# --- the WFA region (hot path for WFA check-ins: cached per agency) -----------------------


@dataclass(frozen=True, slots=True)
class RegionInfo:
    name: str
    latitude: float
    longitude: float
    radius_m: float | None
    polygon: tuple[tuple[float, float], ...] | None


_regions = LocalMemo(size=32)
_NONE = "none"


def arrangements_changed(agency_id: int) -> None:
    """Call after editing an agency's WFA region."""
    bump("arrangements", agency_id)


def wfa_region_for(agency_id: int) -> RegionInfo | None:
    key = f"arr:wfa-region:{agency_id}:{generation('arrangements', agency_id)}"

    def shared() -> RegionInfo | str:
        found = cache.get(key)
        if found is None:
            region = WfaRegion.objects.filter(agency_id=agency_id).first()
            found = _region_info(region) if region is not None else _NONE
            cache.set(key, found, 24 * 3600)
        return found

    value = _regions.get_or_load(key, shared)
    return None if value == _NONE else value


def _region_info(region: WfaRegion) -> RegionInfo:
    polygon = tuple((float(a), float(b)) for a, b in region.polygon) if region.polygon else None
    return RegionInfo(
        region.name,
        region.latitude,
        region.longitude,
        float(region.radius_m) if region.radius_m else None,
        polygon,
    )


# --- policies and flexible work ------------------------------------------------------------


def unit_ancestors(agency_id: int, unit_id: int) -> list[int]:
    """The unit and every ancestor up to the root."""
    parent_of = {
        child: parent
        for parent, children in unit_children_map(agency_id).items()
        for child in children
    }
    chain, current = [], unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return chain


def policies_for_unit(*, unit: Unit, start: dt.date, end: dt.date) -> list[EmergencyPolicy]:
    """Emergency policies that cover the unit (directly, through an ancestor, or agency-wide)
    and overlap [start, end], the most specific (closest unit) first."""
    chain = unit_ancestors(unit.agency_id, unit.pk)
    rows = list(
        EmergencyPolicy.objects.filter(agency_id=unit.agency_id, start__lte=end, end__gte=start)
        .filter(Q(unit_id__in=chain) | Q(unit__isnull=True))
        .order_by("-start", "-pk")
    )
    depth = {unit_id: i for i, unit_id in enumerate(chain)}
    return sorted(rows, key=lambda p: depth.get(p.unit_id, len(chain)) if p.unit_id else 10**6)


def approved_flexible(
    *, employee_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, FlexibleWorkApplication]:
    """Each employee's approved flexible-work grant valid in the period (the latest)."""
    rows = FlexibleWorkApplication.objects.filter(
        employee_id__in=list(employee_ids),
        status=ApplicationStatus.APPROVED,
        valid_from__lte=end,
        valid_until__gte=start,
    ).order_by("valid_from", "pk")
    return {row.employee_id: row for row in rows}


def flexible_applications_visible(*, scope: Scope):
    """Applications the scope may decide or see: a unit head's subtree, HR the agency.
    A supervisor who heads no unit decides nothing here (the unit head decides)."""
    qs = FlexibleWorkApplication.objects.select_related("employee", "employee__unit")
    if scope.all_agencies:
        return qs
    if scope.whole_agency:
        return qs.filter(employee__agency_id=scope.agency_id)
    condition = Q(employee_id=scope.employee_id)
    if scope.unit_ids:
        condition |= Q(employee__unit_id__in=scope.unit_ids)
    return qs.filter(condition)


# --- one employee's plan -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedDay:
    date: dt.date
    working: bool
    mode: str | None  # None on days off; WFO without a roster entry
    reason: str | None
    absence_code: str
    destination: str
    note: str


MAX_PLAN_DAYS = 62


def employee_plan(*, employee, start: dt.date, end: dt.date) -> list[PlannedDay]:
    """Every day of [start, end] with its planned mode (two queries plus cached calendars)."""
    zone = employee_zone(employee)
    entries = roster_entries(employee_ids=[employee.pk], start=start, end=end)
    days, day = [], start
    while day <= end:
        calendar = calendar_for(agency=employee.agency, day=day, zone=zone)
        working = worktime_rules.day_schedule(day, calendar).working
        entry = entries.get((employee.pk, day))
        if not working:
            days.append(PlannedDay(day, False, None, None, "", "", ""))
        elif entry is None:
            days.append(PlannedDay(day, True, "WFO", "default", "", "", ""))
        else:
            days.append(
                PlannedDay(
                    day,
                    True,
                    entry.mode,
                    entry.reason,
                    entry.absence_code,
                    entry.destination,
                    entry.note,
                )
            )
        day += dt.timedelta(days=1)
    return days
