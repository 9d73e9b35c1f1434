"""Request endpoints of API.md ("Requests"), plus cancel, detail, the CT balance and
HR's month reopening. Handlers parse, authorise through a selector, call one service
and shape the answer."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from sigap.attendance.requests import selectors, services
from sigap.attendance.requests.schemas import (
    BalanceQuery,
    DecisionIn,
    LeaveBalanceOut,
    MonthReopeningOut,
    ReopenIn,
    RequestIn,
    RequestListOut,
    RequestOut,
    RequestQuery,
    request_out,
)
from sigap.core.exceptions import InvalidInput, NotFound, PayloadTooLarge
from sigap.core.request_limits import refuse_nul
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user

router = Router(tags=["requests"])
SchemaT = TypeVar("SchemaT", bound=Schema)

_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_BODY_SCHEMA = RequestIn.model_json_schema()
SUBMIT_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _BODY_SCHEMA},
            "multipart/form-data": {
                "schema": {
                    **_BODY_SCHEMA,
                    "properties": {
                        **_BODY_SCHEMA["properties"],
                        "attachment": {"type": "string", "format": "binary"},
                    },
                }
            },
        },
    }
}
DECISION_OPENAPI = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": DecisionIn.model_json_schema()}},
    }
}


def _employee(request: HttpRequest) -> Employee:
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("This account is not an employee."), code="not_an_employee")
    return employee


def _body(request: HttpRequest, schema: type[SchemaT]) -> tuple[SchemaT, Any]:
    """The body as `schema`, from JSON or from a form (with its `attachment` file); an
    empty body is an empty object. Errors are 422 `invalid_input` with the fields."""
    upload = None
    try:
        if request.content_type in _FORM_TYPES:
            data: Any = {key: value for key, value in request.POST.items() if value != ""}
            upload = request.FILES.get("attachment")
        else:
            data = json.loads(request.body or b"{}")
    except RequestDataTooBig as exc:
        raise PayloadTooLarge() from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(detail={"fields": {"__all__": [str(_("Send JSON."))]}}) from exc
    if not isinstance(data, dict):
        raise InvalidInput(detail={"fields": {"__all__": [str(_("Send a JSON object."))]}})
    refuse_nul(data)  # 422: PostgreSQL cannot store a NUL character
    try:
        return schema.model_validate(data), upload
    except ValidationError as exc:
        raise NinjaValidationError([dict(e) for e in exc.errors(include_url=False)]) from exc


def _draft(payload: RequestIn) -> services.RequestDraft:
    fields = payload.model_dump(exclude={"date", "kind", "time"})
    return services.RequestDraft(
        **fields,
        correction_date=payload.date,
        correction_kind=payload.kind,
        correction_time=payload.time,
    )


@router.post("/requests", response={201: RequestOut}, openapi_extra=SUBMIT_OPENAPI)
def submit(request: HttpRequest):
    payload, attachment = _body(request, RequestIn)
    created = services.request_submit(
        employee=_employee(request), draft=_draft(payload), attachment=attachment
    )
    return Status(201, request_out(selectors.request_detail(request_id=created.pk)))


@router.get("/requests", response=RequestListOut)
def list_requests(request: HttpRequest, q: Query[RequestQuery]):
    found = selectors.requests_for(user=request.user, mine=q.mine, status=q.status, limit=q.limit)
    return {"requests": [request_out(r) for r in found]}


@router.get("/requests/{request_id}", response=RequestOut)
def detail(request: HttpRequest, request_id: int):
    return request_out(selectors.request_visible_to(user=request.user, request_id=request_id))


def _decide(request: HttpRequest, request_id: int, approve: bool) -> dict:
    payload, _upload = _body(request, DecisionIn)
    found = selectors.request_in_agency(user=request.user, request_id=request_id)
    services.request_decide(user=request.user, request=found, approve=approve, note=payload.note)
    return request_out(selectors.request_detail(request_id=request_id))


@router.post("/requests/{request_id}/approve", response=RequestOut, openapi_extra=DECISION_OPENAPI)
def approve(request: HttpRequest, request_id: int):
    return _decide(request, request_id, approve=True)


@router.post("/requests/{request_id}/reject", response=RequestOut, openapi_extra=DECISION_OPENAPI)
def reject(request: HttpRequest, request_id: int):
    return _decide(request, request_id, approve=False)


@router.post("/requests/{request_id}/cancel", response=RequestOut)
def cancel(request: HttpRequest, request_id: int):
    found = selectors.request_visible_to(user=request.user, request_id=request_id)
    services.request_cancel(user=request.user, request=found)
    return request_out(selectors.request_detail(request_id=request_id))


@router.get("/me/leave-balance", response=LeaveBalanceOut)
def leave_balance(request: HttpRequest, q: Query[BalanceQuery]):
    return selectors.leave_balance(employee=_employee(request), year=q.year)


@router.post("/months/{year}/{month}/reopen", response={201: MonthReopeningOut})
def month_reopen(request: HttpRequest, year: int, month: int, payload: ReopenIn):
    agency = selectors.agency_of(user=request.user)
    reopening = services.month_reopen(
        user=request.user, agency=agency, year=year, month=month, reason=payload.reason
    )
    return Status(201, reopening)


@router.post("/months/{year}/{month}/close", response=MonthReopeningOut)
def month_close(request: HttpRequest, year: int, month: int):
    agency = selectors.agency_of(user=request.user)
    return services.month_close(user=request.user, agency=agency, year=year, month=month)
