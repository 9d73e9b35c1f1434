"""Parsing and authorisation of the roster pages: the period shown, the unit the caller
may plan (404 outside the agency, 403 outside scope), the employee within scope."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404

from sigap.core import clock
from sigap.core.exceptions import DomainError, Forbidden
from sigap.org.models import Employee, Unit
from sigap.org.selectors import Scope


@dataclass(frozen=True)
class Period:
    view: str  # "week" or "month"
    start: dt.date
    end: dt.date

    def query(self, unit: Unit, start: dt.date | None = None) -> str:
        day = start or self.start
        return "?" + urlencode({"unit": unit.pk, "start": day.isoformat(), "view": self.view})


def period_from(params: Any) -> Period:
    view = "month" if params.get("view") == "month" else "week"
    try:
        anchor = dt.date.fromisoformat(params.get("start") or "")
    except ValueError:
        anchor = clock.today(settings.TIME_ZONE)
    if view == "month":
        first = anchor.replace(day=1)
        return Period(
            view, first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
        )
    monday = anchor - dt.timedelta(days=anchor.weekday())
    return Period(view, monday, monday + dt.timedelta(days=6))


def parse_int(raw: Any) -> int | None:
    return int(raw) if isinstance(raw, str | int) and str(raw).isdigit() else None


def parse_day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError as exc:
        raise BadRequest("date") from exc


def may_plan(scope: Scope, unit: Unit) -> bool:
    """Unit heads plan their subtree; HR admins any unit of their agency."""
    hr = scope.has_role("hr_admin") or scope.all_agencies
    return unit.pk in scope.unit_ids or (hr and scope.includes_unit(unit))


def unit_for(scope: Scope, raw: Any) -> Unit:
    """The unit whose roster the caller plans: 404 outside the agency, 403 outside scope."""
    unit_id = parse_int(raw)
    units = Unit.objects.select_related("agency").filter(pk=unit_id, active=True)
    if not scope.all_agencies:
        units = units.filter(agency_id=scope.agency_id)
    unit = units.first() if unit_id is not None else None
    if unit is None:
        raise Http404
    if not may_plan(scope, unit):
        raise PermissionDenied
    return unit


def plannable_units(scope: Scope) -> list[Unit]:
    units = scope.units().filter(active=True, shift_based=False).select_related("agency")
    if not (scope.has_role("hr_admin") or scope.all_agencies):
        units = units.filter(pk__in=scope.unit_ids)
    return list(units.order_by("code"))


def employee_in(scope: Scope, raw: Any) -> Employee:
    employee = (
        scope.employees()
        .select_related("unit", "agency")
        .filter(pk=parse_int(raw), active=True)
        .first()
    )
    if employee is None:
        raise Http404
    return employee


def forbid(exc: DomainError) -> None:
    if isinstance(exc, Forbidden):
        raise PermissionDenied(str(exc.message))
