"""Roll-call reads: sessions, each OPD's numbers (bounded queries), the live board, who may
see and act on what, and missed roll calls for discipline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import AttendanceDay
from sigap.attendance.rules import EXCUSED_CODES
from sigap.attendance.selectors import agency_day_schedules
from sigap.core import clock
from sigap.core.exceptions import Forbidden, NotFound
from sigap.core.models import User
from sigap.org.models import Agency, Employee, Unit
from sigap.org.selectors import WHOLE_AGENCY_ROLES, Scope, scope_for
from sigap.rollcall import rules
from sigap.rollcall.models import Participation, Rollcall, UnitReport

BOARD_ROLES = WHOLE_AGENCY_ROLES | {"unit_head"}


# --- access ---------------------------------------------------------------------------


def rollcalls_visible(*, user: User) -> QuerySet[Rollcall]:
    """Sessions of the caller's agency (everyone in it may know there is a roll call)."""
    scope = scope_for(user)
    qs = Rollcall.objects.select_related("office", "agency")
    if scope.all_agencies:
        return qs
    return qs.filter(agency_id=scope.agency_id) if scope.agency_id else qs.none()


def rollcall_visible(*, user: User, rollcall_id: int) -> Rollcall:
    rollcall = rollcalls_visible(user=user).filter(pk=rollcall_id).first()
    if rollcall is None:
        raise NotFound(_("No such roll call."))
    return rollcall


def rollcalls_on(*, user: User, date: dt.date | None = None) -> QuerySet[Rollcall]:
    """The sessions of one date (default: today in the caller's agency)."""
    if date is None:
        agency = Agency.objects.filter(pk=scope_for(user).agency_id).first()
        date = clock.today(agency.time_zone if agency else settings.TIME_ZONE)
    return rollcalls_visible(user=user).filter(date=date).order_by("start_time")


def agency_for_creating(*, user: User) -> Agency:
    scope = scope_for(user)
    agency = Agency.objects.filter(pk=scope.agency_id).first()
    if agency is None or not may_create(scope):
        raise Forbidden(_("Only HR admins create roll calls."))
    return agency


def may_view_board(scope: Scope) -> bool:
    """Leaders, HR admins, inspectors and unit heads see the whole agency's board."""
    return scope.all_agencies or bool(scope.roles & BOARD_ROLES)


def board_for(*, user: User, rollcall_id: int) -> Rollcall:
    rollcall = rollcall_visible(user=user, rollcall_id=rollcall_id)
    if not may_view_board(scope_for(user)):
        raise Forbidden(_("Only leaders, HR, the inspectorate and unit heads see the board."))
    return rollcall


def may_create(scope: Scope) -> bool:
    return scope.all_agencies or scope.has_role("hr_admin")


def reporting_employee(*, user: User, unit: Unit) -> Employee:
    """The head of `unit` (an OPD) acting on its report; 403 for anyone else."""
    scope = scope_for(user)
    if unit.pk not in scope.headed_unit_ids or scope.employee_id is None:
        raise Forbidden(_("Only the head of this OPD reports its roll call."))
    return Employee.objects.get(pk=scope.employee_id)


# --- OPDs and their numbers ---------------------------------------------------------


def opds(agency_id: int) -> list[Unit]:
    """The agency's OPDs (active root units), by code."""
    return list(
        Unit.objects.filter(agency_id=agency_id, parent__isnull=True, active=True)
        .select_related("head")
        .order_by("code")
    )


def opd_of_units(agency_id: int) -> dict[int, int]:
    """unit id -> the id of its OPD (root ancestor), one query."""
    parent_of = dict(Unit.objects.filter(agency_id=agency_id).values_list("id", "parent_id"))
    root: dict[int, int] = {}
    for unit_id in parent_of:
        current, seen = unit_id, set()
        while parent_of.get(current) is not None and current not in seen:
            seen.add(current)
            current = parent_of[current]
        root[unit_id] = current
    return root


@dataclass
class Numbers:
    expected: int = 0
    present: int = 0
    absent: dict[str, int] = field(default_factory=rules.empty_reasons)
    missed: list[int] = field(default_factory=list)  # employees absent without a reason


def opd_numbers(rollcall: Rollcall) -> dict[int, Numbers]:
    """OPD id -> its numbers at this moment, from schedules, days and participations."""
    agency = rollcall.agency
    schedules = agency_day_schedules(agency=agency, date=rollcall.date)
    opd_of = opd_of_units(agency.pk)
    people = Employee.objects.filter(agency=agency, active=True).values_list("id", "unit_id")
    days = dict(
        AttendanceDay.objects.filter(employee__agency=agency, date=rollcall.date).values_list(
            "employee_id", "status"
        )
    )
    attended = dict(
        Participation.objects.filter(rollcall=rollcall).values_list("employee_id", "present")
    )
    result: dict[int, Numbers] = {}
    for employee_id, unit_id in people:
        schedule = schedules.get(employee_id)
        code = days.get(employee_id)
        if not rules.is_expected(code, working_day=bool(schedule and schedule.working)):
            continue
        numbers = result.setdefault(opd_of.get(unit_id, unit_id), Numbers())
        numbers.expected += 1
        if attended.get(employee_id):
            numbers.present += 1
            continue
        reason = rules.absence_reason(code, virtual=rollcall.virtual)
        numbers.absent[reason] += 1
        if reason in rules.UNEXCUSED and employee_id not in attended:
            numbers.missed.append(employee_id)
    return result


# --- the board --------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    unit: Unit
    report: UnitReport | None

    @property
    def expected(self) -> int:
        return self.report.expected if self.report else 0

    @property
    def present(self) -> int:
        return self.report.present if self.report else 0

    @property
    def absent(self) -> dict[str, int]:
        found = self.report.absent_by_reason if self.report else {}
        return {reason: int(found.get(reason, 0)) for reason in rules.REASONS}

    @property
    def absent_items(self) -> list[tuple[str, int]]:
        return list(self.absent.items())

    @property
    def rate(self) -> float:
        return rules.rate(self.present, self.expected)

    @property
    def percent(self) -> int:
        return round(self.rate * 100)

    @property
    def state(self) -> str:
        if self.report is None:
            return "waiting"
        if self.report.confirmed_at is None:
            return "prefilled"
        return "corrected" if self.report.corrected else "confirmed"


@dataclass(frozen=True)
class Board:
    rollcall: Rollcall
    rows: list[BoardRow]

    @property
    def total(self) -> dict:
        absent = rules.empty_reasons()
        for row in self.rows:
            for reason, count in row.absent.items():
                absent[reason] += count
        expected = sum(r.expected for r in self.rows)
        present = sum(r.present for r in self.rows)
        return {
            "expected": expected,
            "present": present,
            "absent_by_reason": absent,
            "rate": rules.rate(present, expected),
            "units": len(self.rows),
            "confirmed": sum(1 for r in self.rows if r.state in {"confirmed", "corrected"}),
        }

    @property
    def total_items(self) -> list[tuple[str, int]]:
        return list(self.total["absent_by_reason"].items())


def board(*, rollcall: Rollcall) -> Board:
    """Every OPD in a row (three queries)."""
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(rollcall=rollcall).select_related("confirmed_by")
    }
    rows = [BoardRow(unit, reports.get(unit.pk)) for unit in opds(rollcall.agency_id)]
    return Board(rollcall, rows)


def report_for(*, rollcall: Rollcall, unit: Unit) -> UnitReport | None:
    return (
        UnitReport.objects.filter(rollcall=rollcall, unit=unit)
        .select_related("confirmed_by")
        .prefetch_related("corrections__by")
        .first()
    )


def markable_people(*, rollcall: Rollcall, scope: Scope) -> list[tuple[Employee, bool | None]]:
    """The unit head's people with their attendance at this session (None: not recorded)."""
    people = list(
        Employee.objects.filter(unit_id__in=scope.unit_ids, active=True)
        .select_related("unit")
        .order_by("unit__code", "name")[:1000]
    )
    attended = dict(
        Participation.objects.filter(rollcall=rollcall, employee__in=people).values_list(
            "employee_id", "present"
        )
    )
    return [(person, attended.get(person.pk)) for person in people]


# --- discipline -------------------------------------------------------------------------


@dataclass(frozen=True)
class MissedRollcall:
    rollcall_id: int
    date: dt.date
    title: str


def missed_rollcalls(*, employee: Employee, start: dt.date, end: dt.date) -> list[MissedRollcall]:
    """Roll calls the employee missed in [start, end] (DOMAIN.md section 6: 2 % each).

    A miss is a Participation with present=False (recorded at the cut-off, or marked absent
    by the unit head), unless the employee's day is excused (leave, DL, sick, permission...)
    by now, e.g. after a sick note was approved later. Two queries.
    """
    rows = list(
        Participation.objects.filter(
            employee=employee, present=False, rollcall__date__range=(start, end)
        )
        .select_related("rollcall")
        .order_by("rollcall__date")
    )
    excused = set(
        AttendanceDay.objects.filter(
            employee=employee, date__range=(start, end), status__in=EXCUSED_CODES
        ).values_list("date", flat=True)
    )
    return [
        MissedRollcall(p.rollcall_id, p.rollcall.date, p.rollcall.title)
        for p in rows
        if p.rollcall.date not in excused
    ]


def missed_rollcall_dates(
    *, employee_ids: Collection[int], start: dt.date, end: dt.date
) -> dict[int, list[dt.date]]:
    """employee id -> the dates of the roll calls they missed in [start, end] (as
    `missed_rollcalls`, for many people at once: two queries whatever their number)."""
    rows = list(
        Participation.objects.filter(
            employee_id__in=employee_ids, present=False, rollcall__date__range=(start, end)
        )
        .order_by("rollcall__date")
        .values_list("employee_id", "rollcall__date")
    )
    if not rows:
        return {}
    excused = set(
        AttendanceDay.objects.filter(
            employee_id__in={e for e, _d in rows},
            date__range=(start, end),
            status__in=EXCUSED_CODES,
        ).values_list("employee_id", "date")
    )
    missed: dict[int, list[dt.date]] = {}
    for employee_id, date in rows:
        if (employee_id, date) not in excused:
            missed.setdefault(employee_id, []).append(date)
    return missed
