"""The monthly performance recap: per employee and per unit, with a ranking. Pure."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sigap.performance.rules.recap import percent, predicate_for
from sigap.performance.rules.reports import Quantity, ReportStatus


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """One daily report of the month (any status), as stored."""

    date: date
    status: str
    total_minutes: int
    late: bool = False


@dataclass(frozen=True, slots=True)
class TaskTarget:
    quantity: Quantity
    unit: str
    due: date | None = None


@dataclass(frozen=True, slots=True)
class EmployeeMonthInput:
    """What the recap needs about one employee and month.

    `required_days`: the days whose report was required and whose deadline has passed;
    `outputs`: output quantities per task, from approved reports; `targets`: the tasks
    assigned to the employee for the month (one progress row each; outputs for tasks
    not in `targets` are ignored).
    """

    employee_id: int
    expected_minutes: int
    reports: Sequence[ReportFacts] = ()
    required_days: Sequence[date] = ()
    outputs: Mapping[int, Quantity] = dataclasses.field(default_factory=dict)
    targets: Mapping[int, TaskTarget] = dataclasses.field(default_factory=dict)


class TaskProgress(NamedTuple):
    task_id: int
    done: Quantity
    target: Quantity
    pct: float


class RankEntry(NamedTuple):
    employee_id: int
    achievement_pct: float


@dataclass(frozen=True, slots=True)
class EmployeeMonth:
    employee_id: int
    approved_minutes: int
    submitted_minutes: int  # every report handed in, whatever its status
    expected_minutes: int
    achievement_pct: float  # approved / expected, raw (may exceed 100)
    reports_submitted: int  # handed in: pending + approved + returned
    reports_pending: int  # status `submitted`, waiting for the supervisor
    reports_approved: int
    reports_returned: int
    reports_late: int
    reports_missing: int  # required days without any report
    task_progress: tuple[TaskProgress, ...]
    predicate: str


@dataclass(frozen=True, slots=True)
class UnitMonth:
    employees: int
    approved_minutes: int
    submitted_minutes: int
    expected_minutes: int
    achievement_pct: float  # the unit's approved over expected minutes (not a mean of %)
    reports_submitted: int
    reports_pending: int
    reports_approved: int
    reports_returned: int
    reports_late: int
    reports_missing: int
    predicate: str
    ranking: tuple[RankEntry, ...]


def _task_progress(data: EmployeeMonthInput) -> tuple[TaskProgress, ...]:
    rows = []
    for task_id in sorted(data.targets):
        target = data.targets[task_id].quantity
        done = data.outputs.get(task_id, 0)
        rows.append(TaskProgress(task_id, done, target, percent(done, target)))
    return tuple(rows)


def employee_month(data: EmployeeMonthInput) -> EmployeeMonth:
    """One employee's month: minutes, report counts, task progress and predicate.

    Only approved minutes count towards the achievement; submitted minutes are shown
    beside them so that a supervisor's backlog is visible. Raises ValueError when two
    reports share a date (there is one report per employee and day).
    """
    dates = [r.date for r in data.reports]
    if len(set(dates)) != len(dates):
        raise ValueError("two reports on the same date")
    statuses = [ReportStatus(r.status) for r in data.reports]
    approved = sum(
        r.total_minutes
        for r, s in zip(data.reports, statuses, strict=True)
        if s is ReportStatus.APPROVED
    )
    pct = percent(approved, data.expected_minutes)
    return EmployeeMonth(
        employee_id=data.employee_id,
        approved_minutes=approved,
        submitted_minutes=sum(r.total_minutes for r in data.reports),
        expected_minutes=data.expected_minutes,
        achievement_pct=pct,
        reports_submitted=len(data.reports),
        reports_pending=statuses.count(ReportStatus.SUBMITTED),
        reports_approved=statuses.count(ReportStatus.APPROVED),
        reports_returned=statuses.count(ReportStatus.RETURNED),
        reports_late=sum(1 for r in data.reports if r.late),
        reports_missing=len(set(data.required_days) - set(dates)),
        task_progress=_task_progress(data),
        predicate=predicate_for(pct),
    )


def unit_ranking(months: Sequence[EmployeeMonth]) -> tuple[RankEntry, ...]:
    """Highest achievement first; ties: fewer missing reports, then employee id."""
    ordered = sorted(months, key=lambda m: (-m.achievement_pct, m.reports_missing, m.employee_id))
    return tuple(RankEntry(m.employee_id, m.achievement_pct) for m in ordered)


def unit_month(months: Sequence[EmployeeMonth]) -> UnitMonth:
    """A unit's month: the employees' figures added up, its achievement and ranking."""
    ids = [m.employee_id for m in months]
    if len(set(ids)) != len(ids):
        raise ValueError("an employee appears twice")
    approved = sum(m.approved_minutes for m in months)
    expected = sum(m.expected_minutes for m in months)
    pct = percent(approved, expected)
    return UnitMonth(
        employees=len(months),
        approved_minutes=approved,
        submitted_minutes=sum(m.submitted_minutes for m in months),
        expected_minutes=expected,
        achievement_pct=pct,
        reports_submitted=sum(m.reports_submitted for m in months),
        reports_pending=sum(m.reports_pending for m in months),
        reports_approved=sum(m.reports_approved for m in months),
        reports_returned=sum(m.reports_returned for m in months),
        reports_late=sum(m.reports_late for m in months),
        reports_missing=sum(m.reports_missing for m in months),
        predicate=predicate_for(pct),
        ranking=unit_ranking(months),
    )
