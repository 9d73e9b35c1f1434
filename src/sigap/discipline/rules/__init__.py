"""Discipline rules: TPP deductions, the PP 94/2021 ladder and monthly rewards.

Pure: stdlib only, no Django, no clock, no settings. Plain values in, values out
(DOMAIN.md sections 3, 5 and 6).

tpp: the deduction table (data), its validation, the lines of a month, the percentages;
ladder: the 7.5-hour rule, the rungs, consecutive unexcused working days;
rewards: streaks, perfect attendance, competition rankings.

Decisions:
- The deduction table is data (`TppTable`). The caller picks the one table in force for
  the month and stores `as_dict()` with the statement, so a past month can be explained
  after the agency changes its rules. `table_problems` says why a table is unusable.
- Lines a day produces, in this order: TK, TL, PSW, leave, APEL. A TK day, or a remote
  day counted as TK because its daily report is missing or returned (`report_unexcused`),
  produces one TK line and nothing else: the day is an absence, so its late/early codes,
  leave rate and missed roll calls add nothing. Otherwise a TL code gives the late band
  for `late_minutes`, a PSW code the early band for `early_minutes`, the status gives a
  leave line when the table has a rate for it, and each missed roll call an APEL line.
  The band comes from the table's minutes, not from the day's code, so an agency may
  choose other band limits than the attendance codes. Lines at rate 0 are omitted.
- A missing check-in (TL) or check-out (PSW) counts as `missing_punch_minutes`
  (default 91: the least that is "over 90"), both for the band and the 7.5-hour rule.
- The cap applies to the discipline part only: deductions are summed, capped at
  `cap` % of the discipline part; the performance part is earned separately.
  Percentages are rounded (0.01, half up) once, at the end.
- Ladder: TK days plus full 450-minute blocks of late/early minutes (the 7.5-hour rule,
  an agency switch), cumulative per calendar year; rungs start at 3, 4, 7, 11, 14, 17,
  21, 25 and 28 days. Ten consecutive unexcused working days are a separate rung.
- Consecutive runs: only the given (date, status) entries matter. LIBUR (weekend or
  holiday) neither counts nor breaks a run; any other status than TK breaks it; dates
  missing from the input are ignored.
- Rankings use competition ranking: equal scores share a rank and the next rank skips
  (1, 1, 3); within a tie the lower key comes first. A limit keeps every entry whose
  rank is within it, so ties at the limit are all kept.
"""

from sigap.discipline.rules.ladder import (
    CONSECUTIVE_DAYS,
    CONSECUTIVE_SANCTION,
    HEAVY,
    LADDER,
    LIGHT,
    MODERATE,
    Sanction,
    consecutive_reached,
    consecutive_unexcused,
    converted_days,
    sanction_for,
    thresholds_crossed,
    yearly_unexcused,
)
from sigap.discipline.rules.rewards import (
    EMPLOYEE_CATEGORIES,
    UNIT_CATEGORIES,
    EmployeeMonthFacts,
    Ranked,
    UnitMonthFacts,
    perfect_attendance,
    rank_employees,
    rank_units,
    streak_on_time,
    unit_score,
)
from sigap.discipline.rules.tpp import (
    APEL,
    BELUM,
    DEFAULT_TABLE,
    EXCUSED_CODES,
    HADIR,
    LEAVE_RATE_CODES,
    LIBUR,
    MAX_PUNCH_MINUTES,
    MINUTES_PER_DAY,
    RULE_VERSION,
    TIMES,
    TK,
    Band,
    DayFacts,
    Line,
    Problem,
    TppResult,
    TppTable,
    band_for,
    summary,
    table_problems,
    tpp_deductions,
    tpp_result,
)

__all__ = [
    "APEL",
    "BELUM",
    "CONSECUTIVE_DAYS",
    "CONSECUTIVE_SANCTION",
    "DEFAULT_TABLE",
    "EMPLOYEE_CATEGORIES",
    "EXCUSED_CODES",
    "HADIR",
    "HEAVY",
    "LADDER",
    "LEAVE_RATE_CODES",
    "LIBUR",
    "LIGHT",
    "MAX_PUNCH_MINUTES",
    "MINUTES_PER_DAY",
    "MODERATE",
    "RULE_VERSION",
    "TIMES",
    "TK",
    "UNIT_CATEGORIES",
    "Band",
    "DayFacts",
    "EmployeeMonthFacts",
    "Line",
    "Problem",
    "Ranked",
    "Sanction",
    "TppResult",
    "TppTable",
    "UnitMonthFacts",
    "band_for",
    "consecutive_reached",
    "consecutive_unexcused",
    "converted_days",
    "perfect_attendance",
    "rank_employees",
    "rank_units",
    "sanction_for",
    "streak_on_time",
    "summary",
    "table_problems",
    "thresholds_crossed",
    "tpp_deductions",
    "tpp_result",
    "unit_score",
    "yearly_unexcused",
]
