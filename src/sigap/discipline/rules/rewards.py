"""Monthly rewards: on-time streaks, perfect attendance and competition rankings of
employees and units. See the package docstring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from sigap.discipline.rules.tpp import BELUM, EXCUSED_CODES, HADIR, HUNDRED, LIBUR, cents

# --- rewards (monthly rankings) ---


@dataclass(frozen=True, slots=True)
class EmployeeMonthFacts:
    employee_id: int
    working_days: int
    excused_days: int
    present_days: int
    on_time_days: int
    unexcused_days: int
    longest_on_time_streak: int
    reports_required: int
    reports_approved: int


def streak_on_time(days: Iterable[tuple[dt.date, str, tuple[str, ...]]]) -> int:
    """The longest run of on-time days (HADIR, no TL/PSW code), by date.

    LIBUR, BELUM and excused days are skipped; anything else (TL, PSW, TK) breaks the run.
    """
    best = run = 0
    for _, status, codes in sorted(days, key=lambda d: d[0]):
        codes = codes or (status,)
        if status in (LIBUR, BELUM) or status in EXCUSED_CODES:
            continue
        late_or_early = any(c.startswith(("TL", "PSW")) for c in codes)
        run = run + 1 if status == HADIR and not late_or_early else 0
        best = max(best, run)
    return best


def perfect_attendance(f: EmployeeMonthFacts) -> bool:
    """Every non-excused working day present and on time (at least one), no unexcused day."""
    expected = f.working_days - f.excused_days
    return f.on_time_days == expected > 0 and f.unexcused_days == 0


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    key: int
    score: Decimal


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return cents(HUNDRED * numerator / Decimal(denominator))


def _rank(scored: Iterable[tuple[int, Decimal]], limit: int | None) -> list[Ranked]:
    ordered = sorted(((key, cents(score)) for key, score in scored), key=lambda e: (-e[1], e[0]))
    ranked: list[Ranked] = []
    for position, (key, score) in enumerate(ordered, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else position
        if limit is not None and rank > limit:
            break
        ranked.append(Ranked(rank, key, score))
    return ranked


def _employee_score(f: EmployeeMonthFacts, category: str) -> Decimal | None:
    if category == "perfect_attendance":
        return Decimal(f.present_days) if perfect_attendance(f) else None
    if category == "on_time_streak":
        return Decimal(f.longest_on_time_streak) if f.longest_on_time_streak > 0 else None
    return _ratio(f.reports_approved, f.reports_required)


EMPLOYEE_CATEGORIES = ("perfect_attendance", "on_time_streak", "reports")


def rank_employees(
    facts: Iterable[EmployeeMonthFacts], category: str, *, limit: int | None = 10
) -> list[Ranked]:
    """Employees ranked in a category, highest first (see the module docstring for ties)."""
    return _rank_by(facts, category, EMPLOYEE_CATEGORIES, _employee_score, limit, "employee_id")


@dataclass(frozen=True, slots=True)
class UnitMonthFacts:
    unit_id: int
    expected_days: int
    present_days: int
    on_time_days: int
    reports_required: int
    reports_approved: int


UNIT_CATEGORIES = ("attendance_rate", "punctuality", "report_completion")


def unit_score(f: UnitMonthFacts, category: str) -> Decimal | None:
    """A unit's % in a category (2 places); None when its denominator is 0."""
    if category == "attendance_rate":
        return _ratio(f.present_days, f.expected_days)
    if category == "punctuality":
        return _ratio(f.on_time_days, f.present_days)
    if category == "report_completion":
        return _ratio(f.reports_approved, f.reports_required)
    raise ValueError(f"unknown unit category: {category!r}")


def rank_units(
    facts: Iterable[UnitMonthFacts], category: str, *, limit: int | None = None
) -> list[Ranked]:
    """Units ranked in a category, highest first; units without a score are left out."""
    return _rank_by(facts, category, UNIT_CATEGORIES, unit_score, limit, "unit_id")


def _rank_by(
    facts: Iterable,
    category: str,
    known: tuple[str, ...],
    score: Callable[..., Decimal | None],
    limit: int | None,
    key: str,
) -> list[Ranked]:
    if category not in known:
        raise ValueError(f"unknown category: {category!r} (expected one of {', '.join(known)})")
    scored = ((getattr(f, key), score(f, category)) for f in facts)
    return _rank(((k, s) for k, s in scored if s is not None), limit)
