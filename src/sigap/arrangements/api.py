"""Work-arrangement endpoints: the caller's plan, and a supervisor's recall."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, model_validator

from sigap.arrangements import selectors, services
from sigap.core.exceptions import NotFound
from sigap.org.selectors import employee_for_user, scope_for

router = Router(tags=["arrangements"])


class PlanQuery(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date

    @model_validator(mode="after")
    def bounded(self):
        if self.to < self.from_ or (self.to - self.from_).days >= selectors.MAX_PLAN_DAYS:
            raise ValueError(f"from..to must be 1..{selectors.MAX_PLAN_DAYS} days")
        return self


class PlannedDayOut(Schema):
    date: dt.date
    working: bool
    mode: str | None
    reason: str | None
    absence_code: str
    destination: str
    note: str


class PlanOut(Schema):
    days: list[PlannedDayOut]


@router.get("/me/roster", response=PlanOut)
def my_roster(request: HttpRequest, q: Query[PlanQuery]):
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("This account is not an employee."), code="not_an_employee")
    return {"days": selectors.employee_plan(employee=employee, start=q.from_, end=q.to)}


class RecallIn(Schema):
    nip: str = Field(min_length=18, max_length=18)
    date: dt.date
    note: str = Field("", max_length=300)


class RecallOut(Schema):
    nip: str
    date: dt.date
    mode: str
    reason: str


@router.post("/roster/recalls", response={201: RecallOut})
def recall(request: HttpRequest, payload: RecallIn):
    employee = scope_for(request.user).employees().filter(nip=payload.nip, active=True).first()
    if employee is None:
        raise NotFound(_("No employee with that NIP in your scope."))
    entry = services.roster_recall(
        user=request.user, employee=employee, day=payload.date, note=payload.note
    )
    return Status(
        201, {"nip": employee.nip, "date": entry.date, "mode": entry.mode, "reason": entry.reason}
    )
