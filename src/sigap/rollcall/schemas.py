"""API schemas of the roll call (API.md "Unit recap and roll call") and their shaping."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from sigap.privacy.schemas import PersonRef
from sigap.rollcall import rules
from sigap.rollcall.models import Rollcall, UnitReport
from sigap.rollcall.selectors import Board, BoardRow


class Reasons(Schema):
    DL: int = Field(ge=0)
    leave: int = Field(ge=0)
    sick: int = Field(ge=0)
    permission: int = Field(ge=0)
    TK: int = Field(ge=0)
    not_yet: int = Field(ge=0)


class ConfirmIn(Schema):
    note: str = Field(default="", max_length=2000)


class CorrectIn(Schema):
    present: int = Field(ge=0)
    absent_by_reason: Reasons
    reason: str = Field(min_length=1, max_length=2000)


class RollcallIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    date: dt.date
    start_time: dt.time
    cutoff_time: dt.time
    kind: str = Field(default="physical", pattern="^(physical|virtual)$")
    place_kind: str = Field(default="own_offices", pattern="^(own_offices|office|point|online)$")
    office_id: int | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    radius_m: int | None = Field(default=None, gt=0, le=100_000)
    meeting_link: str = Field(default="", max_length=500)


class MarkIn(Schema):
    employee: str = Field(min_length=18, max_length=18, description="NIP")
    present: bool


class RollcallQuery(Schema):
    date: dt.date | None = None


class UnitOut(Schema):
    id: int
    code: str
    name: str


class RollcallPlaceOut(Schema):
    kind: str
    name: str | None
    latitude: float | None
    longitude: float | None
    radius_m: float | None


class RollcallOut(Schema):
    id: int
    title: str
    date: dt.date
    start: dt.time
    cutoff: dt.time
    time_zone: str
    kind: str
    place: RollcallPlaceOut | None
    meeting_link: str
    ad_hoc: bool
    prefilled_at: dt.datetime | None


class RollcallListOut(Schema):
    rollcalls: list[RollcallOut]


class UnitRowOut(Schema):
    unit: UnitOut
    expected: int
    present: int
    absent_by_reason: dict[str, int]
    rate: float
    state: str
    confirmed_by: PersonRef | None
    confirmed_at: dt.datetime | None
    note: str
    corrected: bool


class TotalOut(Schema):
    expected: int
    present: int
    absent_by_reason: dict[str, int]
    rate: float
    units: int
    confirmed: int


class BoardOut(Schema):
    rollcall: RollcallOut
    units: list[UnitRowOut]
    total: TotalOut


class ParticipationOut(Schema):
    employee: PersonRef
    present: bool
    source: str
    at: dt.datetime


def place_out(rollcall: Rollcall) -> dict | None:
    """The place of a physical session; None for a virtual one."""
    empty = {"name": None, "latitude": None, "longitude": None, "radius_m": None}
    if rollcall.place_kind == "office" and rollcall.office is not None:
        o = rollcall.office
        return {
            "kind": "office",
            "name": o.name,
            "latitude": o.latitude,
            "longitude": o.longitude,
            "radius_m": o.radius_m,
        }
    if rollcall.place_kind == "point":
        return {
            **empty,
            "kind": "point",
            "latitude": rollcall.latitude,
            "longitude": rollcall.longitude,
            "radius_m": rollcall.radius_m,
        }
    if rollcall.place_kind == "own_offices":
        return {**empty, "kind": "own_offices"}
    return None


def rollcall_out(rollcall: Rollcall) -> dict:
    return {
        "id": rollcall.pk,
        "title": rollcall.title,
        "date": rollcall.date,
        "start": rollcall.start_time,
        "cutoff": rollcall.cutoff_time,
        "time_zone": rollcall.time_zone,
        "kind": rollcall.kind,
        "place": place_out(rollcall),
        "meeting_link": rollcall.meeting_link,
        "ad_hoc": rollcall.series_id is None,
        "prefilled_at": rollcall.prefilled_at,
    }


def row_out(row: BoardRow) -> dict:
    report: UnitReport | None = row.report
    return {
        "unit": {"id": row.unit.pk, "code": row.unit.code, "name": row.unit.name},
        "expected": row.expected,
        "present": row.present,
        "absent_by_reason": row.absent,
        "rate": row.rate,
        "state": row.state,
        "confirmed_by": report.confirmed_by if report else None,  # PersonRef masks
        "confirmed_at": report.confirmed_at if report else None,
        "note": report.note if report else "",
        "corrected": bool(report and report.corrected),
    }


def board_out(board: Board) -> dict:
    return {
        "rollcall": rollcall_out(board.rollcall),
        "units": [row_out(row) for row in board.rows],
        "total": board.total,
    }


def reasons_dict(reasons: Reasons) -> dict[str, int]:
    return {name: getattr(reasons, name) for name in rules.REASONS}
