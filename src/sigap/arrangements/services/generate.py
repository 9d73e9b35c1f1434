"""Generate a unit's rotation for a period with rules.generate_rotation, or report why not.

Entries the generator may not touch (manual edits, recalls, approved requests) are
passed to it as fixed; the entries it wrote before (default, policy, flexible) are
replaced. Only days that differ from the default (WFO at the own office) are stored:
no entry means WFO, so a 100 % WFO month writes nothing. Units sharing an office are
generated one after another and each sees the seats the previous ones took.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.arrangements import rules
from sigap.arrangements.grid import UnitGrid, UnitPlan, unit_grid
from sigap.arrangements.models import EntryReason, Mode, RosterEntry
from sigap.core import clock
from sigap.core.exceptions import Forbidden, InvalidInput
from sigap.core.models import User
from sigap.org.models import Unit
from sigap.org.selectors import scope_for

GENERATED = (EntryReason.DEFAULT, EntryReason.POLICY, EntryReason.FLEXIBLE)
MAX_PERIOD_DAYS = 62


@dataclass
class GenerationReport:
    unit_id: int
    start: dt.date
    end: dt.date
    people: int = 0
    days: int = 0
    written: int = 0
    problems: list[rules.Problem] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def roster_generate(
    *,
    user: User | None,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    progress: Callable[[int, int], None] | None = None,
    save: bool = True,
) -> GenerationReport:
    """Plan `unit` and its sub-units over [start, end]. Nothing is saved when any rule
    cannot hold: the report names the day, the unit and why."""
    if user is not None:
        scope = scope_for(user)
        if not (scope.includes_unit(unit) and (unit.pk in scope.unit_ids or scope.whole_agency)):
            raise Forbidden(_("Only the unit head or HR can plan this unit."))
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        raise InvalidInput(
            _("Choose a period of at most %(n)d days.") % {"n": MAX_PERIOD_DAYS},
            code="invalid_period",
        )
    grid = unit_grid(unit=unit, start=start, end=end)
    report = GenerationReport(unit.pk, start, end, len(grid.employees), len(grid.days))
    assignments: list[rules.Assignment] = []
    office_use: dict[tuple[int, dt.date], int] = defaultdict(int)
    for number, plan in enumerate(grid.plans, start=1):
        runs = _generate_unit(grid, plan, office_use)
        for run, (data, result) in enumerate(runs):
            report.problems.extend(result.problems)
            assignments.extend(result.assignments)
            _count_office_use(grid, plan, result, office_use)
            if not result.problems:
                report.figures[f"{plan.unit.pk}:{run}"] = rules.rotation_figures(data, result)
        if progress:
            progress(number, len(grid.plans))
    if report.ok and save:
        report.written = _save(grid, assignments, user, start, end)
    return report


def _runs(plan: UnitPlan, days: list[dt.date]) -> list[tuple[tuple[int, bool], list[dt.date]]]:
    """Consecutive days with the same policy (share, release) are generated together."""

    def key(day: dt.date) -> tuple[int, bool]:
        return plan.share[day], plan.release_public_service[day]

    return [(k, list(group)) for k, group in groupby(days, key=key)]


def _generate_unit(grid: UnitGrid, plan: UnitPlan, office_use):
    ids = {p.id for p in plan.people}
    fixed = {
        (employee_id, day): entry.mode
        for (employee_id, day), entry in grid.entries.items()
        if entry.reason not in GENERATED and employee_id in ids
    }
    runs = []
    for (share, release), days in _runs(plan, grid.days):
        day_set = set(days)
        data = rules.RotationInput(
            unit_id=plan.unit.pk,
            days=tuple(days),
            people=tuple(plan.people),
            share_percent=share,
            headcount=len(plan.people),
            seats={d: grid.seats_for(plan, d, office_use[(plan.office_id or 0, d)]) for d in days},
            fixed={cell: mode for cell, mode in fixed.items() if cell[1] in day_set},
            release_public_service=release,
            weekly_flexible_cap=grid.settings.weekly_flexible_cap,
        )
        runs.append((data, rules.generate_rotation(data)))
    return runs


def _count_office_use(grid, plan, result, office_use) -> None:
    """Seats this unit takes on the run's days: its WFO assignments and fixed WFO entries."""
    ids = {p.id for p in plan.people}
    days = {a.day for a in result.assignments}
    for a in result.assignments:
        if a.mode == Mode.WFO:
            office_use[(plan.office_id or 0, a.day)] += 1
    for (employee_id, day), entry in grid.entries.items():
        fixed_wfo = entry.reason not in GENERATED and entry.mode == Mode.WFO
        if fixed_wfo and employee_id in ids and day in days:
            office_use[(plan.office_id or 0, day)] += 1


def _save(grid: UnitGrid, assignments, user, start, end) -> int:
    now = clock.now()
    rows = [
        RosterEntry(
            employee_id=a.person_id,
            date=a.day,
            mode=a.mode,
            reason=a.reason,
            changed_by=user,
            changed_at=now,
        )
        for a in assignments
        if not (a.mode == Mode.WFO and a.reason == EntryReason.DEFAULT)
    ]
    with transaction.atomic():
        RosterEntry.objects.filter(
            employee_id__in=[e.pk for e in grid.employees],
            date__range=(start, end),
            reason__in=GENERATED,
        ).delete()
        RosterEntry.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
