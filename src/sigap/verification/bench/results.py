"""The bench's figures: per-part results with their medians and percentiles."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[str, int, int], None]


class BenchError(RuntimeError):
    """A part could not run (the worker did not start or died, nothing progressed)."""


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else 0.0


def p95_ms(values: list[float]) -> float:
    if len(values) < 2:
        return median_ms(values)
    return statistics.quantiles(values, n=20, method="inclusive")[18] * 1000


@dataclass
class FaceSpeed:
    """(a) seconds per selfie (decode, analyse, compare) and the outcomes."""

    seconds: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)

    @property
    def per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds) if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return median_ms(self.seconds)

    @property
    def p95_ms(self) -> float:
        return p95_ms(self.seconds)


@dataclass
class Drain:
    """(b) the burst: from the first enqueue until every check-in is verified."""

    burst: int
    workers: int
    seed_seconds: float = 0.0
    enqueue_seconds: float = 0.0
    seconds: float = 0.0
    worker_ms: float = 0.0  # the median time the service spent on one check-in
    outcomes: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    review: int = 0

    @property
    def per_second(self) -> float:
        return self.burst / self.seconds if self.seconds else 0.0


@dataclass
class Latency:
    """(c) seconds per attendance_check_in call with verification off and on."""

    broker: str
    off: list[float] = field(default_factory=list)
    on: list[float] = field(default_factory=list)

    @property
    def median_difference_ms(self) -> float:
        return median_ms(self.on) - median_ms(self.off)

    @property
    def median_difference_percent(self) -> float:
        off = median_ms(self.off)
        return 100 * self.median_difference_ms / off if off else 0.0

    @property
    def p95_difference_ms(self) -> float:
        return p95_ms(self.on) - p95_ms(self.off)

    @property
    def tolerance_ms(self) -> float:
        """What counts as no change: 1 ms or 5 % of the median, whichever is larger."""
        return max(1.0, 0.05 * median_ms(self.off))

    @property
    def unchanged(self) -> bool:
        return self.median_difference_ms <= self.tolerance_ms


@dataclass
class VerifyBench:
    database: str
    face: FaceSpeed | None = None
    latency: Latency | None = None
    drain: Drain | None = None
    drain_skipped: str = ""  # why (b) did not run
