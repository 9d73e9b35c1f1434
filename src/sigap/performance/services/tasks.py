"""Task assignments: a supervisor or unit head assigns measurable work to a subordinate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.core.exceptions import Forbidden, InvalidInput
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.org.models import Employee
from sigap.org.selectors import scope_for
from sigap.performance.models import SkpTarget, Task, TaskStatus
from sigap.worktime.selectors import employee_zone


def may_assign(user: User, employee: Employee) -> bool:
    scope = scope_for(user)
    if scope.employee_id is None or scope.employee_id == employee.pk:
        return False
    return employee.supervisor_id == scope.employee_id or employee.unit_id in scope.unit_ids


def task_assign(
    *,
    user: User,
    assignee: Employee,
    title: str,
    target_qty: Decimal,
    target_unit: str,
    due: dt.date,
    description: str = "",
    skp_target: SkpTarget | None = None,
) -> Task:
    if not may_assign(user, assignee):
        raise Forbidden(_("Only the supervisor or the unit head assigns tasks to this employee."))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = str(_("Give the task a title."))
    if target_qty <= 0:
        errors["target_qty"] = str(_("The target must be more than zero."))
    if not target_unit.strip():
        errors["target_unit"] = str(_("Give the unit of the output (e.g. dokumen)."))
    if due < clock.today(employee_zone(assignee)):
        errors["due"] = str(_("The due date is in the past."))
    if skp_target is not None and skp_target.employee_id != assignee.pk:
        errors["skp_target"] = str(_("That SKP target belongs to someone else."))
    if errors:
        raise InvalidInput(detail={"fields": errors})
    task = Task.objects.create(
        assignee=assignee,
        assigned_by_id=scope_for(user).employee_id,
        title=title.strip()[:200],
        description=description.strip(),
        target_qty=target_qty,
        target_unit=target_unit.strip()[:60],
        due=due,
        skp_target=skp_target,
        created_at=clock.now(),
    )
    notify(
        user_id=assignee.user_id,
        kind="task",
        title=_("New task: %(title)s") % {"title": task.title},
        url="/kinerja/tugas/",
    )
    return task


def task_set_status(*, user: User, task: Task, status: str) -> Task:
    """The assigner (or their unit head) closes or cancels a task; the assignee can mark
    their own task done."""
    own = scope_for(user).employee_id == task.assignee_id
    if status not in TaskStatus.values or not (
        may_assign(user, task.assignee) or (own and status == TaskStatus.DONE)
    ):
        raise Forbidden(_("You cannot change this task."))
    task.status = status
    task.save(update_fields=["status"])
    return task
