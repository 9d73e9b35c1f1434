"""The PP 94/2021 ladder (DOMAIN.md section 5): duty-to-examine alerts.

The yearly count of unexcused days is the sum of the year's statements' TK days (absent
days and remote days without a valid report) plus the 7.5-hour conversion of the year's
late and early minutes (when the table in force has the switch on). Each rung reached and
not alerted yet raises one alert to the direct supervisor (or, without one, the unit
head; else HR); 10 consecutive unexcused working days raise the heavy one. The direct
supervisor (or the unit head, or HR) acknowledges with a note; an alert left
unacknowledged for 5 working days is escalated to the unit head and HR, once. SIGAP
recommends; it never imposes a sanction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from sigap.attendance.models import AttendanceDay
from sigap.attendance.requests.selectors import (
    agency_holidays,
    hr_admin_user_ids,
    unit_head_for,
)
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.discipline import rules
from sigap.discipline.messages import sanction_label
from sigap.discipline.models import DisciplineAlert, TppStatement
from sigap.discipline.statements import statements_refresh
from sigap.discipline.tables import table_for
from sigap.org.models import Agency, Employee, Role
from sigap.org.selectors import scope_for

ESCALATE_AFTER_WORKING_DAYS = 5
ALERTS_URL = "/disiplin/peringatan/"


def yearly_counts(*, agency: Agency, year: int, upto_month: int) -> dict[int, tuple[int, int]]:
    """employee id -> (TK days, late+early minutes) from January to `upto_month`. Months
    not wholly frozen are refreshed first (open months recomputed, locked ones frozen)."""
    people = Employee.objects.filter(agency=agency, active=True)
    headcount = people.count()
    frozen = dict(
        TppStatement.objects.filter(
            employee__in=people.values("pk"), year=year, frozen_at__isnull=False
        )
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    for month in range(1, upto_month + 1):
        if frozen.get(month, 0) < headcount:
            statements_refresh(agency=agency, year=year, month=month)
    rows = (
        TppStatement.objects.filter(
            employee__agency=agency, employee__active=True, year=year, month__lte=upto_month
        )
        .order_by()
        .values("employee_id")
        .annotate(tk=Sum("tk_days"), minutes=Sum("late_early_minutes"))
    )
    return {r["employee_id"]: (r["tk"] or 0, r["minutes"] or 0) for r in rows}


def _year_days(employee_ids: list[int], year: int) -> dict[int, list[tuple[dt.date, str]]]:
    """(date, status) of each candidate's year, remote days without a valid report as TK."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days: dict[int, dict[dt.date, str]] = defaultdict(dict)
    rows = AttendanceDay.objects.filter(employee_id__in=employee_ids, date__range=(start, end))
    for eid, date, status in rows.order_by().values_list("employee_id", "date", "status"):
        days[eid][date] = status
    statements = TppStatement.objects.filter(employee_id__in=employee_ids, year=year)
    for eid, lines in statements.values_list("employee_id", "lines"):
        for line in lines:
            if line["code"] == "TK":
                days[eid][dt.date.fromisoformat(line["date"])] = "TK"
    return {eid: sorted(found.items()) for eid, found in days.items()}


def examiner_for(employee: Employee) -> Employee | None:
    """The direct supervisor, else the unit head (never the employee themself)."""
    if employee.supervisor_id and employee.supervisor_id != employee.pk:
        return employee.supervisor
    head = unit_head_for(employee)
    return head if head is not None and head.pk != employee.pk else None


def ladder_scan(
    *, agency: Agency, today: dt.date | None = None, year: int | None = None
) -> list[DisciplineAlert]:
    """Raise the alerts due for `year` (default: today's) up to today. Idempotent."""
    today = today or clock.today(agency.time_zone)
    year = year or today.year
    upto = today.month if year == today.year else 12
    counts = yearly_counts(agency=agency, year=year, upto_month=upto)
    _version, table = table_for(agency_id=agency.pk, year=year, month=upto)
    existing = set(
        DisciplineAlert.objects.filter(employee__agency=agency, year=year).values_list(
            "employee_id", "threshold", "consecutive"
        )
    )
    due: dict[int, list[tuple[rules.Sanction, int, dt.date]]] = defaultdict(list)
    for eid, (tk, minutes) in counts.items():
        total = rules.yearly_unexcused(tk, minutes, convert=table.convert_minutes)
        for rung in rules.LADDER:
            if rung.threshold <= total and (eid, rung.threshold, False) not in existing:
                due[eid].append((rung, total, today))
    candidates = [e for e, (tk, _m) in counts.items() if tk >= rules.CONSECUTIVE_DAYS]
    candidates = [e for e in candidates if (e, rules.CONSECUTIVE_DAYS, True) not in existing]
    for eid, days in _year_days(candidates, year).items():
        reached = rules.consecutive_reached(days, rules.CONSECUTIVE_DAYS)
        if reached is not None:
            due[eid].append(
                (rules.CONSECUTIVE_SANCTION, rules.consecutive_unexcused(days), reached)
            )
    return _raise(due, year) if due else []


def _raise(due: dict, year: int) -> list[DisciplineAlert]:
    people = Employee.objects.select_related("supervisor", "unit", "unit__head").in_bulk(list(due))
    now, alerts = clock.now(), []
    with transaction.atomic():
        for eid, rungs in due.items():
            employee = people[eid]
            examiner = examiner_for(employee)
            for rung, count, reached in rungs:
                alerts.append(
                    DisciplineAlert(
                        employee=employee,
                        year=year,
                        threshold=rung.threshold,
                        consecutive=rung.consecutive,
                        level=rung.level,
                        sanction=rung.code,
                        unexcused_days=count,
                        reached_on=reached,
                        supervisor=examiner,
                        raised_at=now,
                    )
                )
            _tell_examiner(employee, examiner, rungs[-1][0], rungs[-1][1])
        DisciplineAlert.objects.bulk_create(alerts, ignore_conflicts=True)
    created = DisciplineAlert.objects.filter(employee_id__in=list(due), raised_at=now)
    return list(created.order_by("employee_id", "consecutive", "threshold"))


def _tell_examiner(
    employee: Employee, examiner: Employee | None, rung: rules.Sanction, count: int
) -> None:
    title = _("Duty to examine: %(name)s") % {"name": employee.name}
    if rung.consecutive:
        template = _(
            "%(name)s was absent without a valid reason %(days)d working days in a row "
            "(PP 94/2021: %(sanction)s). Examine and record your decision."
        )
    else:
        template = _(
            "%(name)s reached %(days)d unexcused days this year (PP 94/2021: %(sanction)s). "
            "Examine and record your decision."
        )
    body = template % {"name": employee.name, "days": count, "sanction": sanction_label(rung.code)}
    if examiner is not None and examiner.user_id:
        notify(user_id=examiner.user_id, kind="discipline", title=title, body=body, url=ALERTS_URL)
    else:
        for user_id in hr_admin_user_ids(agency_id=employee.agency_id):
            notify(user_id=user_id, kind="discipline", title=title, body=body, url=ALERTS_URL)


def working_days_between(agency: Agency, start: dt.date, end: dt.date) -> int:
    """Office working days after `start` up to `end` (weekends and holidays skipped)."""
    if end <= start:
        return 0
    holidays = agency_holidays(agency_id=agency.pk, start=start, end=end)
    days = (start + dt.timedelta(n) for n in range(1, (end - start).days + 1))
    return sum(1 for d in days if d.weekday() < 5 and d not in holidays)


def alerts_escalate(*, agency: Agency, today: dt.date | None = None) -> int:
    """Tell the unit head and HR about alerts unacknowledged for 5 working days (once)."""
    today = today or clock.today(agency.time_zone)
    open_alerts = DisciplineAlert.objects.filter(
        employee__agency=agency, acknowledged_at__isnull=True, escalated_at__isnull=True
    ).select_related("employee", "employee__unit", "employee__unit__head")
    hr = hr_admin_user_ids(agency_id=agency.pk)
    escalated = []
    for alert in open_alerts:
        raised = alert.raised_at.astimezone(ZoneInfo(agency.time_zone)).date()
        if working_days_between(agency, raised, today) < ESCALATE_AFTER_WORKING_DAYS:
            continue
        head = unit_head_for(alert.employee)
        title = _("Unexamined alert: %(name)s") % {"name": alert.employee.name}
        body = _(
            "The duty-to-examine alert (%(sanction)s) raised on %(day)s was not acknowledged "
            "within %(n)d working days."
        ) % {
            "sanction": sanction_label(alert.sanction),
            "day": f"{raised:%d-%m-%Y}",
            "n": ESCALATE_AFTER_WORKING_DAYS,
        }
        users = set(hr)
        if head is not None and head.user_id and head.pk != alert.employee_id:
            users.add(head.user_id)
        for user_id in sorted(users):
            notify(user_id=user_id, kind="discipline", title=title, body=body, url=ALERTS_URL)
        alert.escalated_at = clock.now()
        escalated.append(alert)
    DisciplineAlert.objects.bulk_update(escalated, ["escalated_at"])
    return len(escalated)


def alert_visible(user: User, alert: DisciplineAlert) -> bool:
    """HR and inspectors of the agency, the examiner, the employee's unit heads and the
    employee themself see an alert."""
    scope = scope_for(user)
    if scope.all_agencies:
        return True
    if scope.agency_id != alert.employee.agency_id:
        return False
    if scope.has_role(Role.HR_ADMIN) or scope.has_role(Role.INSPECTOR):
        return True
    if scope.employee_id is None:
        return False
    return scope.employee_id in (alert.employee_id, alert.supervisor_id) or (
        alert.employee.unit_id in scope.unit_ids
    )


def may_acknowledge(user: User, alert: DisciplineAlert) -> bool:
    """The examiner named on the alert, the employee's unit heads, or HR of the agency."""
    scope = scope_for(user)
    if scope.all_agencies:
        return True
    if scope.agency_id != alert.employee.agency_id:
        return False
    if scope.has_role(Role.HR_ADMIN):
        return True
    if scope.employee_id is None or scope.employee_id == alert.employee_id:
        return False
    return scope.employee_id == alert.supervisor_id or alert.employee.unit_id in scope.unit_ids


def alert_acknowledge(*, user: User, alert_id: int, note: str) -> DisciplineAlert:
    note = (note or "").strip()
    with transaction.atomic():
        alert = (
            DisciplineAlert.objects.select_for_update(of=("self",))
            .select_related("employee")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None or not alert_visible(user, alert):
            raise NotFound(_("No such alert."))
        if not may_acknowledge(user, alert):
            raise Forbidden(_("You may not acknowledge this alert."))
        if alert.acknowledged_at is not None:
            raise Conflict(_("This alert was already acknowledged."))
        if len(note) < 5:
            raise InvalidInput(
                _("Write what you examined or decided (at least 5 characters)."),
                detail={"fields": {"note": [_("Write a note.")]}},
            )
        scope = scope_for(user)
        by = Employee.objects.filter(pk=scope.employee_id).first() if scope.employee_id else None
        if by is None:
            raise Forbidden(_("Only an employee account can acknowledge an alert."))
        alert.acknowledged_by = by
        alert.acknowledged_at = clock.now()
        alert.note = note
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "note"])
    return alert
