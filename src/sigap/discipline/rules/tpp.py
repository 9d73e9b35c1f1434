"""TPP deduction tables, their validation, the deduction lines of a month and the
resulting percentages (DOMAIN.md sections 3 and 6). See the package docstring."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

RULE_VERSION = "discipline-1"
MINUTES_PER_DAY = 450  # 7 h 30 min: the 7.5-hour rule

TK, APEL, LIBUR, BELUM, HADIR = "TK", "APEL", "LIBUR", "BELUM", "HADIR"
EXCUSED_CODES = frozenset(
    {"CT", "CB", "CS", "CM", "CAP", "CBER", "CLTN", "SAKIT", "IZIN", "DL", "TB"}
)
LEAVE_RATE_CODES = EXCUSED_CODES  # the day codes a table may give a per-day rate
MAX_PUNCH_MINUTES = 1440
TIMES = "\u00d7"  # the multiplication sign of a summary: "TL1\u00d72"
HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Band:
    """A TL or PSW band: minutes low..high inclusive; high None = open-ended."""

    code: str
    low: int
    high: int | None
    rate: Decimal

    def contains(self, minutes: int) -> bool:
        return self.low <= minutes and (self.high is None or minutes <= self.high)


@dataclass(frozen=True, slots=True)
class TppTable:
    late_bands: tuple[Band, ...]
    early_bands: tuple[Band, ...]
    absent_rate: Decimal = Decimal("4")
    missed_rollcall_rate: Decimal = Decimal("2")
    discipline_share: Decimal = Decimal("60")
    cap: Decimal = Decimal("100")
    convert_minutes: bool = True
    missing_punch_minutes: int = 91
    leave_rates: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        # a frozen table must not change behind its back: copy what the caller passed
        object.__setattr__(self, "late_bands", tuple(self.late_bands))
        object.__setattr__(self, "early_bands", tuple(self.early_bands))
        object.__setattr__(self, "leave_rates", MappingProxyType(dict(self.leave_rates)))

    def __hash__(self) -> int:
        # the generated hash would fail on the mapping: hash the rates as sorted pairs
        rates = tuple(sorted(self.leave_rates.items()))
        scalars = (self.absent_rate, self.missed_rollcall_rate, self.discipline_share, self.cap)
        flags = (self.convert_minutes, self.missing_punch_minutes)
        return hash((self.late_bands, self.early_bands, scalars, flags, rates))

    def as_dict(self) -> dict:
        """JSON-safe snapshot (Decimals as strings)."""
        return {
            "late_bands": [_band_dict(b) for b in self.late_bands],
            "early_bands": [_band_dict(b) for b in self.early_bands],
            "absent_rate": str(self.absent_rate),
            "missed_rollcall_rate": str(self.missed_rollcall_rate),
            "discipline_share": str(self.discipline_share),
            "cap": str(self.cap),
            "convert_minutes": self.convert_minutes,
            "missing_punch_minutes": self.missing_punch_minutes,
            "leave_rates": {k: str(v) for k, v in sorted(self.leave_rates.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> TppTable:
        """Inverse of `as_dict`; missing optional keys take defaults. ValueError if malformed."""
        try:
            extra: dict[str, Any] = {
                name: _decimal(data[name])
                for name in ("absent_rate", "missed_rollcall_rate", "discipline_share", "cap")
                if name in data
            }
            if "convert_minutes" in data:
                if not isinstance(data["convert_minutes"], bool):
                    raise TypeError("convert_minutes must be true or false")
                extra["convert_minutes"] = data["convert_minutes"]
            if "missing_punch_minutes" in data:
                extra["missing_punch_minutes"] = int(data["missing_punch_minutes"])
            leave = {str(k): _decimal(v) for k, v in dict(data.get("leave_rates") or {}).items()}
            return cls(
                late_bands=tuple(_band_from(b) for b in data["late_bands"]),
                early_bands=tuple(_band_from(b) for b in data["early_bands"]),
                leave_rates=leave,
                **extra,
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed TPP table: {exc!r}") from exc


def _band_dict(band: Band) -> dict:
    return {"code": band.code, "low": band.low, "high": band.high, "rate": str(band.rate)}


def _band_from(data: Mapping) -> Band:
    high = data.get("high")
    return Band(
        code=str(data["code"]),
        low=int(data["low"]),
        high=None if high is None else int(high),
        rate=_decimal(data["rate"]),
    )


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def _bands(prefix: str) -> tuple[Band, ...]:
    limits = ((1, 30, "0.5"), (31, 60, "1"), (61, 90, "1.25"), (91, None, "1.5"))
    return tuple(
        Band(f"{prefix}{i}", low, high, Decimal(rate))
        for i, (low, high, rate) in enumerate(limits, start=1)
    )


DEFAULT_TABLE = TppTable(late_bands=_bands("TL"), early_bands=_bands("PSW"))


# --- table validation ---


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    code: str
    # `dataclasses.field`: the `field` attribute above shadows the function in this body
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


def table_problems(table: TppTable) -> list[Problem]:
    """Every problem of a table (empty = valid), in field order.

    Rates (bands, absent, roll call, leave), the share and the cap lie within 0..100;
    bands, sorted by low, start at 1, follow each other without gap or overlap, and only
    the last, which must be, is open-ended; codes are non-blank and unique in a list;
    leave rates name leave/absence day codes; missing_punch_minutes lies in 1..1440.
    """
    problems = _band_problems("late_bands", table.late_bands)
    problems += _band_problems("early_bands", table.early_bands)
    for name in ("absent_rate", "missed_rollcall_rate", "discipline_share", "cap"):
        value = getattr(table, name)
        if not _in_percent_range(value):
            problems.append(Problem(name, "rate_out_of_range", _range_params(value)))
    for code, rate in sorted(table.leave_rates.items()):
        if code not in LEAVE_RATE_CODES:
            problems.append(Problem("leave_rates", "unknown_leave_code", {"code": code}))
        if not _in_percent_range(rate):
            params = {"code": code, **_range_params(rate)}
            problems.append(Problem("leave_rates", "rate_out_of_range", params))
    minutes = table.missing_punch_minutes
    if not 1 <= minutes <= MAX_PUNCH_MINUTES:
        params = {"value": minutes, "min": 1, "max": MAX_PUNCH_MINUTES}
        problems.append(Problem("missing_punch_minutes", "minutes_out_of_range", params))
    return problems


def _in_percent_range(value: Decimal) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and 0 <= value <= HUNDRED


def _range_params(value: object) -> dict[str, object]:
    return {"value": str(value), "min": "0", "max": "100"}


def _band_problems(name: str, bands: tuple[Band, ...]) -> list[Problem]:
    if not bands:
        return [Problem(name, "no_bands")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for band in bands:
        if not band.code.strip():
            problems.append(Problem(name, "band_empty", {"low": band.low, "high": band.high}))
        elif band.code in seen:
            problems.append(Problem(name, "duplicate_band_code", {"code": band.code}))
        seen.add(band.code)
        if band.high is not None and band.low > band.high:
            params = {"code": band.code, "low": band.low, "high": band.high}
            problems.append(Problem(name, "band_low_above_high", params))
        if not _in_percent_range(band.rate):
            params = {"code": band.code, **_range_params(band.rate)}
            problems.append(Problem(name, "rate_out_of_range", params))
    ordered = sorted(bands, key=lambda b: b.low)
    if ordered[0].low != 1:
        params = {"code": ordered[0].code, "low": ordered[0].low}
        problems.append(Problem(name, "band_not_from_1", params))
    for prev, nxt in itertools.pairwise(ordered):
        problems += _pair_problems(name, prev, nxt)
    last = ordered[-1]
    if last.high is not None:
        params = {"code": last.code, "high": last.high}
        problems.append(Problem(name, "band_not_open_ended", params))
    return problems


def _pair_problems(name: str, prev: Band, nxt: Band) -> list[Problem]:
    if prev.high is None:
        return [Problem(name, "band_open_ended_not_last", {"code": prev.code, "low": prev.low})]
    params: dict[str, object] = {
        "code": nxt.code,
        "low": nxt.low,
        "high": nxt.high,
        "after": prev.code,
        "after_high": prev.high,
    }
    if nxt.low > prev.high + 1:
        return [Problem(name, "band_gap", {**params, "from": prev.high + 1, "to": nxt.low - 1})]
    if nxt.low <= prev.high:
        to = prev.high if nxt.high is None else min(prev.high, nxt.high)
        return [Problem(name, "band_overlap", {**params, "from": nxt.low, "to": to})]
    return []


# --- TPP deductions ---


@dataclass(frozen=True, slots=True)
class DayFacts:
    date: dt.date
    status: str
    codes: tuple[str, ...] = ()
    late_minutes: int = 0
    early_minutes: int = 0
    no_check_in: bool = False
    no_check_out: bool = False
    rollcalls_missed: int = 0
    report_unexcused: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    date: dt.date
    code: str
    rate: Decimal
    minutes: int = 0
    reason: str = ""


def band_for(minutes: int, bands: Iterable[Band]) -> Band | None:
    """The first band containing the minutes, or None (0 or negative minutes: none)."""
    return next((b for b in bands if b.contains(minutes)), None)


def tpp_deductions(days: Iterable[DayFacts], table: TppTable = DEFAULT_TABLE) -> list[Line]:
    """Every deduction line, by date then TK, TL, PSW, leave, APEL (see the module docstring)."""
    lines: list[Line] = []
    for day in sorted(days, key=lambda d: d.date):
        lines += [line for line in _day_lines(day, table) if line.rate != 0]
    return lines


def _day_lines(day: DayFacts, table: TppTable) -> list[Line]:
    codes = day.codes or (day.status,)
    if day.status == TK or TK in codes or day.report_unexcused:
        return [Line(day.date, TK, table.absent_rate, reason=day.report_unexcused or "")]
    lines: list[Line] = []
    if any(code.startswith("TL") for code in codes):
        line = _band_line(day, day.late_minutes, day.no_check_in, table, late=True)
        lines += [line] if line else []
    if any(code.startswith("PSW") for code in codes):
        line = _band_line(day, day.early_minutes, day.no_check_out, table, late=False)
        lines += [line] if line else []
    if day.status in table.leave_rates:
        lines.append(Line(day.date, day.status, table.leave_rates[day.status]))
    lines += [Line(day.date, APEL, table.missed_rollcall_rate)] * max(day.rollcalls_missed, 0)
    return lines


def _band_line(
    day: DayFacts, minutes: int, missing: bool, table: TppTable, *, late: bool
) -> Line | None:
    if missing:
        minutes = table.missing_punch_minutes
    band = band_for(minutes, table.late_bands if late else table.early_bands)
    if band is None:
        return None
    reason = ("no_check_in" if late else "no_check_out") if missing else ""
    return Line(day.date, band.code, band.rate, minutes=minutes, reason=reason)


@dataclass(frozen=True, slots=True)
class TppResult:
    lines_pct: Decimal
    deduction_pct: Decimal
    discipline_pct: Decimal
    performance_pct: Decimal
    final_pct: Decimal
    counts: Mapping[str, int]


def tpp_result(
    lines: Iterable[Line],
    table: TppTable = DEFAULT_TABLE,
    *,
    performance_part_pct: Decimal | float = Decimal(100),
) -> TppResult:
    """The month's TPP percentages from its lines; the cap applies to the discipline part."""
    lines = list(lines)
    performance = _decimal(performance_part_pct)
    if not performance.is_finite():
        raise ValueError(f"performance_part_pct is not finite: {performance_part_pct!r}")
    performance = min(max(performance, Decimal(0)), HUNDRED)
    lines_pct = sum((line.rate for line in lines), Decimal(0))
    deduction = min(max(lines_pct, Decimal(0)), table.cap)
    share = table.discipline_share
    discipline = share * (HUNDRED - deduction) / HUNDRED
    performance_pct = (HUNDRED - share) * performance / HUNDRED
    counts = Counter(line.code for line in lines)
    return TppResult(
        lines_pct=cents(lines_pct),
        deduction_pct=cents(deduction),
        discipline_pct=cents(discipline),
        performance_pct=cents(performance_pct),
        final_pct=cents(discipline + performance_pct),
        counts={code: counts[code] for code in sorted(counts, key=_summary_key)},
    )


def cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _summary_key(code: str) -> tuple:
    """TK, TL*, PSW*, APEL, then the rest; numbers inside a code sort naturally (TL2 < TL10)."""
    if code == TK:
        group = 0
    elif code == APEL:
        group = 3
    elif code.startswith(("TL", "PSW")):
        group = 1 if code.startswith("TL") else 2
    else:
        group = 4
    parts = re.split(r"(\d+)", code)
    return (group, [(int(p), "") if p.isdigit() else (-1, p) for p in parts])


def summary(counts: Mapping[str, int]) -> str:
    """One line such as "TK<x>1, TL1<x>2, PSW1<x>1, APEL<x>1" (<x> = TIMES), '' when empty.

    Order: TK, TL*, PSW*, APEL, then the rest alphabetically; zero counts are left out.
    """
    codes = sorted((code for code, n in counts.items() if n), key=_summary_key)
    return ", ".join(f"{code}{TIMES}{counts[code]}" for code in codes)
