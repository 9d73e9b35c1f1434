"""The monthly performance recap (reads): one employee, a unit (with its subtree), a
supervisor's direct subordinates or a whole agency, each with a bounded number of queries
whatever the number of people. What the rules (`rules.month`) get (DOMAIN.md 1, 3, 7):
- expected minutes: the planned minutes of the working days of the employee's schedule (the
  agency calendar: holidays off, Ramadan days shorter; shifts in shift units) less excused
  days: a roster OFF entry (approved leave, sick...) or an attendance day with an excused
  code (CT, SAKIT, IZIN...; not DL: travel is work elsewhere). Pro rata by construction;
- reports: every report of the month with its status, minutes and lateness;
- required days: working, non-excused days whose mode needs a report (WFH/WFA; WFO per
  `required_on_wfo`; no roster entry = WFO) whose deadline (next working day 10:00) passed;
- task progress: the output quantities of approved activities linked to each task (on
  reports dated up to the month's end: a task that spans months shows its progress so
  far) against the target of each task not cancelled that was assigned before the month
  ended and was due in the month or is still open.
"""

from __future__ import annotations

import calendar as calendar_lib
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet, Sum

from sigap.arrangements.models import Mode, RosterEntry
from sigap.attendance.models import AttendanceDay
from sigap.attendance.requests.calendar import clarification_deadline
from sigap.attendance.requests.selectors import RequestSettings, agency_holidays, locked_months
from sigap.attendance.rules import EXCUSED_CODES, Code
from sigap.core import clock
from sigap.org.models import Agency, Employee, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import office_map, unit_children_map
from sigap.performance import rules
from sigap.performance.models import Activity, DailyReport, ReportStatus, Task, TaskStatus
from sigap.performance.settings import report_settings
from sigap.worktime import rules as worktime_rules
from sigap.worktime.models import ShiftAssignment
from sigap.worktime.selectors import calendar_for, shift_spec

LEAVE_CODES = frozenset(EXCUSED_CODES - {Code.DL})  # DL is work elsewhere: not excused


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    return first, first.replace(day=calendar_lib.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class WorkDay:
    """One calendar day of an employee, as the recap and the missing-report flags see it."""

    date: dt.date
    working: bool
    minutes: int  # planned working minutes, 0 on days off
    excused: bool  # leave, sick, permission... (roster OFF or an excused day code)
    mode: str | None  # WFO/WFH/WFA/DL/OFF on working days, None on days off
    required: bool  # a report is required (never on an excused day)
    deadline: dt.datetime | None  # when a required report is due (aware), else None


class WorkDays:
    """The work days of a set of employees from `start` to `end` (four queries, plus the
    cached office map and calendar): schedules, roster modes, excused days. The days of
    office workers without a roster entry or leave are shared per zone (frozen values)."""

    PEOPLE_FIELDS = ("nip", "name", "agency_id", "unit_id", "office_id", "supervisor_id")
    RELATED_FIELDS = ("unit__name", "unit__code", "unit__shift_based", "position__name")

    def __init__(
        self, *, agency: Agency, people: QuerySet[Employee], start: dt.date, end: dt.date
    ) -> None:
        self.agency, self.start, self.end = agency, start, end
        self.settings = report_settings(agency)
        self._schedules: dict[tuple, worktime_rules.DaySchedule] = {}
        self._deadlines: dict[tuple, dt.datetime] = {}
        rows = people.select_related("unit", "position").order_by("name", "pk")
        self.people = list(rows.only(*self.PEOPLE_FIELDS, *self.RELATED_FIELDS))
        self.dates = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        where, span = people.values("pk"), (start, end)
        self._modes: dict[int, dict[dt.date, str]] = defaultdict(dict)
        entries = RosterEntry.objects.filter(employee__in=where, date__range=span)
        for eid, day, mode in entries.order_by().values_list("employee_id", "date", "mode"):
            self._modes[eid][day] = mode
        self._leave: dict[int, set[dt.date]] = defaultdict(set)
        leave = AttendanceDay.objects.filter(employee__in=where, date__range=span).order_by()
        for eid, day in leave.filter(status__in=LEAVE_CODES).values_list("employee_id", "date"):
            self._leave[eid].add(day)
        self._shifts: dict[int, dict[dt.date, worktime_rules.ShiftSpec]] = defaultdict(dict)
        assigned = ShiftAssignment.objects.filter(
            employee__in=where, employee__unit__shift_based=True, date__range=span
        )
        for row in assigned.select_related("shift"):
            self._shifts[row.employee_id][row.date] = shift_spec(row.shift)
        offices = office_map(agency.pk)
        self._zones, self._base = {}, {}
        for e in self.people:
            office = offices.by_office.get(e.office_id or offices.by_unit.get(e.unit_id) or 0)
            self._zones[e.pk] = office.time_zone if office else agency.time_zone

    def days(self, employee: Employee) -> list[WorkDay]:
        zone = self._zones[employee.pk]
        modes, leave = self._modes.get(employee.pk, {}), self._leave.get(employee.pk, set())
        if employee.unit.shift_based:
            shifts = self._shifts.get(employee.pk, {})
            return [self._day(zone, d, modes, leave, shifts.get(d), True) for d in self.dates]
        if zone not in self._base:
            self._base[zone] = [self._day(zone, d, {}, set(), None, False) for d in self.dates]
        if not modes and not leave:
            return list(self._base[zone])
        return [
            self._day(zone, d.date, modes, leave, None, False)
            if d.working and (d.date in modes or d.date in leave)
            else d
            for d in self._base[zone]
        ]

    def _day(self, zone, day, modes, leave, shift, shift_based) -> WorkDay:
        schedule = None if shift_based and shift is None else self._schedule(zone, day, shift)
        if schedule is None or not schedule.working:
            return WorkDay(day, False, 0, False, None, False, None)
        mode = modes.get(day, Mode.WFO.value)
        excused = mode == Mode.OFF or day in leave
        required = not excused and rules.report_required(mode=mode, settings=self.settings)
        deadline = self._deadline(zone, day) if required else None
        return WorkDay(day, True, schedule.planned_minutes, excused, mode, required, deadline)

    def _schedule(self, zone: str, day: dt.date, shift=None) -> worktime_rules.DaySchedule:
        """The agency calendar's plan (memoised per zone and day for office hours)."""
        key = (zone, day, shift)
        if key not in self._schedules:
            calendar = calendar_for(agency=self.agency, day=day, zone=zone)
            self._schedules[key] = worktime_rules.day_schedule(
                day, calendar, shift_based=shift is not None, shift=shift
            )
        return self._schedules[key]

    def _deadline(self, zone: str, day: dt.date) -> dt.datetime:
        """The report deadline: the next office working day at 10:00 local (memoised)."""
        if (zone, day) not in self._deadlines:
            following = day + dt.timedelta(days=1)
            for _attempt in range(366):  # a year without a working day: a broken calendar
                if self._schedule(zone, following).working:
                    break
                following += dt.timedelta(days=1)
            local = rules.report_deadline(day, next_working_day=following, settings=self.settings)
            self._deadlines[(zone, day)] = local.replace(tzinfo=ZoneInfo(zone))
        return self._deadlines[(zone, day)]


# --- the month of a set of employees ---------------------------------------------------


class TaskRow(NamedTuple):
    pk: int
    assignee_id: int
    title: str
    target_qty: Decimal
    target_unit: str
    due: dt.date


class MonthFacts(WorkDays):
    """WorkDays plus the month's reports, tasks and approved outputs (three more queries)."""

    def __init__(self, *, agency: Agency, people: QuerySet[Employee], year: int, month: int):
        start, end = month_bounds(year, month)
        super().__init__(agency=agency, people=people, start=start, end=end)
        self.year, self.month, self.now = year, month, clock.now()
        where = people.values("pk")
        self.reports: dict[int, list[rules.ReportFacts]] = defaultdict(list)
        rows = DailyReport.objects.filter(employee__in=where, date__range=(start, end)).order_by()
        fields = ("employee_id", "date", "status", "total_minutes", "late")
        for eid, day, status, minutes, late in rows.values_list(*fields):
            self.reports[eid].append(rules.ReportFacts(day, status, minutes, late))
        self._load_tasks(where, start, end)

    def _load_tasks(self, where: QuerySet, start: dt.date, end: dt.date) -> None:
        zone = ZoneInfo(self.agency.time_zone)
        month_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        tasks = Task.objects.filter(assignee__in=where, created_at__lt=month_end)
        tasks = tasks.exclude(status=TaskStatus.CANCELLED).filter(
            Q(due__gte=start) | Q(status=TaskStatus.OPEN)
        )
        self.tasks: dict[int, list[TaskRow]] = defaultdict(list)
        for row in tasks.order_by("due", "pk").values_list(*TaskRow._fields):
            self.tasks[row[1]].append(TaskRow(*row))
        done = Activity.objects.filter(
            task__in=tasks.values("pk"), report__status=ReportStatus.APPROVED, report__date__lte=end
        )
        self.done: dict[int, Decimal] = dict(
            done.order_by()
            .values("task_id")
            .annotate(qty=Sum("output_qty"))
            .values_list("task_id", "qty")
        )

    def month_input(self, employee: Employee, days: list[WorkDay]) -> rules.EmployeeMonthInput:
        plans = [rules.DayPlan(d.date, d.working, d.minutes, d.excused) for d in days]
        tasks = self.tasks.get(employee.pk, [])
        return rules.EmployeeMonthInput(
            employee_id=employee.pk,
            expected_minutes=rules.expected_minutes(plans),
            reports=self.reports.get(employee.pk, ()),
            required_days=[d.date for d in days if d.required and d.deadline < self.now],
            outputs={t.pk: self.done.get(t.pk, Decimal(0)) for t in tasks},
            targets={t.pk: rules.TaskTarget(t.target_qty, t.target_unit, t.due) for t in tasks},
        )

    def employee_month(self, employee: Employee) -> rules.EmployeeMonth:
        return rules.employee_month(self.month_input(employee, self.days(employee)))

    def unexcused_days(self, employee: Employee, *, closed: bool) -> list[tuple]:
        """(date, reason) of the employee's remote days counting as TK (see `_unexcused`)."""
        return _unexcused(self, employee, self.days(employee), closed)


# --- one employee ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayRow:
    """A day of the employee's month as the page shows it (the daily chart)."""

    day: WorkDay
    report_status: str | None
    approved_minutes: int
    submitted_minutes: int


@dataclass(frozen=True, slots=True)
class EmployeeRecap:
    employee: Employee
    year: int
    month: int
    figures: rules.EmployeeMonth
    days: list[DayRow]
    tasks: list[tuple[TaskRow, rules.TaskProgress]]
    month_closed: bool
    closes_after: dt.date  # the clarification deadline: the month closes the day after
    unexcused: list[tuple[dt.date, str]]  # days counted as TK (closed) or at risk (open)


def _one(employee: Employee, year: int, month: int) -> MonthFacts:
    people = Employee.objects.filter(pk=employee.pk)
    return MonthFacts(agency=employee.agency, people=people, year=year, month=month)


def employee_month_recap(*, employee: Employee, year: int, month: int) -> rules.EmployeeMonth:
    return _one(employee, year, month).employee_month(employee)


def month_close(*, agency: Agency, year: int, month: int) -> tuple[bool, dt.date]:
    """Whether the month is closed (the day after its clarification deadline, unless HR
    reopened it), and that deadline. Three queries."""
    start, _end = month_bounds(year, month)
    nth = RequestSettings.for_agency(agency).clarification_working_day
    today = clock.today(agency.time_zone)
    locked = locked_months(agency=agency, start=start, end=start, today=today, nth_working_day=nth)
    holidays = agency_holidays(agency_id=agency.pk, start=start, end=start + dt.timedelta(days=70))
    deadline = clarification_deadline(year, month, holidays=holidays, nth_working_day=nth)
    return (year, month) in locked, deadline


def _unexcused(facts: MonthFacts, employee: Employee, days: list[WorkDay], closed: bool) -> list:
    """(date, reason) of the remote days whose report is missing or returned; with
    `closed` False, the days that would count if the month closed now (deadline passed)."""
    statuses = {r.date: r.status for r in facts.reports.get(employee.pk, ())}
    due = [d for d in days if d.deadline is not None and (closed or d.deadline < facts.now)]
    reasons = [
        rules.unexcused_reason(
            mode=d.mode,
            report_status=statuses.get(d.date),
            month_closed=True,
            settings=facts.settings,
        )
        for d in due
    ]
    return [(d.date, reason) for d, reason in zip(due, reasons, strict=True) if reason]


def unexcused_report_days(*, employee: Employee, year: int, month: int) -> list[tuple]:
    """(date, reason code) of the WFH/WFA days that count as TK for discipline: once the
    month is closed (after its clarification deadline), each remote day whose report is
    missing (`report_missing`) or returned (`report_returned`); nothing before the close."""
    if not month_close(agency=employee.agency, year=year, month=month)[0]:
        return []
    facts = _one(employee, year, month)
    return _unexcused(facts, employee, facts.days(employee), closed=True)


def employee_month_detail(*, employee: Employee, year: int, month: int) -> EmployeeRecap:
    """Everything the employee's recap page shows, with a bounded number of queries."""
    facts = _one(employee, year, month)
    days = facts.days(employee)
    figures = rules.employee_month(facts.month_input(employee, days))
    reports = {r.date: r for r in facts.reports.get(employee.pk, ())}
    rows = []
    for day in days:
        report = reports.get(day.date)
        status, minutes = (report.status, report.total_minutes) if report else (None, 0)
        approved = minutes if status == ReportStatus.APPROVED else 0
        rows.append(DayRow(day, status, approved, minutes))
    progress = {p.task_id: p for p in figures.task_progress}
    closed, closes_after = month_close(agency=employee.agency, year=year, month=month)
    tasks = [(t, progress[t.pk]) for t in facts.tasks.get(employee.pk, [])]
    unexcused = _unexcused(facts, employee, days, closed)
    return EmployeeRecap(
        employee, year, month, figures, rows, tasks, closed, closes_after, unexcused
    )


# --- a unit, a team, an agency -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmployeeRow:
    rank: int
    employee: Employee
    figures: rules.EmployeeMonth


@dataclass(frozen=True, slots=True)
class GroupRow:
    unit: Unit
    figures: rules.UnitMonth


@dataclass(frozen=True, slots=True)
class UnitRecap:
    """A group's month: the total, one row per employee in ranking order, and one row
    per direct sub-unit (the unit's own staff first, then by unit code) with its aggregate."""

    kind: str  # "unit", "team" (a supervisor's direct subordinates) or "agency"
    agency: Agency
    year: int
    month: int
    unit: Unit | None  # None for a team or the whole agency
    figures: rules.UnitMonth
    rows: list[EmployeeRow]
    groups: list[GroupRow]


def _recap(
    kind: str,
    agency: Agency,
    people: QuerySet[Employee],
    year: int,
    month: int,
    unit: Unit | None,
    groups: list[tuple[int, set[int]]],
) -> UnitRecap:
    """`groups`: (unit id, the unit ids it covers), in display order."""
    facts = MonthFacts(agency=agency, people=people, year=year, month=month)
    months = {e.pk: facts.employee_month(e) for e in facts.people}
    by_id = {e.pk: e for e in facts.people}
    total = rules.unit_month(list(months.values()))
    rows = [
        EmployeeRow(n, by_id[entry.employee_id], months[entry.employee_id])
        for n, entry in enumerate(total.ranking, start=1)
    ]
    units = Unit.objects.in_bulk([g for g, _covered in groups])
    group_of = {member: g for g, covered in groups for member in covered}
    members: dict[int, list[rules.EmployeeMonth]] = defaultdict(list)
    for employee_id, figures in months.items():
        members[group_of.get(by_id[employee_id].unit_id, 0)].append(figures)
    group_rows = [GroupRow(units[g], rules.unit_month(members[g])) for g in units if members[g]]
    group_rows.sort(key=lambda g: (unit is None or g.unit.pk != unit.pk, g.unit.code))
    return UnitRecap(kind, agency, year, month, unit, total, rows, group_rows)


def unit_month_recap(*, unit: Unit, year: int, month: int, with_subtree: bool = True) -> UnitRecap:
    """A unit's month (with its whole subtree unless `with_subtree` is False)."""
    children = unit_children_map(unit.agency_id)
    covered = subtree(children, unit.pk) if with_subtree else {unit.pk}
    groups = [(unit.pk, {unit.pk})]
    if with_subtree:
        groups += [(child, subtree(children, child)) for child in children.get(unit.pk, [])]
    people = Employee.objects.filter(unit_id__in=covered, active=True)
    return _recap("unit", unit.agency, people, year, month, unit, groups)


def team_month_recap(*, supervisor: Employee, year: int, month: int) -> UnitRecap:
    """A supervisor's direct subordinates, grouped by their units."""
    people = Employee.objects.filter(supervisor=supervisor, active=True)
    unit_ids = sorted(set(people.values_list("unit_id", flat=True)))
    groups = [(u, {u}) for u in unit_ids]
    return _recap("team", supervisor.agency, people, year, month, None, groups)


def agency_month_recap(*, agency: Agency, year: int, month: int) -> UnitRecap:
    """A whole agency, grouped by its top-level units (OPDs)."""
    children = unit_children_map(agency.pk)
    groups = [(root, subtree(children, root)) for root in children.get(None, [])]
    people = Employee.objects.filter(agency=agency, active=True)
    return _recap("agency", agency, people, year, month, None, groups)
