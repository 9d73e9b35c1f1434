"""Discipline endpoints (an extension of API.md): TPP statements, the ladder's alerts,
the monthly rewards."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from sigap.core.exceptions import NotFound
from sigap.discipline import ladder, rewards, selectors, statements
from sigap.discipline.schemas import (
    AcknowledgeIn,
    AlertOut,
    RewardsOut,
    StatementOut,
    alert_out,
    rewards_out,
    statement_out,
)
from sigap.org.selectors import employee_for_user, scope_for

router = Router(tags=["discipline"])


@router.get("/me/tpp", response=StatementOut)
def my_statement(request: HttpRequest, month: str | None = None):
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("No employee record for this account."))
    year, number = selectors.parse_month(month, zone=employee.agency.time_zone)
    return statement_out(statements.statement_for(employee=employee, year=year, month=number))


@router.get("/tpp/statements/{employee_id}", response=StatementOut)
def employee_statement(request: HttpRequest, employee_id: int, month: str | None = None):
    employee = selectors.statement_employee(user=request.user, employee_id=employee_id)
    year, number = selectors.parse_month(month, zone=employee.agency.time_zone)
    return statement_out(statements.statement_for(employee=employee, year=year, month=number))


@router.get("/units/{unit_id}/tpp", response=list[StatementOut])
def unit_statements(request: HttpRequest, unit_id: int, month: str | None = None):
    unit = selectors.statement_unit(user=request.user, unit_id=unit_id)
    year, number = selectors.parse_month(month, zone=unit.agency.time_zone)
    people = statements.unit_people(unit)
    found = statements.statements_ensure(agency=unit.agency, people=people, year=year, month=number)
    found = found.select_related("table_version").order_by("employee__name", "employee_id")
    return [statement_out(s) for s in found]


@router.get("/discipline/alerts", response=list[AlertOut])
def alerts(request: HttpRequest, open: bool = False):
    found = (
        selectors.alerts_to_examine(user=request.user)
        if open
        else selectors.alerts_visible(user=request.user)
    )
    return [alert_out(a) for a in found[:500]]


@router.post("/discipline/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request: HttpRequest, alert_id: int, payload: AcknowledgeIn):
    ladder.alert_acknowledge(user=request.user, alert_id=alert_id, note=payload.note)
    return alert_out(selectors.alerts_visible(user=request.user).get(pk=alert_id))


@router.get("/rewards", response=RewardsOut)
def monthly_rewards(request: HttpRequest, month: str | None = None):
    agency = selectors.agency_of(user=request.user)
    year, number = selectors.parse_month(month, zone=agency.time_zone)
    found = rewards.rankings(agency=agency, year=year, month=number)
    return rewards_out(found, nips=rewards.ranked_nips(found, scope_for(request.user)))
