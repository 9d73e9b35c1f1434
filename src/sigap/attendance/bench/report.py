"""Figures: percentiles, the issue's targets, and the printed report."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

TARGET_RATE = 200.0  # check-ins per second
TARGET_P99_MS = 300.0
TARGET_SQL = 6
TARGET_RATIO = 0.2


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def fmt_ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


@dataclass(frozen=True)
class Target:
    name: str
    shown: str
    met: bool | None  # None: not measured

    def line(self) -> str:
        verdict = "n/a" if self.met is None else "MET" if self.met else "MISSED"
        return f"  {self.name:<32} {self.shown:>12}   {verdict}"


def targets(
    *, rate: float, p99: float | None, sql: int | None, ratio: float | None
) -> list[Target]:
    return [
        Target(f">= {TARGET_RATE:.0f} check-ins/s", f"{rate:.1f}/s", rate >= TARGET_RATE),
        Target(
            f"p99 < {TARGET_P99_MS:.0f} ms",
            fmt_ms(p99),
            None if p99 is None else p99 < TARGET_P99_MS,
        ),
        Target(
            f"<= {TARGET_SQL} SQL statements per check-in",
            "n/a" if sql is None else str(sql),
            None if sql is None else sql <= TARGET_SQL,
        ),
        Target(
            f"check-ins/s / raw INSERT/s >= {TARGET_RATIO}",
            "n/a" if ratio is None else f"{ratio:.3f}",
            None if ratio is None else ratio >= TARGET_RATIO,
        ),
    ]


def latency_line(values: Sequence[float]) -> str:
    if not values:
        return "no completed request"
    return (
        f"p50 {fmt_ms(percentile(values, 50))}, p95 {fmt_ms(percentile(values, 95))}, "
        f"p99 {fmt_ms(percentile(values, 99))}, max {fmt_ms(max(values))} (n={len(values)})"
    )
