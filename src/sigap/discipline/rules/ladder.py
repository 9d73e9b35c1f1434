"""The PP 94/2021 ladder (DOMAIN.md section 5): the 7.5-hour rule, the rungs and
consecutive unexcused working days. See the package docstring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sigap.discipline.rules.tpp import LIBUR, MINUTES_PER_DAY, TK

# --- PP 94/2021 ladder (DOMAIN.md section 5) ---

LIGHT, MODERATE, HEAVY = "light", "moderate", "heavy"


@dataclass(frozen=True, slots=True)
class Sanction:
    threshold: int
    level: str
    code: str
    consecutive: bool = False


LADDER: tuple[Sanction, ...] = (
    Sanction(3, LIGHT, "verbal_warning"),
    Sanction(4, LIGHT, "written_warning"),
    Sanction(7, LIGHT, "written_dissatisfaction"),
    Sanction(11, MODERATE, "tpp_cut_25_6m"),
    Sanction(14, MODERATE, "tpp_cut_25_9m"),
    Sanction(17, MODERATE, "tpp_cut_25_12m"),
    Sanction(21, HEAVY, "demotion_12m"),
    Sanction(25, HEAVY, "release_from_position_12m"),
    Sanction(28, HEAVY, "discharge"),
)
CONSECUTIVE_DAYS = 10
CONSECUTIVE_SANCTION = Sanction(CONSECUTIVE_DAYS, HEAVY, "discharge_consecutive", True)


def converted_days(minutes: int, *, enabled: bool = True) -> int:
    """Full 450-minute blocks of late/early minutes; 0 when disabled or minutes <= 0."""
    if not enabled or minutes <= 0:
        return 0
    return minutes // MINUTES_PER_DAY


def yearly_unexcused(tk_days: int, late_early_minutes: int, *, convert: bool = True) -> int:
    """Unexcused days of a year for the ladder: TK days plus converted minutes."""
    return tk_days + converted_days(late_early_minutes, enabled=convert)


def sanction_for(unexcused_days: int) -> Sanction | None:
    """The rung for a yearly count of unexcused days (None below 3)."""
    rungs = [rung for rung in LADDER if rung.threshold <= unexcused_days]
    return rungs[-1] if rungs else None


def thresholds_crossed(before: int, after: int) -> list[Sanction]:
    """The rungs whose threshold lies in (before, after], lowest first."""
    return [rung for rung in LADDER if before < rung.threshold <= after]


def _unexcused_runs(days: Iterable[tuple[dt.date, str]]) -> Iterable[tuple[dt.date, int]]:
    """(date, current run length) for each TK entry, by date. Conflicting duplicates: ValueError."""
    by_date: dict[dt.date, str] = {}
    for date, status in days:
        if by_date.setdefault(date, status) != status:
            raise ValueError(f"{date}: two statuses ({by_date[date]}, {status})")
    run = 0
    for date in sorted(by_date):
        status = by_date[date]
        if status == LIBUR:
            continue
        run = run + 1 if status == TK else 0
        if run:
            yield date, run


def consecutive_unexcused(days: Iterable[tuple[dt.date, str]]) -> int:
    """The longest run of consecutive unexcused (TK) working days; LIBUR is skipped."""
    return max((run for _, run in _unexcused_runs(days)), default=0)


def consecutive_reached(
    days: Iterable[tuple[dt.date, str]], n: int = CONSECUTIVE_DAYS
) -> dt.date | None:
    """The date on which a run first reached n unexcused working days, else None."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    return next((date for date, run in _unexcused_runs(days) if run == n), None)
