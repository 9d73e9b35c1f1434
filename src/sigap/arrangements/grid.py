"""The roster of a unit over a period, with what constrains it: the read model behind the
unit head's grid, the manual-edit checks and the rotation generator.

Bounded queries whatever the size: the units, their employees (with positions), the
roster entries of the period, the policies, the approved flexible work, and one count
of the other units' office use per office.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sigap.arrangements import rules
from sigap.arrangements.models import EntryReason, FlexibleWorkApplication, Mode, RosterEntry
from sigap.arrangements.selectors import (
    ArrangementSettings,
    approved_flexible,
    policies_for_unit,
    roster_entries,
)
from sigap.org import rules as org_rules
from sigap.org.models import Employee, Office, Unit
from sigap.org.selectors import office_map, unit_children_map
from sigap.worktime import rules as worktime_rules
from sigap.worktime.selectors import calendar_for

Cell = tuple[int, dt.date]


@dataclass
class UnitPlan:
    """One unit's constraints over the period."""

    unit: Unit
    people: list[rules.Person]
    share: dict[dt.date, int]
    release_public_service: dict[dt.date, bool]
    office_id: int | None

    def cap(self, day: dt.date) -> int:
        return rules.wfo_cap(headcount=len(self.people), share_percent=self.share[day])


@dataclass
class UnitGrid:
    unit: Unit
    days: list[dt.date]
    employees: list[Employee]
    plans: list[UnitPlan]
    entries: dict[Cell, RosterEntry]
    flexible: dict[int, FlexibleWorkApplication]
    settings: ArrangementSettings
    seats_total: dict[int, int | None]  # office id -> seat capacity (None: unlimited)
    seats_used_elsewhere: dict[tuple[int, dt.date], int] = field(default_factory=dict)

    def mode(self, employee_id: int, day: dt.date) -> str:
        entry = self.entries.get((employee_id, day))
        return entry.mode if entry is not None else Mode.WFO

    def reason(self, employee_id: int, day: dt.date) -> str:
        entry = self.entries.get((employee_id, day))
        return entry.reason if entry is not None else EntryReason.DEFAULT

    def seats_for(self, plan: UnitPlan, day: dt.date, planned_elsewhere: int = 0) -> int | None:
        """Seats left for this unit on the day: the office's capacity minus what the
        office's other units (outside this grid, plus `planned_elsewhere`) use."""
        if plan.office_id is None or self.seats_total.get(plan.office_id) is None:
            return None
        total = self.seats_total[plan.office_id] or 0
        used = self.seats_used_elsewhere.get((plan.office_id, day), 0) + planned_elsewhere
        return max(0, total - used)

    def wfo_count(self, plan: UnitPlan, day: dt.date, modes: Mapping[Cell, str]) -> int:
        return sum(1 for p in plan.people if modes.get((p.id, day), Mode.WFO) == Mode.WFO)

    def violations_after(
        self, changes: Mapping[Cell, tuple[str, str]] | None = None
    ) -> list[rules.Problem]:
        """Every rule the roster breaks once `changes` ((employee, day) -> (mode, reason))
        are applied."""
        changes = changes or {}
        modes = {cell: mode for cell, (mode, _reason) in changes.items()}
        reasons = {cell: reason for cell, (_mode, reason) in changes.items()}
        problems: list[rules.Problem] = []
        office_use: dict[tuple[int, dt.date], int] = defaultdict(int)
        for plan in self.plans:
            cells = {
                (p.id, d): modes.get((p.id, d), self.mode(p.id, d))
                for p in plan.people
                for d in self.days
            }
            why = {
                (p.id, d): reasons.get((p.id, d), self.reason(p.id, d))
                for p in plan.people
                for d in self.days
            }
            seats = {}
            for day in self.days:
                seats[day] = self.seats_for(plan, day, office_use[(plan.office_id or 0, day)])
                office_use[(plan.office_id or 0, day)] += self.wfo_count(plan, day, cells)
            problems.extend(
                rules.roster_violations(
                    unit_id=plan.unit.pk,
                    days=self.days,
                    modes=cells,
                    people=plan.people,
                    cap=min((plan.cap(d) for d in self.days), default=0),
                    seats=seats,
                    weekly_flexible_cap=self.settings.weekly_flexible_cap,
                    release_public_service=any(plan.release_public_service.values()),
                    flexible_reasons=why,
                    caps={d: plan.cap(d) for d in self.days},
                )
            )
        return problems


def working_days(unit: Unit, start: dt.date, end: dt.date, zone: str) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        calendar = calendar_for(agency=unit.agency, day=day, zone=zone)
        if worktime_rules.day_schedule(day, calendar).working:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _units(unit: Unit, with_subtree: bool) -> list[Unit]:
    if not with_subtree:
        return [unit]
    ids = org_rules.subtree(unit_children_map(unit.agency_id), unit.pk)
    units = Unit.objects.filter(pk__in=ids, active=True).order_by("code")
    return [u for u in units if not u.shift_based]


def unit_grid(*, unit: Unit, start: dt.date, end: dt.date, with_subtree: bool = True) -> UnitGrid:
    """The roster of `unit` (and its sub-units) over [start, end] with its constraints."""
    agency = unit.agency
    settings = ArrangementSettings.for_agency(agency)
    offices = office_map(agency.pk)
    units = _units(unit, with_subtree)
    unit_ids = [u.pk for u in units]
    employees = list(
        Employee.objects.filter(unit_id__in=unit_ids, active=True)
        .select_related("position", "unit")
        .order_by("unit__code", "name")
    )
    zone = agency.time_zone
    first_office = offices.by_unit.get(unit.pk)
    if first_office is not None:
        zone = offices.by_office[first_office].time_zone
    days = working_days(unit, start, end, zone)
    entries = roster_entries(employee_ids=[e.pk for e in employees], start=start, end=end)
    flexible = approved_flexible(employee_ids=[e.pk for e in employees], start=start, end=end)
    by_unit: dict[int, list[Employee]] = defaultdict(list)
    for employee in employees:
        by_unit[employee.unit_id].append(employee)
    plans = [
        _plan(u, by_unit[u.pk], flexible, days, start, end, offices.by_unit.get(u.pk), settings)
        for u in units
    ]
    office_ids = {p.office_id for p in plans if p.office_id is not None}
    grid = UnitGrid(
        unit=unit,
        days=days,
        employees=employees,
        plans=plans,
        entries=entries,
        flexible=flexible,
        settings=settings,
        seats_total=dict(
            Office.objects.filter(pk__in=office_ids).values_list("pk", "seat_capacity")
        ),
    )
    grid.seats_used_elsewhere = _office_use_elsewhere(grid, unit_ids, start, end, offices)
    return grid


def _plan(unit, employees, flexible, days, start, end, office_id, settings) -> UnitPlan:
    policies = policies_for_unit(unit=unit, start=start, end=end)
    share: dict[dt.date, int] = {}
    release: dict[dt.date, bool] = {}
    for day in days:
        policy = next((p for p in policies if p.start <= day <= p.end), None)
        if policy is None:
            share[day], release[day] = 100, False
            continue
        share[day] = rules.wfo_share_for(
            unit_class=unit.service_class,
            policy_share=policy.wfo_share,
            essential_share=policy.essential_share,
            critical_share=policy.critical_share,
        )
        release[day] = policy.release_public_service
    people = [_person(e, flexible.get(e.pk), settings) for e in employees]
    return UnitPlan(unit, people, share, release, office_id)


def _person(
    employee: Employee, grant: FlexibleWorkApplication | None, settings: ArrangementSettings
) -> rules.Person:
    days = min(grant.days_per_week, settings.weekly_flexible_cap) if grant else 0
    return rules.Person(
        id=employee.pk,
        public_service=bool(employee.position and employee.position.public_service),
        flexible_days_per_week=days,
        flexible_mode=grant.mode if grant else Mode.WFH,
        preferred_weekdays=frozenset(grant.preferred_weekdays) if grant else frozenset(),
    )


def _office_use_elsewhere(grid: UnitGrid, unit_ids, start, end, offices) -> dict:
    """(office, day) -> how many people outside the grid are planned in that office."""
    limited = [o for o, seats in grid.seats_total.items() if seats is not None]
    if not limited:
        return {}
    served = {u for u, o in offices.by_unit.items() if o in limited}
    others = list(
        Employee.objects.filter(agency_id=grid.unit.agency_id, active=True)
        .exclude(unit_id__in=unit_ids)
        .filter(unit_id__in=served)
        .values_list("pk", "unit_id", "office_id")
    )
    office_of = {pk: office or offices.by_unit.get(unit) for pk, unit, office in others}
    away = RosterEntry.objects.filter(
        employee_id__in=list(office_of), date__range=(start, end)
    ).exclude(mode=Mode.WFO)
    away_by_day: dict[tuple[int, dt.date], int] = defaultdict(int)
    for employee_id, day in away.values_list("employee_id", "date"):
        away_by_day[(office_of[employee_id], day)] += 1
    present: dict[int, int] = defaultdict(int)
    for office in office_of.values():
        present[office] += 1
    return {
        (office, day): present[office] - away_by_day[(office, day)]
        for office in limited
        for day in grid.days
    }
