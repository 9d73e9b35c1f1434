"""The supervisor's review of flagged check-ins."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import (
    CheckIn,
    Review,
)
from sigap.attendance.services.days import attendance_day_recompute
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.models import User
from sigap.org.models import Employee, Role
from sigap.org.selectors import Scope, scope_for

# --- review of flagged check-ins ---------------------------------------------------


def may_review(scope: Scope, employee: Employee) -> bool:
    if employee.pk == scope.employee_id:
        return False
    if scope.has_role(Role.HR_ADMIN) and scope.includes_employee(employee):
        return True
    return scope.line().includes_employee(employee)


def check_in_review(*, check_in: CheckIn, reviewer: User, accept: bool, note: str) -> CheckIn:
    """The employee's line (direct supervisor, unit heads above) or HR accepts or rejects a
    flagged check-in; a rejection makes it not count. Leaders and inspectors only read."""
    if not may_review(scope_for(reviewer), check_in.employee):
        raise Forbidden()
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        if locked.review != Review.PENDING:
            raise Conflict(_("This check-in has already been reviewed."), code="already_reviewed")
        if not accept and not note.strip():
            raise InvalidInput(
                _("Give a reason when rejecting."), detail={"fields": {"note": ["required"]}}
            )
        locked.review = Review.ACCEPTED if accept else Review.REJECTED
        locked.reviewed_by = reviewer
        locked.reviewed_at = clock.now()
        locked.review_note = note.strip()[:2000]
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
        attendance_day_recompute(employee=locked.employee, date=locked.work_date)
    return locked
