"""Monthly TPP statements: computed from the month's attendance days, missed roll calls,
remote days without a valid report and the daily-report performance, with the table in
force for the month; stored per employee and month; frozen once the month is locked.

- Open month: `statements_refresh` recomputes (after a change, and nightly). What counts
  then is provisional: a remote day's missing report counts only once its deadline passed.
- Locked month (after its clarification deadline, DOMAIN.md section 4 / issue 4):
  `statements_freeze` computes a last time with the month closed and sets `frozen_at`. A
  frozen statement never changes, whatever later happens to the table; if HR reopens the
  month, a refresh recomputes it with the table it was frozen with (its snapshot), and it
  is frozen again when the month locks again.
- Queries are bounded per group of people (the performance month facts, the days, the
  roll calls, the stored rows), so a whole agency is done OPD by OPD.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from sigap.attendance.models import AttendanceDay
from sigap.attendance.rules import Flag
from sigap.core import clock
from sigap.discipline import rules
from sigap.discipline.models import TppStatement, TppTableVersion
from sigap.discipline.tables import table_for
from sigap.org.models import Agency, Employee, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import unit_children_map
from sigap.performance.recap import MonthFacts, month_bounds, month_close
from sigap.performance.rules import performance_part_pct
from sigap.rollcall.selectors import missed_rollcall_dates

Progress = Callable[[int, int], None]
STORED_FIELDS = [
    "table_version",
    "table",
    "lines",
    "counts",
    "lines_pct",
    "deduction_pct",
    "discipline_pct",
    "performance_part_pct",
    "performance_pct",
    "final_pct",
    "tk_days",
    "late_early_minutes",
    "computed_at",
    "frozen_at",
    "rule_version",
]


@dataclass(frozen=True, slots=True)
class MonthTable:
    version: TppTableVersion | None
    table: rules.TppTable


def line_out(line: rules.Line) -> dict:
    return {
        "date": line.date.isoformat(),
        "code": line.code,
        "rate": str(line.rate),
        "minutes": line.minutes,
        "reason": line.reason,
    }


def day_facts(
    rows: Iterable[tuple], missed: Iterable[dt.date], unexcused: Iterable[tuple]
) -> list[rules.DayFacts]:
    """The rules' view of one employee's month: stored day rows (date, status, codes, flags,
    late, early), the dates of missed roll calls and the (date, reason) remote days."""
    days: dict[dt.date, dict] = {}
    for date, status, codes, flags, late, early in rows:
        days[date] = {
            "date": date,
            "status": status,
            "codes": tuple(codes or ()),
            "late_minutes": late,
            "early_minutes": early,
            "no_check_in": Flag.NO_CHECK_IN in (flags or ()),
            "no_check_out": Flag.NO_CHECK_OUT in (flags or ()),
        }
    for date in missed:
        day = days.setdefault(date, {"date": date, "status": "BELUM"})
        day["rollcalls_missed"] = day.get("rollcalls_missed", 0) + 1
    for date, reason in unexcused:
        days.setdefault(date, {"date": date, "status": "BELUM"})["report_unexcused"] = reason
    return [rules.DayFacts(**days[d]) for d in sorted(days)]


def _minutes(days: list[rules.DayFacts], table: rules.TppTable) -> int:
    """Late and early minutes of the month for the 7.5-hour rule (missing punches count as
    the table's minutes; absent days count as TK instead)."""
    total = 0
    for day in days:
        if day.status == "TK" or day.report_unexcused:
            continue
        codes = day.codes or (day.status,)
        if any(c.startswith("TL") for c in codes):
            total += table.missing_punch_minutes if day.no_check_in else day.late_minutes
        if any(c.startswith("PSW") for c in codes):
            total += table.missing_punch_minutes if day.no_check_out else day.early_minutes
    return total


def _fill(
    statement: TppStatement, days: list[rules.DayFacts], month: MonthTable, achievement: float
) -> None:
    table = month.table
    lines = rules.tpp_deductions(days, table)
    earned = Decimal(str(performance_part_pct(achievement)))
    result = rules.tpp_result(lines, table, performance_part_pct=earned)
    statement.table_version = month.version
    statement.table = table.as_dict()
    statement.lines = [line_out(x) for x in lines]
    statement.counts = dict(result.counts)
    statement.lines_pct = result.lines_pct
    statement.deduction_pct = result.deduction_pct
    statement.discipline_pct = result.discipline_pct
    statement.performance_part_pct = min(earned, Decimal(100)).quantize(Decimal("0.01"))
    statement.performance_pct = result.performance_pct
    statement.final_pct = result.final_pct
    statement.tk_days = sum(1 for x in lines if x.code == "TK")
    statement.late_early_minutes = _minutes(days, table)
    statement.rule_version = rules.RULE_VERSION


def _compute_group(
    agency: Agency,
    people: QuerySet[Employee],
    year: int,
    month: int,
    table: MonthTable,
    *,
    closed: bool,
    freeze: bool,
) -> int:
    """Compute and store the statements of `people` (one group: an OPD, a team, one
    person); frozen statements are kept, or recomputed with their own table when the
    month is open again (reopened). Returns how many were written."""
    start, end = month_bounds(year, month)
    facts = MonthFacts(agency=agency, people=people, year=year, month=month)
    ids = [e.pk for e in facts.people]
    if not ids:
        return 0
    rows: dict[int, list[tuple]] = {}
    fields = ("employee_id", "date", "status", "codes", "flags", "late_minutes", "early_minutes")
    stored_days = AttendanceDay.objects.filter(employee__in=people.values("pk"))
    for row in stored_days.filter(date__range=(start, end)).order_by().values_list(*fields):
        rows.setdefault(row[0], []).append(row[1:])
    missed = missed_rollcall_dates(employee_ids=ids, start=start, end=end)
    existing = {
        s.employee_id: s
        for s in TppStatement.objects.filter(employee_id__in=ids, year=year, month=month)
    }
    now = clock.now()
    to_create, to_update = [], []
    for employee in facts.people:
        statement = existing.get(employee.pk)
        if statement is not None and statement.frozen_at is not None and closed:
            continue  # locked and frozen: never changes
        own = table
        if statement is not None and statement.frozen_at is not None:  # reopened month
            own = MonthTable(statement.table_version, rules.TppTable.from_dict(statement.table))
        if statement is None:
            statement = TppStatement(employee=employee, year=year, month=month)
            to_create.append(statement)
        else:
            to_update.append(statement)
        days = day_facts(
            rows.get(employee.pk, ()),
            missed.get(employee.pk, ()),
            facts.unexcused_days(employee, closed=closed),
        )
        _fill(statement, days, own, facts.employee_month(employee).achievement_pct)
        statement.computed_at = now
        statement.frozen_at = now if freeze else None
    with transaction.atomic():
        TppStatement.objects.bulk_create(to_create, batch_size=500)
        TppStatement.objects.bulk_update(to_update, STORED_FIELDS, batch_size=500)
    return len(to_create) + len(to_update)


def agency_groups(agency: Agency) -> list[QuerySet[Employee]]:
    """The agency's active people OPD by OPD (and those of units outside any OPD)."""
    children = unit_children_map(agency.pk)
    groups = []
    covered: set[int] = set()
    for root in children.get(None, []):
        units = subtree(children, root)
        covered |= units
        groups.append(Employee.objects.filter(agency=agency, unit_id__in=units, active=True))
    rest = Employee.objects.filter(agency=agency, active=True).exclude(unit_id__in=covered)
    return [*groups, rest]


def month_table(agency: Agency, year: int, month: int) -> MonthTable:
    version, table = table_for(agency_id=agency.pk, year=year, month=month)
    return MonthTable(version, table)


def statements_refresh(
    *,
    agency: Agency,
    year: int,
    month: int,
    people: QuerySet[Employee] | None = None,
    progress: Progress | None = None,
) -> int:
    """(Re)compute the statements of an open month, or freeze those of a locked one.
    `people`: only these (default: the whole agency, OPD by OPD)."""
    locked, _deadline = month_close(agency=agency, year=year, month=month)
    if locked and people is None and _all_frozen(agency, year, month):
        return 0
    table = month_table(agency, year, month)
    groups = [people] if people is not None else agency_groups(agency)
    written = 0
    for n, group in enumerate(groups, start=1):
        written += _compute_group(agency, group, year, month, table, closed=locked, freeze=locked)
        if progress:
            progress(n, len(groups))
    return written


def _all_frozen(agency: Agency, year: int, month: int) -> bool:
    people = Employee.objects.filter(agency=agency, active=True)
    frozen = TppStatement.objects.filter(
        employee__in=people.values("pk"), year=year, month=month, frozen_at__isnull=False
    )
    return frozen.count() >= people.count()


def statements_freeze_due(*, agency: Agency, today: dt.date | None = None) -> int:
    """Freeze every statement of the last few locked months not frozen yet (nightly)."""
    today = today or clock.today(agency.time_zone)
    written = 0
    first = today.replace(day=1)
    for back in (1, 2, 3):
        day = first
        for _n in range(back):
            day = (day - dt.timedelta(days=1)).replace(day=1)
        locked, _deadline = month_close(agency=agency, year=day.year, month=day.month)
        if not locked:
            continue
        done = TppStatement.objects.filter(
            employee__agency=agency,
            employee__active=True,
            year=day.year,
            month=day.month,
            frozen_at__isnull=False,
        ).count()
        if done < Employee.objects.filter(agency=agency, active=True).count():
            written += statements_refresh(agency=agency, year=day.year, month=day.month)
    return written


def statement_for(*, employee: Employee, year: int, month: int) -> TppStatement:
    """The stored statement, computed now if there is none yet (or it is stale: an open
    month's statement older than the employee's last day change is refreshed by the
    signal receiver, so a stored one is current)."""
    found = (
        TppStatement.objects.filter(employee=employee, year=year, month=month)
        .select_related("table_version")
        .first()
    )
    if found is not None:
        return found
    people = Employee.objects.filter(pk=employee.pk)
    statements_refresh(agency=employee.agency, year=year, month=month, people=people)
    return TppStatement.objects.select_related("table_version").get(
        employee=employee, year=year, month=month
    )


def unit_people(unit: Unit) -> QuerySet[Employee]:
    children = unit_children_map(unit.agency_id)
    return Employee.objects.filter(unit_id__in=subtree(children, unit.pk), active=True)


def statements_ensure(
    *, agency: Agency, people: QuerySet[Employee], year: int, month: int
) -> QuerySet[TppStatement]:
    """The statements of `people` for the month, computing the missing ones first."""
    wanted = people.filter(active=True)
    have = TppStatement.objects.filter(employee__in=wanted.values("pk"), year=year, month=month)
    if have.count() < wanted.count():
        missing = wanted.exclude(pk__in=have.values("employee_id"))
        statements_refresh(agency=agency, year=year, month=month, people=missing)
    return TppStatement.objects.filter(
        employee__in=wanted.values("pk"), year=year, month=month
    ).select_related("employee", "employee__unit", "employee__position")
