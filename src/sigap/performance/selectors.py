"""Performance reads: report deadlines, report lists and the review queue (scoped), tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from sigap.arrangements.selectors import employee_plan
from sigap.attendance.models import AttendanceDay
from sigap.core.models import User
from sigap.org.models import Employee
from sigap.org.selectors import scope_for
from sigap.performance import rules
from sigap.performance.models import (
    Activity,
    DailyReport,
    Evidence,
    ReportEvent,
    ReportStatus,
    Task,
    TaskStatus,
)
from sigap.performance.settings import report_settings
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


# --- the web pages (/kinerja/) ---------------------------------------------------------


def previous_report(*, employee: Employee, before: dt.date) -> DailyReport | None:
    """The employee's latest report before `before` ("repeat yesterday's activities")."""
    return _with_activities(
        DailyReport.objects.filter(employee=employee, date__lt=before).order_by("-date")
    ).first()


def report_duty_days(*, employee: Employee, start: dt.date, end: dt.date) -> set[dt.date]:
    """The days of [start, end] on which the employee must report (WFH/WFA; WFO by the
    agency setting), from their planned modes."""
    settings = report_settings(employee.agency)
    return {
        day.date
        for day in employee_plan(employee=employee, start=start, end=end)
        if day.working and rules.report_required(mode=day.mode, settings=settings)
    }


def reports_to_review(
    *,
    user: User,
    status: str | None = ReportStatus.SUBMITTED,
    start: dt.date | None = None,
    end: dt.date | None = None,
    person: str = "",
) -> QuerySet[DailyReport]:
    """The review queue, narrowed to one person by NIP or part of the name."""
    qs = review_queue(user=user, status=status, start=start, end=end)
    person = person.strip()
    if person:
        qs = qs.filter(Q(employee__nip=person) | Q(employee__name__icontains=person))
    return qs


def report_with_history(*, user: User, report_id: int) -> DailyReport | None:
    """A visible report (as `report_visible`) with its tasks and its events' actors."""
    visible = scope_for(user).employees()
    activities = Activity.objects.select_related("task").order_by("order")
    events = ReportEvent.objects.select_related("actor", "actor__employee").order_by("at", "pk")
    return (
        DailyReport.objects.filter(pk=report_id, employee__in=visible)
        .select_related("employee", "employee__unit")
        .prefetch_related(Prefetch("activities", activities), Prefetch("events", events))
        .first()
    )


def evidence_visible(*, user: User, evidence_id: int) -> Evidence | None:
    """An evidence file for its owner and for people whose scope includes the owner."""
    visible = scope_for(user).employees()
    return Evidence.objects.filter(pk=evidence_id, employee__in=visible).first()


def assignable_employees(*, user: User) -> QuerySet[Employee]:
    """The people `may_assign` accepts: direct subordinates and the headed units' people."""
    scope = scope_for(user)
    if scope.employee_id is None:
        return Employee.objects.none()
    condition = Q(supervisor_id=scope.employee_id)
    if scope.unit_ids:
        condition |= Q(unit_id__in=scope.unit_ids)
    return (
        Employee.objects.filter(condition, active=True)
        .exclude(pk=scope.employee_id)
        .select_related("unit")
        .order_by("name")
    )


def _with_progress(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """`done_qty`: the output of the activities linked to each task."""
    return tasks.annotate(
        done_qty=Coalesce(
            Sum("activities__output_qty"),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def my_open_tasks(*, employee: Employee) -> QuerySet[Task]:
    tasks = Task.objects.filter(assignee=employee, status=TaskStatus.OPEN)
    return _with_progress(tasks.select_related("assigned_by").order_by("due", "pk"))


def team_open_tasks(*, user: User) -> QuerySet[Task]:
    """Open tasks of the people the caller may assign to, with their progress."""
    tasks = Task.objects.filter(
        status=TaskStatus.OPEN, assignee__in=assignable_employees(user=user)
    ).select_related("assignee", "assigned_by")
    return _with_progress(tasks.order_by("due", "assignee__name", "pk"))


def tasks_to_link(*, employee: Employee, keep: Iterable[int] = ()) -> QuerySet[Task]:
    """The tasks an activity may link: the open ones, and those a report already links."""
    condition = Q(status=TaskStatus.OPEN) | Q(pk__in=list(keep))
    return Task.objects.filter(condition, assignee=employee).order_by("due", "pk")


def task_visible(*, user: User, task_id: int) -> Task | None:
    visible = scope_for(user).employees()
    return Task.objects.select_related("assignee").filter(pk=task_id, assignee__in=visible).first()


MISSING_FLAG = "report_missing"
MISSING_LOOKBACK_DAYS = 31


def missing_reports_for(
    *, user: User, start: dt.date, end: dt.date, nip: str | None = None
) -> list:
    """The caller's reviewable people's days flagged `report_missing` (set by the hourly job
    once the deadline passed), newest first: AttendanceDay rows with their employee; only
    one person's with `nip`. Two queries; the flag is filtered in Python because JSON
    containment is not portable."""
    scope = scope_for(user)
    if scope.employee_id is None:
        return []
    condition = Q(employee__supervisor_id=scope.employee_id)
    if scope.unit_ids:
        condition |= Q(employee__unit_id__in=scope.unit_ids)
    if nip:
        condition &= Q(employee__nip=nip)
    rows = (
        AttendanceDay.objects.filter(condition, date__range=(start, end))
        .exclude(employee_id=scope.employee_id)
        .select_related("employee", "employee__unit")
        .only(
            "date",
            "flags",
            "mode",
            "employee__name",
            "employee__nip",
            "employee__unit__name",
            # what masking needs to tell the viewer's relation without a query per row
            "employee__agency_id",
            "employee__supervisor_id",
            "employee__user_id",
        )
        .order_by("-date", "employee__name")
    )
    return [row for row in rows if MISSING_FLAG in (row.flags or [])]
