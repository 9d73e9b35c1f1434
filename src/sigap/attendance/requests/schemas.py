"""API schemas of requests (API.md "Requests"); explicit fields, personal data."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from ninja import Schema
from pydantic import Field

from sigap.attendance.models import AttendanceRequest, RequestStep
from sigap.attendance.requests.rules import RequestStatus, RequestType
from sigap.privacy.schemas import PersonRef
from sigap.worktime.selectors import employee_zone

TypeCode = Literal["CT", "CB", "CS", "CM", "CAP", "CLTN", "SAKIT", "IZIN", "DL", "TB", "KOREKSI"]


class RequestIn(Schema):
    """JSON body, or the fields of a multipart form (with an `attachment` file)."""

    type: TypeCode
    start: dt.date | None = None  # KOREKSI: defaults to `date`
    end: dt.date | None = None
    reason: str = Field(min_length=1, max_length=2000)
    reference: str = Field(default="", max_length=100)
    # DL: where the duty is; with coordinates, check-ins are checked against them
    destination: str = Field(default="", max_length=200)
    destination_latitude: float | None = Field(default=None, ge=-90, le=90)
    destination_longitude: float | None = Field(default=None, ge=-180, le=180)
    # KOREKSI: the day, which event, its local time ("HH:MM")
    date: dt.date | None = None
    kind: Literal["in", "out"] | None = None
    time: dt.time | None = None
    # CS over 14 days: the attached note is from a government doctor
    government_doctor_note: bool = False


class DecisionIn(Schema):
    note: str = Field(default="", max_length=2000)


class RequestQuery(Schema):
    status: RequestStatus | None = None
    mine: bool = True
    limit: int = Field(default=100, ge=1, le=500)


class BalanceQuery(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100)


class StepOut(Schema):
    approver: PersonRef | None
    role: str
    decision: str
    note: str
    at: dt.datetime | None


class RequestOut(Schema):
    id: int
    type: str
    status: str
    employee: PersonRef
    start: dt.date
    end: dt.date
    reason: str
    reference: str
    steps: list[StepOut]
    working_days: int
    attachment: bool
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    date: dt.date | None = None  # KOREKSI
    kind: str | None = None
    time: str | None = None
    destination: str | None = None  # DL
    destination_latitude: float | None = None
    destination_longitude: float | None = None


class RequestListOut(Schema):
    requests: list[RequestOut]


class LeaveBalanceOut(Schema):
    year: int
    entitlement: int
    carried_over: int
    cuti_bersama: int
    taken: int
    pending: int
    remaining: int
    entitled_from: dt.date | None


class ReopenIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class MonthReopeningOut(Schema):
    year: int
    month: int
    reason: str
    reopened_at: dt.datetime
    closed_at: dt.datetime | None


def _local(value: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    return value.astimezone(zone) if value is not None else None


def _step(step: RequestStep, zone: ZoneInfo) -> dict:
    return {
        "approver": step.approver,
        "role": step.role,
        "decision": step.decision,
        "note": step.note,
        "at": _local(step.decided_at, zone),
    }


def request_out(request: AttendanceRequest) -> dict:
    """The API body of a request (its steps prefetched), times in the employee's zone."""
    zone = ZoneInfo(employee_zone(request.employee))
    body = {
        "id": request.pk,
        "type": request.type,
        "status": request.status,
        "employee": request.employee,
        "start": request.start,
        "end": request.end,
        "reason": request.reason,
        "reference": request.reference,
        "steps": [_step(step, zone) for step in request.steps.all()],
        "working_days": request.working_days,
        "attachment": bool(request.attachment),
        "submitted_at": _local(request.submitted_at, zone),
        "decided_at": _local(request.decided_at, zone),
    }
    if request.type == RequestType.KOREKSI and request.correction_time is not None:
        time = f"{request.correction_time:%H:%M}"
        body |= {"date": request.start, "kind": request.correction_kind, "time": time}
    if request.type == RequestType.DL:
        body |= {
            "destination": request.destination,
            "destination_latitude": request.destination_latitude,
            "destination_longitude": request.destination_longitude,
        }
    return body
