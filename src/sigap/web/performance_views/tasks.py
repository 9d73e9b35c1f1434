"""Tasks (/kinerja/tugas/): an employee's open tasks with their progress (the output of
the activities linked to each task against its target); a supervisor or unit head
assigns tasks to the people they may assign to and marks them done or cancels them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.core import clock
from sigap.core.exceptions import DomainError
from sigap.org.selectors import employee_for_user
from sigap.performance import selectors
from sigap.performance.models import TaskStatus
from sigap.performance.services import task_assign, task_set_status
from sigap.web.performance_views.forms import TaskAssignForm, default_due
from sigap.web.roster_views.access import forbid
from sigap.worktime.selectors import employee_zone


@login_required
@require_http_methods(["GET", "POST"])
def tasks_page(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    assignees = selectors.assignable_employees(user=request.user)
    today = clock.today(employee_zone(employee)) if employee else clock.today(settings.TIME_ZONE)
    form = TaskAssignForm(
        request.POST or None, assignees=assignees, initial={"due": default_due(today)}
    )
    status = 200
    if request.method == "POST":
        if not assignees.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                task = task_assign(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                forbid(exc)
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, _("Task assigned to %(name)s.") % {"name": task.assignee.name}
                )
                return redirect("web:tasks")
        status = 422
    team = list(selectors.team_open_tasks(user=request.user))
    context = {
        "employee": employee,
        "mine": list(selectors.my_open_tasks(employee=employee)) if employee else [],
        "team": team,
        "may_assign": bool(team) or assignees.exists(),
        "form": form,
        "today": today,
    }
    return render(request, "web/tasks.html", context, status=status)


@login_required
@require_POST
def task_status(request: HttpRequest, task_id: int) -> HttpResponse:
    """Mark a task done or cancel it (the assigner or unit head; the assignee: done)."""
    task = selectors.task_visible(user=request.user, task_id=task_id)
    if task is None:
        raise Http404
    status = request.POST.get("status", "")
    try:
        task_set_status(user=request.user, task=task, status=status)
    except DomainError as exc:
        forbid(exc)
        messages.error(request, str(exc.message))
    else:
        text = (
            _("Task done: %(title)s.")
            if status == TaskStatus.DONE
            else _("Task %(title)s: %(status)s.")
        )
        messages.success(request, text % {"title": task.title, "status": task.get_status_display()})
    return redirect("web:tasks")
