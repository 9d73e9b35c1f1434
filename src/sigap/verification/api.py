"""Verification endpoints: the inspector's review queue and decisions.

`GET /verification/queue?unit=&date=&page=` -> the flagged, undecided check-ins of the
caller's area (inspectors and HR admins: the agency; unit heads: their subtree), newest
first, 50 a page. `POST /verification/check-ins/{id}/decision` `{"decision": "confirm" |
"clear", "note"}` -> 201 the decision (note required to confirm; 409 `already_decided`
or `not_flagged`). Refusals have API.md's error shape (403 outside the roles or the
subtree, 404 another agency's check-in or unit).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sigap.org.schemas import EmployeeRef
from sigap.org.selectors import scope_for
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory
from sigap.verification.models import ReviewDecision
from sigap.verification.review import (
    ReasonLine,
    ReviewItem,
    check_in_for_review,
    review_area,
    review_decide,
    review_items,
    review_queue,
)

PAGE_SIZE = 50

router = Router(tags=["verification"])


class QueueFilter(Schema):
    unit: int | None = None
    date: dt.date | None = None
    page: int = Field(default=1, ge=1, le=100_000)


class ReasonOut(Schema):
    code: str
    weight: int
    label: str
    text: str
    detail: dict


class ReviewRiskOut(Schema):
    score: int
    reasons: list[ReasonOut]


class FaceOut(Schema):
    outcome: str
    distance: float | None
    references: int


class ReviewPlaceOut(Schema):
    kind: str
    name: str
    latitude: float
    longitude: float
    radius_m: float | None


class FlaggedOut(Schema):
    id: int
    employee: EmployeeRef
    kind: str
    mode: str
    date: dt.date
    recorded_at: dt.datetime
    latitude: float
    longitude: float
    accuracy_m: float
    mock_location: bool
    distance_m: float
    place: ReviewPlaceOut
    review: str
    verification: str
    face: FaceOut
    risk: ReviewRiskOut


class QueueOut(Schema):
    count: int
    page: int
    pages: int
    check_ins: list[FlaggedOut]


class ReviewDecisionIn(Schema):
    decision: Literal["confirm", "clear"]
    note: str = Field(default="", max_length=2000)


class DecisionOut(Schema):
    id: int
    check_in: int
    employee: str
    decision: str
    note: str
    score: int
    reasons: list[dict]
    by: str
    at: dt.datetime
    review: str


def _reason(line: ReasonLine) -> dict:
    return {
        "code": line.code,
        "weight": line.weight,
        "label": line.label,
        "text": line.text,
        "detail": line.detail,
    }


def flagged_out(item: ReviewItem) -> dict:
    event = item.check_in
    employee = event.employee
    return {
        "id": event.pk,
        "employee": {
            "nip": employee.nip,
            "name": employee.name,
            "unit": {"id": employee.unit_id, "name": employee.unit.name},
        },
        "kind": event.kind,
        "mode": event.mode,
        "date": event.work_date,
        "recorded_at": event.recorded_at,
        "latitude": round(event.latitude, 6),
        "longitude": round(event.longitude, 6),
        "accuracy_m": event.accuracy_m,
        "mock_location": event.mock_location,
        "distance_m": round(event.distance_m, 1),
        "place": {
            "kind": event.place_kind,
            "name": event.place_name,
            "latitude": event.place_latitude,
            "longitude": event.place_longitude,
            "radius_m": event.place_radius_m,
        },
        "review": event.review,
        "verification": event.verification,
        "face": {
            "outcome": item.face or event.verification,
            "distance": item.distance,
            "references": len(item.references),
        },
        "risk": {"score": event.risk_score, "reasons": [_reason(r) for r in item.reasons]},
    }


def decision_out(record: ReviewDecision) -> dict:
    return {
        "id": record.pk,
        "check_in": record.check_in_id,
        "employee": record.employee.nip,
        "decision": record.decision,
        "note": record.note,
        "score": record.score,
        "reasons": record.reasons,
        "by": record.by.get_username(),
        "at": record.at,
        "review": record.check_in.review,
    }


@router.get("/verification/queue", response=QueueOut)
def queue(request: HttpRequest, filters: Query[QueueFilter]):
    area = review_area(scope=scope_for(request.user), unit_id=filters.unit)
    found = review_queue(area=area, date=filters.date)
    page = Paginator(found, PAGE_SIZE).get_page(filters.page)
    items = review_items(page.object_list)
    access_record(
        viewer=request.user,
        subject_ids={item.check_in.employee_id for item in items},
        category=DataCategory.LOCATION,
        what="flagged check-ins",
        request=request,
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "check_ins": [flagged_out(item) for item in items],
    }


@router.post("/verification/check-ins/{check_in_id}/decision", response={201: DecisionOut})
def decide(request: HttpRequest, check_in_id: int, payload: ReviewDecisionIn):
    event = check_in_for_review(scope=scope_for(request.user), check_in_id=check_in_id)
    record = review_decide(
        check_in=event, by=request.user, action=payload.decision, note=payload.note
    )
    return Status(201, decision_out(record))
