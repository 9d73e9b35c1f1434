"""Recap endpoints: `GET /units/{id}/recap?date=` and `GET /recap?date=` (the agency)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router

from sigap.org.models import Agency
from sigap.reports import access, recap
from sigap.reports.schemas import AgencyRecapOut, UnitRecapOut

router = Router(tags=["recaps"])


@router.get("/units/{unit_id}/recap", response=UnitRecapOut)
def unit_recap(request: HttpRequest, unit_id: int, date: dt.date | None = None):
    unit = access.recap_unit(user=request.user, unit_id=unit_id)
    return recap.unit_recap(unit=unit, date=date)


@router.get("/recap", response=AgencyRecapOut)
def agency_recap(request: HttpRequest, date: dt.date | None = None):
    agency: Agency = access.recap_agency(user=request.user)
    return recap.agency_recap(agency=agency, date=date)
