"""Performance reads: report deadlines, report lists and the review queue (scoped), tasks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet

from sigap.core.models import User
from sigap.org.models import Employee
from sigap.org.selectors import scope_for
from sigap.performance import rules
from sigap.performance.models import Activity, DailyReport, ReportStatus, Task, TaskStatus
from sigap.worktime import rules as worktime_rules
from sigap.worktime.selectors import calendar_for, employee_zone

MAX_RANGE_DAYS = 92


def next_working_day(*, employee: Employee, date: dt.date, zone: str) -> dt.date:
    """The first working day after `date` by the agency's office calendar."""
    day = date
    for _attempt in range(366):
        day += dt.timedelta(days=1)
        calendar = calendar_for(agency=employee.agency, day=day, zone=zone)
        if worktime_rules.day_schedule(day, calendar).working:
            return day
    raise ValueError("no working day within a year")


def report_deadline_at(
    *, employee: Employee, date: dt.date, settings: rules.ReportSettings
) -> dt.datetime:
    """The aware deadline of the report of `date`: the next working day at 10:00 local."""
    zone = employee_zone(employee)
    following = next_working_day(employee=employee, date=date, zone=zone)
    local = rules.report_deadline(date, next_working_day=following, settings=settings)
    return local.replace(tzinfo=ZoneInfo(zone))


def _with_activities(qs: QuerySet[DailyReport]) -> QuerySet[DailyReport]:
    return qs.select_related("employee", "employee__unit").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("order"))
    )


def reports_of(*, employee: Employee, start: dt.date, end: dt.date) -> QuerySet[DailyReport]:
    return _with_activities(
        DailyReport.objects.filter(employee=employee, date__range=(start, end)).order_by("date")
    )


def reviewable_reports(user: User) -> QuerySet[DailyReport]:
    """Reports of the caller's direct subordinates and, for a unit head, of their units."""
    scope = scope_for(user)
    if scope.employee_id is None:
        return DailyReport.objects.none()
    condition = Q(employee__supervisor_id=scope.employee_id)
    if scope.unit_ids:
        condition |= Q(employee__unit_id__in=scope.unit_ids)
    return DailyReport.objects.filter(condition).exclude(employee_id=scope.employee_id)


def review_queue(
    *,
    user: User,
    status: str | None = ReportStatus.SUBMITTED,
    start: dt.date | None = None,
    end: dt.date | None = None,
    nip: str | None = None,
) -> QuerySet[DailyReport]:
    qs = reviewable_reports(user)
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if nip:
        qs = qs.filter(employee__nip=nip)
    return _with_activities(qs.order_by("date", "employee__name"))


def report_visible(*, user: User, report_id: int) -> DailyReport | None:
    """A report its owner, their reviewers and whole-agency roles may see."""
    visible = scope_for(user).employees()
    return _with_activities(DailyReport.objects.filter(pk=report_id, employee__in=visible)).first()


def open_tasks(*, employee: Employee) -> QuerySet[Task]:
    return (
        Task.objects.filter(assignee=employee, status=TaskStatus.OPEN)
        .select_related("assigned_by", "skp_target")
        .annotate(activity_count=Count("activities"))
        .order_by("due", "pk")
    )


def tasks_summary(*, employee: Employee, today: dt.date) -> dict[str, int]:
    """`GET /me`'s tasks: open, overdue, due within a week (one query)."""
    counts = Task.objects.filter(assignee=employee, status=TaskStatus.OPEN).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due__lt=today)),
        due_soon=Count("pk", filter=Q(due__gte=today, due__lte=today + dt.timedelta(days=7))),
    )
    return {k: int(v or 0) for k, v in counts.items()}
