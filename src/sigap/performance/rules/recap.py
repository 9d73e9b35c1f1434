"""Expected hours, the monthly performance recap per employee and per unit, SKP
predicates and the earned share of the TPP performance part (DOMAIN.md sections 1, 6, 7).

Pure: the caller loads the month's plans, reports and task figures; these functions
only count. Percentages are rounded half up to one decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sigap.performance.rules.reports import Quantity

# Perpres 21/2023: 37 h 30 min a week. A normal week is five working days of 450 minutes
# (Mon-Thu 07:30-16:00 less 60 min, Fri 07:30-16:30 less 90 min) = 2250 = WEEKLY_MINUTES.
WEEKLY_MINUTES = 37 * 60 + 30


class Predicate(StrEnum):
    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang"
    SANGAT_KURANG = "Sangat Kurang"


# Shipped defaults, adjustable by the agency (stored as data and passed as `bands`):
# the first band whose lower bound (achievement %, inclusive) is reached gives the
# predicate; below every bound, the last band's predicate.
PREDICATE_BANDS: tuple[tuple[float, str], ...] = (
    (110, Predicate.SANGAT_BAIK),
    (90, Predicate.BAIK),
    (70, Predicate.BUTUH_PERBAIKAN),
    (50, Predicate.KURANG),
    (0, Predicate.SANGAT_KURANG),
)


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One calendar day of an employee's month.

    `working`: a working day of their schedule (False on weekends and holidays);
    `minutes`: its scheduled working minutes (450 normally, 390 in Ramadan);
    `excused`: leave or sickness (CT, CS, SAKIT...). DL is work elsewhere: not excused.
    """

    date: date
    working: bool
    minutes: int
    excused: bool = False


def expected_minutes(days: Sequence[DayPlan]) -> int:
    """Expected work: the scheduled minutes of the working, non-excused days.

    Pro rata by construction: holidays and leave days simply add nothing. A normal
    week gives 5 x 450 = 2250 minutes = 37.5 h (WEEKLY_MINUTES).
    """
    if len({d.date for d in days}) != len(days):
        raise ValueError("a day appears twice")
    if any(d.minutes < 0 for d in days):
        raise ValueError("scheduled minutes cannot be negative")
    return sum(d.minutes for d in days if d.working and not d.excused)


def percent(done: Quantity, target: Quantity) -> float:
    """done / target in %, rounded half up to one decimal; 0.0 when target <= 0."""
    if target <= 0:
        return 0.0
    value = Decimal(str(done)) * 100 / Decimal(str(target))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def predicate_for(pct: float, bands: Sequence[tuple[float, str]] = PREDICATE_BANDS) -> str:
    """The SKP predicate of an achievement percentage (bounds inclusive)."""
    bounds = [bound for bound, _ in bands]
    if not bands or bounds != sorted(bounds, reverse=True):
        raise ValueError("bands must be non-empty and in descending order")
    for bound, label in bands:
        if pct >= bound:
            return label
    return bands[-1][1]


def performance_part_pct(achievement_pct: float, *, cap: float = 100) -> float:
    """The share (%) of the TPP performance part earned in the month.

    DOMAIN.md section 6: the performance part (40 % of TPP by default) follows the share
    of approved daily-report work against the expected hours. Working beyond the
    expected hours earns no more than the whole part: min(achievement, cap), never
    below 0.
    """
    if cap <= 0:
        raise ValueError("cap must be positive")
    return max(0.0, min(float(achievement_pct), float(cap)))
