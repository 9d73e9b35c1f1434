"""Roll-call endpoints (API.md "Unit recap and roll call"): the board is a fixed contract."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from sigap.core.exceptions import NotFound
from sigap.org.models import Unit
from sigap.org.selectors import employee_for_user, scope_for
from sigap.rollcall import selectors, services
from sigap.rollcall.schemas import (
    BoardOut,
    ConfirmIn,
    CorrectIn,
    MarkIn,
    ParticipationOut,
    RollcallIn,
    RollcallListOut,
    RollcallOut,
    RollcallQuery,
    UnitRowOut,
    board_out,
    reasons_dict,
    rollcall_out,
    row_out,
)

router = Router(tags=["roll call"])


@router.get("/rollcalls", response=RollcallListOut)
def list_rollcalls(request: HttpRequest, q: Query[RollcallQuery]):
    rows = selectors.rollcalls_on(user=request.user, date=q.date)
    return {"rollcalls": [rollcall_out(r) for r in rows]}


@router.post("/rollcalls", response={201: RollcallOut})
def create_rollcall(request: HttpRequest, payload: RollcallIn):
    agency = selectors.agency_for_creating(user=request.user)
    spec = services.SessionSpec(**payload.model_dump())
    rollcall = services.rollcall_create(agency=agency, spec=spec, user=request.user)
    return Status(201, rollcall_out(rollcall))


@router.get("/rollcalls/{rollcall_id}/board", response=BoardOut)
def get_board(request: HttpRequest, rollcall_id: int):
    rollcall = selectors.board_for(user=request.user, rollcall_id=rollcall_id)
    return board_out(selectors.board(rollcall=rollcall))


def _opd(rollcall, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, agency_id=rollcall.agency_id).first()
    if unit is None:
        raise NotFound(_("No such OPD."))
    return unit


def _row(rollcall, unit: Unit) -> dict:
    return row_out(selectors.BoardRow(unit, selectors.report_for(rollcall=rollcall, unit=unit)))


@router.post("/rollcalls/{rollcall_id}/units/{unit_id}/confirm", response=UnitRowOut)
def confirm(request: HttpRequest, rollcall_id: int, unit_id: int, payload: ConfirmIn):
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    unit = _opd(rollcall, unit_id)
    head = selectors.reporting_employee(user=request.user, unit=unit)
    services.unit_report_confirm(rollcall=rollcall, unit=unit, by=head, note=payload.note)
    return _row(rollcall, unit)


@router.post("/rollcalls/{rollcall_id}/units/{unit_id}/correct", response=UnitRowOut)
def correct(request: HttpRequest, rollcall_id: int, unit_id: int, payload: CorrectIn):
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    unit = _opd(rollcall, unit_id)
    head = selectors.reporting_employee(user=request.user, unit=unit)
    services.unit_report_correct(
        rollcall=rollcall,
        unit=unit,
        by=head,
        present=payload.present,
        absent_by_reason=reasons_dict(payload.absent_by_reason),
        reason=payload.reason,
    )
    return _row(rollcall, unit)


@router.post("/rollcalls/{rollcall_id}/participations", response=ParticipationOut)
def mark(request: HttpRequest, rollcall_id: int, payload: MarkIn):
    rollcall = selectors.rollcall_visible(user=request.user, rollcall_id=rollcall_id)
    scope = scope_for(request.user)
    me = employee_for_user(request.user)
    person = scope.employees().filter(nip=payload.employee, active=True).first()
    if me is None or person is None:
        raise NotFound(_("No employee with that NIP in your scope."))
    row = services.participation_mark(
        rollcall=rollcall, employee=person, present=payload.present, by=me, scope=scope
    )
    return {"employee": person, "present": row.present, "source": row.source, "at": row.at}
