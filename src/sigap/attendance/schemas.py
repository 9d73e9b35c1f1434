"""API schemas of attendance (API.md: Me, Today, AttendanceDay, CheckIn)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

from sigap.org.schemas import PositionOut, UnitRef
from sigap.privacy.schemas import PersonRef


class PlaceOut(Schema):
    kind: str
    name: str
    latitude: float
    longitude: float
    radius_m: float | None


class ScheduleOut(Schema):
    start: str
    end: str


class AttendanceDayOut(Schema):
    date: dt.date
    status: str
    mode: str | None
    check_in: dt.datetime | None
    check_out: dt.datetime | None
    late_minutes: int
    early_minutes: int
    codes: list[str]
    flags: list[str]


class TodayOut(Schema):
    date: dt.date
    mode: str | None
    place: PlaceOut | None
    schedule: ScheduleOut | None
    status: str
    check_in: dt.datetime | None
    check_out: dt.datetime | None
    report_required: bool
    report_submitted: bool
    recalled: bool = False  # the supervisor recalled a remote day to the office
    plan_reason: str | None = None  # why this mode: default, policy, flexible, manual, ...


class TasksSummaryOut(Schema):
    open: int
    overdue: int
    due_soon: int


class MeOut(Schema):
    nip: str
    name: str
    unit: UnitRef
    position: PositionOut | None
    supervisor: PersonRef | None
    roles: list[str]
    today: TodayOut | None
    tasks: TasksSummaryOut | None = None  # open task assignments (performance)


class AttendanceListOut(Schema):
    days: list[AttendanceDayOut]


class RiskOut(Schema):
    score: int
    reasons: list[str]


class CheckInOut(Schema):
    id: int
    request_id: uuid.UUID
    kind: str
    recorded_at: dt.datetime
    mode: str
    place: PlaceOut
    distance_m: float
    day: AttendanceDayOut
    review: Literal["none", "pending"]
    review_state: str
    verification: str
    risk: RiskOut
    employee: PersonRef


class CheckInListOut(Schema):
    check_ins: list[CheckInOut]


class CheckInForm(Schema):
    request_id: uuid.UUID
    kind: Literal["in", "out"]
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float = Field(gt=0, le=100_000)
    captured_at: dt.datetime
    mock_location: bool = False
    qr_token: str = Field(default="", max_length=64)
    queued: bool = False

    @field_validator("captured_at")
    @classmethod
    def must_have_offset(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("captured_at needs a time-zone offset (ISO 8601, e.g. +08:00)")
        return value


class ReviewIn(Schema):
    decision: Literal["accept", "reject"]
    note: str = Field(default="", max_length=2000)
