"""The roster grid as the template shows it: one block per unit with its rows of cells
(mode chip, reason mark, tooltip, next mode, recall) and, per day, the WFO count against
the quota cap and the free seats; the cells and days that a rule problem names."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sigap.arrangements.grid import UnitGrid, unit_grid
from sigap.arrangements.messages import problem_out
from sigap.arrangements.models import EntryReason, Mode
from sigap.arrangements.selectors import roster_entries
from sigap.core import clock
from sigap.org.models import Employee, Unit
from sigap.org.selectors import Scope
from sigap.web.labels import CODE_LEGEND
from sigap.web.roster_views.access import Period

NEXT_MODE = {Mode.WFO: Mode.WFH, Mode.WFH: Mode.WFA, Mode.WFA: Mode.WFO}
REMOTE = (Mode.WFH, Mode.WFA)
REASON_MARKS = {
    EntryReason.RECALL: "↩",
    EntryReason.MANUAL: "✎",
    EntryReason.REQUEST: "✉",
    EntryReason.FLEXIBLE: "⇄",
    EntryReason.POLICY: "%",
}


@dataclass(frozen=True)
class _Marks:
    scope: Scope
    today: dt.date
    cells: frozenset[tuple[int, dt.date]]
    days: frozenset[tuple[int, dt.date]]
    pending: tuple[int, dt.date] | None = None


def _marks(scope: Scope, today: dt.date, problems: list[dict], pending=None) -> _Marks:
    """Cells (person, day) and unit days (unit, day) that a problem names."""
    cells, days = set(), set()
    for problem in problems:
        if not problem.get("date"):
            continue
        day = dt.date.fromisoformat(problem["date"])
        person = problem.get("detail", {}).get("person_id")
        if person:
            cells.add((person, day))
        else:
            days.add((problem.get("unit_id"), day))
    return _Marks(scope, today, frozenset(cells), frozenset(days), pending)


def _cell(grid: UnitGrid, employee: Employee, day: dt.date, marks: _Marks) -> dict[str, Any]:
    entry = grid.entries.get((employee.pk, day))
    mode = entry.mode if entry else Mode.WFO
    reason = entry.reason if entry else EntryReason.DEFAULT
    code = entry.absence_code if entry else ""
    ahead = day >= marks.today
    scope = marks.scope
    title = [
        str(Mode(mode).label),
        str(CODE_LEGEND.get(code, code)),
        str(EntryReason(reason).label),
    ]
    if entry and (entry.override_reason or entry.note):
        title.append(entry.override_reason or entry.note)
    return {
        "key": f"{employee.pk}-{day.isoformat()}",
        "mode": mode,
        "label": code or mode,
        "title": " · ".join(t for t in title if t),
        "mark": REASON_MARKS.get(reason, ""),
        "next": NEXT_MODE.get(mode, mode),
        "clickable": ahead and mode in NEXT_MODE and reason != EntryReason.REQUEST,
        "recallable": ahead
        and mode in REMOTE
        and (employee.unit_id in scope.unit_ids or employee.supervisor_id == scope.employee_id),
        "date": day.isoformat(),
        "vals": json.dumps(
            {"employee": employee.pk, "date": day.isoformat(), "mode": NEXT_MODE.get(mode, mode)}
        ),
        "violation": (employee.pk, day) in marks.cells,
        "pending": (employee.pk, day) == marks.pending,
    }


def _blocks(grid: UnitGrid, marks: _Marks) -> list[dict[str, Any]]:
    """One block per unit: its rows of cells and, per day, WFO count vs cap and seats."""
    by_id = {e.pk: e for e in grid.employees}
    modes = {cell: entry.mode for cell, entry in grid.entries.items()}
    office_use: dict[tuple[int, dt.date], int] = defaultdict(int)
    blocks = []
    for plan in grid.plans:
        totals = []
        for day in grid.days:
            place = (plan.office_id or 0, day)
            seats = grid.seats_for(plan, day, office_use[place])
            wfo = grid.wfo_count(plan, day, modes)
            office_use[place] += wfo
            totals.append(
                {
                    "key": f"{plan.unit.pk}-{day.isoformat()}",
                    "wfo": wfo,
                    "cap": plan.cap(day),
                    "seats": seats,
                    "violation": (plan.unit.pk, day) in marks.days,
                }
            )
        rows = [
            (by_id[p.id], [_cell(grid, by_id[p.id], d, marks) for d in grid.days])
            for p in plan.people
        ]
        if rows:
            blocks.append({"unit": plan.unit, "rows": rows, "totals": totals})
    return blocks


def problem_rows(problems: list[dict], units: dict, people: dict) -> list[dict[str, Any]]:
    return [
        {
            "code": p.get("code", ""),
            "date": dt.date.fromisoformat(p["date"]) if p.get("date") else None,
            "unit": p.get("unit_name") or units.get(p.get("unit_id"), ""),
            "person": people.get(p.get("detail", {}).get("person_id"), ""),
            "message": p.get("message", ""),
        }
        for p in problems
    ]


def grid_context(scope: Scope, unit: Unit, period: Period, **extra: Any) -> dict[str, Any]:
    grid = unit_grid(unit=unit, start=period.start, end=period.end)
    refused = extra.get("refused")
    problems = (
        refused["violations"] if refused else [problem_out(p) for p in grid.violations_after()]
    )
    today = clock.today(unit.agency.time_zone)
    marks = _marks(scope, today, problems, refused["cell"] if refused else None)
    units = {p.unit.pk: p.unit.name for p in grid.plans}
    return {
        **extra,
        "unit": unit,
        "period": period,
        "days": grid.days,
        "today": today,
        "blocks": _blocks(grid, marks),
        "problems": problem_rows(problems, units, {e.pk: e.name for e in grid.employees}),
        "grid_vals": json.dumps(
            {"unit": unit.pk, "start": period.start.isoformat(), "view": period.view}
        ),
        "links": {
            "this": period.query(unit),
            "prev": period.query(unit, period.start - dt.timedelta(days=1)),
            "next": period.query(unit, period.end + dt.timedelta(days=1)),
        },
    }


def remote_today(scope: Scope) -> list[tuple[Employee, Any]]:
    """The caller's direct subordinates planned WFH/WFA today."""
    if not scope.is_supervisor:
        return []
    team = list(
        scope.employees()
        .filter(supervisor_id=scope.employee_id, active=True)
        .select_related("unit", "agency")
        .order_by("name")
    )
    if not team:
        return []
    today = clock.today(team[0].agency.time_zone)
    entries = roster_entries(employee_ids=[e.pk for e in team], start=today, end=today)
    found = [(e, entries.get((e.pk, today))) for e in team]
    return [(e, entry) for e, entry in found if entry is not None and entry.mode in REMOTE]
