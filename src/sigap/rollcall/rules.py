"""Roll-call (apel) decisions: which dates have a session, why someone is absent, the rate,
and whether a check-in counts as attending. Pure: plain values in, values out.

Decisions (DOMAIN.md section 8):
- A series falls on its weekday (weekly), its day of the month (monthly) or its date
  (yearly), only on an office working day unless the series says `on_holidays`: a holiday
  Monday has no roll call (HR may still create one ad hoc). When several series fall on
  the same date the most specific one wins (yearly > monthly > weekly): one session a day.
- Absent by reason: DL -> DL; CT, CB, CM, CAP, CBER, CLTN -> leave; CS and SAKIT -> sick;
  IZIN -> permission; TK -> TK; BELUM (or no day yet) -> not_yet. Someone at work
  (HADIR, TLn, PSWn) but without roll-call attendance is TK for a physical session (they
  missed it) and not_yet for a virtual one (the unit head has not marked them yet).
- LIBUR and TB people are not expected (no working day here / on study assignment).
- A check-in counts when it is an accepted check-in inside the place during the window:
  from WINDOW_OPENS_BEFORE before the start up to the cut-off, inclusive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sigap.core.geo import GeoError, Point, distance_m, point_in_polygon, validate_polygon

RULE_VERSION = "rollcall-1"
WINDOW_OPENS_BEFORE = dt.timedelta(minutes=60)

REASONS = ("DL", "leave", "sick", "permission", "TK", "not_yet")
UNEXCUSED = frozenset({"TK", "not_yet"})
LEAVE_CODES = frozenset({"CT", "CB", "CM", "CAP", "CBER", "CLTN"})
SICK_CODES = frozenset({"CS", "SAKIT"})
AT_WORK_CODES = frozenset({"HADIR", "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4"})
NOT_EXPECTED_CODES = frozenset({"LIBUR", "TB"})
FREQUENCY_RANK = {"yearly": 0, "monthly": 1, "weekly": 2}


@dataclass(frozen=True, slots=True)
class Recurrence:
    """weekly: `weekday` (0 = Monday); monthly: `day`; yearly: `month` and `day`."""

    key: int
    frequency: str
    weekday: int | None = None
    day: int | None = None
    month: int | None = None
    on_holidays: bool = False

    def matches(self, date: dt.date) -> bool:
        if self.frequency == "weekly":
            return date.weekday() == self.weekday
        if self.frequency == "monthly":
            return date.day == self.day
        if self.frequency == "yearly":
            return (date.month, date.day) == (self.month, self.day)
        return False


def series_due(
    series: Iterable[Recurrence], date: dt.date, *, working_day: bool
) -> Recurrence | None:
    """The one series whose session falls on `date`, or None."""
    due = [s for s in series if s.matches(date) and (working_day or s.on_holidays)]
    if not due:
        return None
    return min(due, key=lambda s: (FREQUENCY_RANK.get(s.frequency, 9), s.key))


def is_expected(code: str | None, *, working_day: bool) -> bool:
    """Whether the person is expected at the roll call."""
    return working_day and code not in NOT_EXPECTED_CODES


def absence_reason(code: str | None, *, virtual: bool) -> str:
    """The absent-by-reason bucket of an expected person who did not attend."""
    if code is None or code == "BELUM":
        return "not_yet"
    if code == "DL":
        return "DL"
    if code in LEAVE_CODES:
        return "leave"
    if code in SICK_CODES:
        return "sick"
    if code == "IZIN":
        return "permission"
    if code in AT_WORK_CODES:
        return "not_yet" if virtual else "TK"
    return "TK"


def empty_reasons() -> dict[str, int]:
    return dict.fromkeys(REASONS, 0)


def rate(present: int, expected: int) -> float:
    """Share present, 0..1 (0 when nobody is expected), four decimals."""
    if expected <= 0:
        return 0.0
    return round(min(present, expected) / expected, 4)


def numbers_problems(
    *, expected: int, present: int, absent: Mapping[str, object]
) -> dict[str, list[str]]:
    """Field problems of a corrected report (empty when it is consistent)."""
    problems: dict[str, list[str]] = {}
    if set(absent) != set(REASONS):
        problems["absent_by_reason"] = [f"exactly these keys: {', '.join(REASONS)}"]
        return problems
    if not isinstance(present, int) or present < 0:
        problems["present"] = ["a whole number, 0 or more"]
    bad = [k for k, v in absent.items() if not isinstance(v, int) or isinstance(v, bool) or v < 0]
    if bad:
        problems["absent_by_reason"] = [f"whole numbers, 0 or more: {', '.join(sorted(bad))}"]
    if not problems and present + sum(absent.values()) != expected:  # type: ignore[arg-type]
        problems["absent_by_reason"] = [f"present plus absent must equal expected ({expected})"]
    return problems


@dataclass(frozen=True, slots=True)
class Place:
    latitude: float
    longitude: float
    radius_m: float | None
    polygon: tuple[tuple[float, float], ...] | None = None


def inside_place(point: Point, place: Place) -> bool:
    """Inside the polygon when there is one, else within the radius. Fails closed."""
    if place.polygon:
        try:
            ring = validate_polygon(place.polygon)
        except GeoError:
            return False
        return point_in_polygon(point, ring)
    if not place.radius_m:
        return False
    return distance_m(point, Point(place.latitude, place.longitude)) <= place.radius_m


def window(start: dt.datetime, cutoff: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return start - WINDOW_OPENS_BEFORE, cutoff


def check_in_counts(
    *, at: dt.datetime, start: dt.datetime, cutoff: dt.datetime, inside: bool, accepted: bool
) -> bool:
    """Whether a check-in makes its author present at a physical roll call."""
    opens, closes = window(start, cutoff)
    return accepted and inside and opens <= at <= closes


def tally(reasons: Collection[str]) -> dict[str, int]:
    counts = empty_reasons()
    for reason in reasons:
        counts[reason] += 1
    return counts
