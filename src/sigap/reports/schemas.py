"""Schemas of the recap endpoints (API.md "Unit recap and roll call")."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class RecapUnitRef(Schema):
    id: int
    code: str
    name: str


class RecapFigures(Schema):
    date: dt.date
    headcount: int
    expected: int
    present: int
    by_status: dict[str, int]
    by_mode: dict[str, int]
    rate: float


class UnitRecapOut(RecapFigures):
    unit: RecapUnitRef
    subunits: list[UnitRecapOut]


class AgencyRecapOut(RecapFigures):
    """The whole agency: its totals and one recap per OPD (root unit) in `subunits`."""

    agency: RecapUnitRef
    unit: None = None
    subunits: list[UnitRecapOut]


UnitRecapOut.model_rebuild()
