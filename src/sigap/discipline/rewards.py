"""Monthly rewards: rankings of employees (perfect attendance, on-time streaks, approved
reports) and of OPDs (attendance rate, punctuality, report completion).

One pass over the month's attendance days of the agency (one query) and the
performance month facts OPD by OPD; cached for ten minutes per agency and month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache

from sigap.attendance.models import AttendanceDay
from sigap.attendance.rules import EXCUSED_CODES
from sigap.discipline import rules
from sigap.discipline.statements import agency_groups
from sigap.org.models import Agency, Employee, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import Scope, unit_children_map
from sigap.performance.recap import MonthFacts, month_bounds
from sigap.privacy import masking

CACHE_SECONDS = 600
PRESENT_PREFIXES = ("TL", "PSW")
LIMIT = 10


@dataclass(frozen=True, slots=True)
class EmployeeEntry:
    rank: int
    score: object
    employee_id: int
    name: str
    nip: str
    unit_name: str


@dataclass(frozen=True, slots=True)
class UnitEntry:
    rank: int
    score: object
    unit_id: int
    code: str
    name: str


@dataclass
class Rankings:
    year: int
    month: int
    employees: dict[str, list[EmployeeEntry]] = field(default_factory=dict)
    units: dict[str, list[UnitEntry]] = field(default_factory=dict)


def _present(status: str) -> bool:
    return status == "HADIR" or status.startswith(PRESENT_PREFIXES)


def _on_time(status: str, codes) -> bool:
    return status == "HADIR" and not any(str(c).startswith(PRESENT_PREFIXES) for c in codes or ())


def employee_facts(
    days: list[tuple[dt.date, str, list]], *, employee_id: int, required: int, approved: int
) -> rules.EmployeeMonthFacts:
    """The rules' view of one employee's month from (date, status, codes) of their days."""
    working = [d for d in days if d[1] not in ("LIBUR", "BELUM")]
    excused = sum(1 for d in working if d[1] in EXCUSED_CODES)
    present = sum(1 for d in working if _present(d[1]))
    on_time = sum(1 for d in working if _on_time(d[1], d[2]))
    return rules.EmployeeMonthFacts(
        employee_id=employee_id,
        working_days=len(working),
        excused_days=excused,
        present_days=present,
        on_time_days=on_time,
        unexcused_days=sum(1 for d in working if d[1] == "TK"),
        longest_on_time_streak=rules.streak_on_time(
            [(d[0], d[1], tuple(d[2] or ())) for d in days]
        ),
        reports_required=required,
        reports_approved=approved,
    )


def _month_facts(agency: Agency, year: int, month: int):
    start, end = month_bounds(year, month)
    days: dict[int, list] = defaultdict(list)
    rows = AttendanceDay.objects.filter(
        employee__agency=agency, employee__active=True, date__range=(start, end)
    )
    for eid, date, status, codes in rows.order_by("employee_id", "date").values_list(
        "employee_id", "date", "status", "codes"
    ):
        days[eid].append((date, status, codes))
    facts: dict[int, rules.EmployeeMonthFacts] = {}
    people: dict[int, Employee] = {}
    for group in agency_groups(agency):
        month_facts = MonthFacts(agency=agency, people=group, year=year, month=month)
        for employee in month_facts.people:
            figures = month_facts.employee_month(employee)
            required = (
                figures.reports_submitted + figures.reports_missing
                if figures.reports_submitted or figures.reports_missing
                else 0
            )
            facts[employee.pk] = employee_facts(
                days.get(employee.pk, []),
                employee_id=employee.pk,
                required=required,
                approved=figures.reports_approved,
            )
            people[employee.pk] = employee
    return facts, people


def _unit_facts(agency: Agency, facts: dict[int, rules.EmployeeMonthFacts], people) -> list:
    children = unit_children_map(agency.pk)
    roots = children.get(None, [])
    opd_of = {unit: root for root in roots for unit in subtree(children, root)}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for eid, f in facts.items():
        opd = opd_of.get(people[eid].unit_id)
        if opd is None:
            continue
        t = totals[opd]
        t[0] += f.working_days - f.excused_days
        t[1] += f.present_days
        t[2] += f.on_time_days
        t[3] += f.reports_required
        t[4] += f.reports_approved
    return [rules.UnitMonthFacts(unit, *figures) for unit, figures in totals.items()]


def rankings(*, agency: Agency, year: int, month: int, limit: int = LIMIT) -> Rankings:
    key = f"discipline:rankings:{agency.pk}:{year}-{month:02d}:{limit}"
    found = cache.get(key)
    if found is None:
        found = _rankings(agency, year, month, limit)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _rankings(agency: Agency, year: int, month: int, limit: int) -> Rankings:
    facts, people = _month_facts(agency, year, month)
    result = Rankings(year, month)
    for category in rules.EMPLOYEE_CATEGORIES:
        ranked = rules.rank_employees(facts.values(), category, limit=limit)
        result.employees[category] = [
            EmployeeEntry(
                r.rank,
                r.score,
                r.key,
                people[r.key].name,
                people[r.key].nip,
                people[r.key].unit.name,
            )
            for r in ranked
        ]
    units = _unit_facts(agency, facts, people)
    names = {u.pk: u for u in Unit.objects.filter(pk__in=[u.unit_id for u in units])}
    for category in rules.UNIT_CATEGORIES:
        ranked = rules.rank_units(units, category, limit=limit)
        result.units[category] = [
            UnitEntry(r.rank, r.score, r.key, names[r.key].code, names[r.key].name) for r in ranked
        ]
    return result


def ranked_nips(found: Rankings, scope: Scope) -> dict[int, str]:
    """employee id -> the NIP of each ranked employee as the viewer may see it: the rankings
    are public inside the agency, so a colleague or a leader gets masked NIPs (the person,
    their supervisor, unit head, HR and inspectors see them in full). At most one query."""
    people = {e.employee_id: e.nip for entries in found.employees.values() for e in entries}
    return masking.nips_by_id(scope, people)
