"""Attendance endpoints of API.md: /me, /me/attendance, /attendance/check-ins."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router

from sigap.attendance.schemas import MeOut
from sigap.core.exceptions import NotFound
from sigap.org.selectors import employee_for_user, roles_of, scope_for

router = Router(tags=["attendance"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("This account is not an employee."), code="not_an_employee")
    return {
        "nip": employee.nip,
        "name": employee.name,
        "unit": employee.unit,
        "position": employee.position,
        "supervisor": employee.supervisor,
        "roles": roles_of(scope_for(request.user)),
        "today": None,
    }
