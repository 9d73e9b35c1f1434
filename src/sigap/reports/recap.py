"""Who is at work today: the attendance recap of a unit's subtree, of a whole agency (per
OPD = per root unit) and the 30-day trend (API.md "Unit recap and roll call").

Definitions (DOMAIN.md 3):
- headcount: active employees of the subtree;
- expected: those with a working day, i.e. every status except LIBUR (leave, sick, DL, TK
  and BELUM included: they are accounted for, as in the roll call's "absent by reason");
- present: those who came to work: HADIR, TL1-TL4, PSW1-PSW4 (such a day always has a
  check-in or a check-out). DL is work elsewhere but not presence: it is in `by_status`;
- by_status: every code (zeros included). A day without a row is what the rules say of it
  in the employee's own zone: LIBUR off days, BELUM until the day's window closes, TK after;
- by_mode: where the expected, non-excused people work today: the mode of their day row
  (the check-in's), else their roster entry, else WFO. DL/OFF (leave) are not in it;
- rate: present / expected (0 when nobody is expected).

`date` is the local date of each employee's office (attendance rows are stored by that
date; a WIT office's day ends an hour before a WITA one). The default date is today in the
unit's office zone (the agency's zone for the agency recap).

Bounded: one grouped query for the people and their day (correlated subqueries for the day
row, the roster entry and the shift), one for the shifts used, one for the unit names, and
the cached unit tree, office map and calendar; the result is cached for 30 seconds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from sigap.arrangements.models import RosterEntry
from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.attendance.rules import EXCUSED_CODES, Code
from sigap.attendance.selectors import day_view
from sigap.core import clock
from sigap.org.models import Agency, Employee, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import office_map, unit_children_map
from sigap.worktime.models import Shift, ShiftAssignment
from sigap.worktime.rules import DaySchedule, day_schedule
from sigap.worktime.selectors import calendar_for, shift_spec

CACHE_SECONDS = 30
TREND_CACHE_SECONDS = 60
PRESENT_CODES = frozenset(
    {Code.HADIR, Code.TL1, Code.TL2, Code.TL3, Code.TL4}
    | {Code.PSW1, Code.PSW2, Code.PSW3, Code.PSW4}
)
LATE_CODES = frozenset({Code.TL1, Code.TL2, Code.TL3, Code.TL4})
MODES = ("WFO", "WFH", "WFA")


@dataclass(slots=True)
class Tally:
    """The counts of one unit (or a sum of units)."""

    headcount: int = 0
    expected: int = 0
    present: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_mode: Counter = field(default_factory=Counter)

    def add(self, status: str, mode: str | None, n: int) -> None:
        self.headcount += n
        self.by_status[status] += n
        if status == Code.LIBUR:
            return
        self.expected += n
        if status in PRESENT_CODES:
            self.present += n
        if status not in EXCUSED_CODES and mode in MODES:
            self.by_mode[mode] += n

    def merge(self, other: Tally | None) -> None:
        if other is not None:
            self.headcount += other.headcount
            self.expected += other.expected
            self.present += other.present
            self.by_status.update(other.by_status)
            self.by_mode.update(other.by_mode)

    def figures(self) -> dict:
        return {
            "headcount": self.headcount,
            "expected": self.expected,
            "present": self.present,
            "by_status": {code.value: self.by_status.get(code.value, 0) for code in Code},
            "by_mode": {mode: self.by_mode.get(mode, 0) for mode in MODES},
            "rate": rate(self.present, self.expected),
        }


def rate(present: int, expected: int) -> float:
    return round(present / expected, 4) if expected else 0.0


def day_mode(status: str, row_mode: str | None, planned: str | None) -> str | None:
    """Where someone works today: the day row's mode, the roster's, else WFO."""
    if status == Code.LIBUR or status in EXCUSED_CODES:
        return None
    return row_mode or planned or "WFO"


class Zones:
    """The zone of a unit / an employee's office, from the cached office map (no query)."""

    def __init__(self, agency: Agency) -> None:
        self.agency, self.offices = agency, office_map(agency.pk)

    def of(self, unit_id: int, office_id: int | None = None) -> str:
        office_id = office_id or self.offices.by_unit.get(unit_id)
        office = self.offices.by_office.get(office_id) if office_id else None
        return office.time_zone if office else self.agency.time_zone


def unit_zone(unit: Unit) -> str:
    return Zones(unit.agency).of(unit.pk)


class Schedules:
    """Day schedules memoised per (zone, date, shift): a handful for a whole agency."""

    def __init__(self, agency: Agency, shift_ids: set[int]) -> None:
        self.agency = agency
        self._memo: dict[tuple, DaySchedule] = {}
        self.shifts = {pk: shift_spec(s) for pk, s in Shift.objects.in_bulk(shift_ids).items()}

    def get(self, zone: str, day: dt.date, shift_based: bool, shift_id: int | None) -> DaySchedule:
        key = (zone, day, shift_based, shift_id)
        if key not in self._memo:
            calendar = calendar_for(agency=self.agency, day=day, zone=zone)
            shift = self.shifts.get(shift_id) if shift_based and shift_id else None
            self._memo[key] = day_schedule(day, calendar, shift_based=shift_based, shift=shift)
        return self._memo[key]


def _day_of(model, date: dt.date, column: str) -> Subquery:
    return Subquery(model.objects.filter(employee=OuterRef("pk"), date=date).values(column)[:1])


def day_groups(people: QuerySet[Employee], date: dt.date) -> list[dict]:
    """People grouped by unit, office, day status, day mode, roster mode and shift: ONE
    query whatever the number of people."""
    annotated = people.order_by().annotate(
        day_status=_day_of(AttendanceDay, date, "status"),
        row_mode=_day_of(AttendanceDay, date, "mode"),
        planned=_day_of(RosterEntry, date, "mode"),
        shift=_day_of(ShiftAssignment, date, "shift_id"),
    )
    keys = ("unit_id", "office_id", "unit__shift_based", "day_status", "row_mode", "planned")
    return list(annotated.values(*keys, "shift").annotate(n=Count("pk")))


def unit_tallies(agency: Agency, people: QuerySet[Employee], date: dt.date) -> dict[int, Tally]:
    """unit id -> its own people's tally on `date` (each in their office's zone)."""
    groups = day_groups(people, date)
    zones, now = Zones(agency), clock.now()
    schedules = Schedules(agency, {g["shift"] for g in groups if g["shift"]})
    tallies: dict[int, Tally] = defaultdict(Tally)
    for g in groups:
        status = g["day_status"]
        if status is None:
            zone = zones.of(g["unit_id"], g["office_id"])
            schedule = schedules.get(zone, date, g["unit__shift_based"], g["shift"])
            status = day_view(None, schedule, now).status
        mode = day_mode(status, g["row_mode"] or None, g["planned"])
        tallies[g["unit_id"]].add(status, mode, g["n"])
    return tallies


# --- trees ----------------------------------------------------------------------------------


class Tree:
    """The units of an agency with their tallies; builds API.md's nested recap."""

    def __init__(self, agency: Agency, unit_ids: set[int], tallies: dict[int, Tally], date):
        self.children = unit_children_map(agency.pk)
        fields = ("id", "code", "name", "active")
        self.units = {u["id"]: u for u in Unit.objects.filter(pk__in=unit_ids).values(*fields)}
        self.tallies, self.date = tallies, date

    def node(self, unit_id: int) -> tuple[dict, Tally]:
        total, subunits = Tally(), []
        total.merge(self.tallies.get(unit_id))
        kids = [k for k in self.children.get(unit_id, []) if k in self.units]
        for child in sorted(kids, key=lambda k: (self.units[k]["code"], k)):
            recap, tally = self.node(child)
            total.merge(tally)
            if self.units[child]["active"] or tally.headcount:
                subunits.append(recap)
        unit = self.units[unit_id]
        ref = {"id": unit_id, "code": unit["code"], "name": unit["name"]}
        recap = {"unit": ref, "date": self.date.isoformat(), **total.figures()}
        return {**recap, "subunits": subunits}, total


def _cached(key: str, seconds: int, build):
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds)
    return found


def unit_recap(*, unit: Unit, date: dt.date | None = None) -> dict:
    """API.md's recap of `unit` and its whole subtree on `date` (default: today in the
    unit's zone); every sub-unit nested with the same shape, down to the leaves."""
    date = date or clock.today(unit_zone(unit))

    def build() -> dict:
        covered = subtree(unit_children_map(unit.agency_id), unit.pk)
        people = Employee.objects.filter(unit_id__in=covered, active=True)
        tallies = unit_tallies(unit.agency, people, date)
        return Tree(unit.agency, covered, tallies, date).node(unit.pk)[0]

    return _cached(f"reports:recap:unit:{unit.pk}:{date}", CACHE_SECONDS, build)


def units_recap(*, agency: Agency, unit_ids: list[int], date: dt.date) -> dict:
    """Several subtrees side by side (an agency's OPDs, a head's units): the totals of
    their union and one nested recap per unit in `subunits`."""

    def build() -> dict:
        children = unit_children_map(agency.pk)
        covered = set().union(*(subtree(children, pk) for pk in unit_ids)) if unit_ids else set()
        people = Employee.objects.filter(agency=agency, unit_id__in=covered, active=True)
        tree = Tree(agency, covered, unit_tallies(agency, people, date), date)
        total, subunits = Tally(), []
        for pk in sorted(unit_ids, key=lambda k: (tree.units[k]["code"], k)):
            recap, tally = tree.node(pk)
            total.merge(tally)
            subunits.append(recap)
        ref = {"id": agency.pk, "code": agency.code, "name": agency.name}
        figures = {"date": date.isoformat(), **total.figures(), "subunits": subunits}
        return {"agency": ref, "unit": None, **figures}

    ids = ",".join(str(pk) for pk in sorted(unit_ids))
    return _cached(f"reports:recap:units:{agency.pk}:{ids}:{date}", CACHE_SECONDS, build)


def agency_recap(*, agency: Agency, date: dt.date | None = None) -> dict:
    """The whole agency: totals, and one recap per OPD (every root unit) in `subunits`."""
    date = date or clock.today(agency.time_zone)
    roots = unit_children_map(agency.pk).get(None, [])
    active = set(Unit.objects.filter(pk__in=roots, active=True).values_list("pk", flat=True))
    return units_recap(agency=agency, unit_ids=[r for r in roots if r in active], date=date)


def pending_reviews(*, unit_ids: set[int]) -> int:
    """Flagged check-ins waiting for a supervisor, among the units' people (one query)."""
    return CheckIn.objects.filter(
        review=Review.PENDING, employee__unit_id__in=unit_ids, employee__active=True
    ).count()


# --- the trend --------------------------------------------------------------------------------


def _trend_counts(people: QuerySet[Employee], start: dt.date, end: dt.date):
    """Day rows counted per (date, unit, office) and the shift assignments
    without a day row per (date, unit, office, shift): two grouped queries."""
    span, where = (start, end), people.values("pk")
    rows = AttendanceDay.objects.filter(employee__in=where, date__range=span).order_by()
    group = ("employee__unit_id", "employee__office_id")
    rows = rows.values("date", *group).annotate(
        n=Count("pk"),
        expected=Count("pk", filter=~Q(status=Code.LIBUR)),
        present=Count("pk", filter=Q(status__in=PRESENT_CODES)),
    )
    has_row = AttendanceDay.objects.filter(employee=OuterRef("employee_id"), date=OuterRef("date"))
    shifts = ShiftAssignment.objects.filter(
        employee__in=where, employee__unit__shift_based=True, date__range=span
    ).order_by()
    shifts = shifts.exclude(Exists(has_row)).values("date", *group, "shift_id")
    return list(rows), list(shifts.annotate(n=Count("pk")))


def trend(*, agency: Agency, people: QuerySet[Employee], end: dt.date, days: int) -> list[dict]:
    """[{date, expected, present, rate}] for the `days` days up to `end` (four queries)."""
    dates = [end - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
    rows, shifts = _trend_counts(people, dates[0], end)
    expected: Counter[dt.date] = Counter()
    present: Counter[dt.date] = Counter()
    seen: Counter[tuple] = Counter()
    for r in rows:
        key = (r["date"], r["employee__unit_id"], r["employee__office_id"])
        seen[key] += r["n"]
        expected[r["date"]] += r["expected"]
        present[r["date"]] += r["present"]
    zones, schedules = Zones(agency), Schedules(agency, {s["shift_id"] for s in shifts})
    for s in shifts:
        zone = zones.of(s["employee__unit_id"], s["employee__office_id"])
        if schedules.get(zone, s["date"], True, s["shift_id"]).working:
            expected[s["date"]] += s["n"]
    offices = people.filter(unit__shift_based=False).order_by().values("unit_id", "office_id")
    for g in offices.annotate(n=Count("pk")):
        zone = zones.of(g["unit_id"], g["office_id"])
        for day in dates:
            missing = g["n"] - seen[(day, g["unit_id"], g["office_id"])]
            if missing > 0 and schedules.get(zone, day, False, None).working:
                expected[day] += missing
    return [_point(day, expected[day], present[day]) for day in dates]


def _point(day: dt.date, expected: int, present: int) -> dict:
    return {
        "date": day.isoformat(),
        "expected": expected,
        "present": present,
        "rate": rate(present, expected),
    }


def unit_trend(*, unit: Unit, end: dt.date | None = None, days: int = 30) -> list[dict]:
    """The daily rate of a unit's subtree over `days` days up to `end` (default today)."""
    end = end or clock.today(unit_zone(unit))

    def build() -> list[dict]:
        covered = subtree(unit_children_map(unit.agency_id), unit.pk)
        people = Employee.objects.filter(unit_id__in=covered, active=True)
        return trend(agency=unit.agency, people=people, end=end, days=days)

    return _cached(f"reports:trend:unit:{unit.pk}:{end}:{days}", TREND_CACHE_SECONDS, build)


def units_trend(*, agency: Agency, unit_ids: list[int], end: dt.date, days: int = 30) -> list:
    """The daily rate of several subtrees together (the agency's OPDs, a head's units)."""

    def build() -> list[dict]:
        children = unit_children_map(agency.pk)
        covered = set().union(*(subtree(children, pk) for pk in unit_ids)) if unit_ids else set()
        people = Employee.objects.filter(agency=agency, unit_id__in=covered, active=True)
        return trend(agency=agency, people=people, end=end, days=days)

    ids = ",".join(str(pk) for pk in sorted(unit_ids))
    key = f"reports:trend:units:{agency.pk}:{ids}:{end}:{days}"
    return _cached(key, TREND_CACHE_SECONDS, build)
