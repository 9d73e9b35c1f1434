"""Who sees which statement, alert and ranking (scope-checked reads)."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sigap.core import clock
from sigap.core.exceptions import Forbidden, InvalidInput, NotFound
from sigap.core.models import User
from sigap.discipline.models import DisciplineAlert
from sigap.org.models import Agency, Employee, Role, Unit
from sigap.org.selectors import Scope, scope_for

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None, *, zone: str) -> tuple[int, int]:
    """'YYYY-MM' (default: this month in `zone`); 422 for anything else or a future month."""
    today = clock.today(zone)
    if not value:
        return today.year, today.month
    found = MONTH.match(value.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise InvalidInput(
            _("Give the month as YYYY-MM."), detail={"fields": {"month": [_("Not a month.")]}}
        )
    year, month = int(found[1]), int(found[2])
    if (year, month) > (today.year, today.month):
        raise InvalidInput(
            _("That month has not begun."),
            detail={"fields": {"month": [_("A future month has no statement.")]}},
        )
    return year, month


def may_view_statement(scope: Scope, employee: Employee) -> bool:
    """The employee, their direct supervisor, the heads of their unit (subtree), HR."""
    if scope.all_agencies:
        return True
    if scope.agency_id != employee.agency_id:
        return False
    if scope.has_role(Role.HR_ADMIN):
        return True
    if scope.employee_id is None:
        return False
    return (
        employee.pk == scope.employee_id
        or employee.supervisor_id == scope.employee_id
        or employee.unit_id in scope.unit_ids
    )


def statement_employee(*, user: User, employee_id: int) -> Employee:
    """404 outside the caller's agency, 403 inside it without the right to see."""
    scope = scope_for(user)
    employee = (
        Employee.objects.select_related("agency", "unit", "position", "supervisor")
        .filter(pk=employee_id)
        .first()
    )
    if employee is None or not (scope.all_agencies or employee.agency_id == scope.agency_id):
        raise NotFound(_("No such employee."))
    if not may_view_statement(scope, employee):
        raise Forbidden(_("Only the employee, their supervisor, unit head and HR see this."))
    return employee


def statement_employee_by_nip(*, user: User, nip: str) -> Employee:
    scope = scope_for(user)
    found = Employee.objects.filter(nip=nip)
    if not scope.all_agencies:
        found = found.filter(agency_id=scope.agency_id)
    employee = found.values_list("pk", flat=True).first()
    if employee is None:
        raise NotFound(_("No such employee."))
    return statement_employee(user=user, employee_id=employee)


def viewable_people(*, user: User) -> QuerySet[Employee]:
    """Everyone whose statement the caller may see (active employees)."""
    scope = scope_for(user)
    people = Employee.objects.filter(active=True)
    if scope.all_agencies:
        return people
    if scope.agency_id is None:
        return people.none()
    people = people.filter(agency_id=scope.agency_id)
    if scope.has_role(Role.HR_ADMIN):
        return people
    if scope.employee_id is None:
        return people.none()
    return people.filter(
        Q(pk=scope.employee_id) | Q(supervisor_id=scope.employee_id) | Q(unit_id__in=scope.unit_ids)
    )


def statement_unit(*, user: User, unit_id: int) -> Unit:
    """A unit whose statements list the caller may read: HR any of the agency, a unit
    head within their subtree; 404 outside the agency, 403 otherwise."""
    scope = scope_for(user)
    unit = Unit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None or not (scope.all_agencies or unit.agency_id == scope.agency_id):
        raise NotFound(_("No such unit."))
    if scope.all_agencies or scope.has_role(Role.HR_ADMIN) or unit.pk in scope.unit_ids:
        return unit
    raise Forbidden(_("Only HR and the unit's heads see its statements."))


def agency_of(*, user: User) -> Agency:
    scope = scope_for(user)
    agency = Agency.objects.filter(pk=scope.agency_id).first()
    if agency is None:
        raise NotFound(_("No agency."))
    return agency


def may_export_agency(scope: Scope) -> bool:
    return scope.all_agencies or scope.has_role(Role.HR_ADMIN)


def may_see_rankings(scope: Scope) -> bool:
    """Everyone in the agency sees the rankings (the best are named to be praised)."""
    return scope.agency_id is not None


def alerts_visible(*, user: User) -> QuerySet[DisciplineAlert]:
    """HR and inspectors: the agency's; others: those they examine, of their unit
    subtree, and their own."""
    scope = scope_for(user)
    alerts = DisciplineAlert.objects.select_related(
        "employee", "employee__unit", "supervisor", "acknowledged_by"
    )
    if scope.all_agencies:
        return alerts
    if scope.agency_id is None:
        return alerts.none()
    alerts = alerts.filter(employee__agency_id=scope.agency_id)
    if scope.has_role(Role.HR_ADMIN) or scope.has_role(Role.INSPECTOR):
        return alerts
    if scope.employee_id is None:
        return alerts.none()
    return alerts.filter(
        Q(employee_id=scope.employee_id)
        | Q(supervisor_id=scope.employee_id)
        | Q(employee__unit_id__in=scope.unit_ids)
    )


def alerts_to_examine(*, user: User) -> QuerySet[DisciplineAlert]:
    """Open alerts the caller is asked to examine (named examiner; HR: all open ones)."""
    scope = scope_for(user)
    open_alerts = alerts_visible(user=user).filter(acknowledged_at__isnull=True)
    if scope.all_agencies or scope.has_role(Role.HR_ADMIN):
        return open_alerts
    if scope.employee_id is None:
        return open_alerts.none()
    return open_alerts.filter(
        Q(supervisor_id=scope.employee_id) | Q(employee__unit_id__in=scope.unit_ids)
    ).exclude(employee_id=scope.employee_id)


def previous_month(year: int, month: int) -> tuple[int, int]:
    first = dt.date(year, month, 1) - dt.timedelta(days=1)
    return first.year, first.month
