"""The morning-peak arrival schedule of `sigap bench_checkin --peak` (pure: no Django, no clock).

A real morning: the whole agency checks in within the `window_s` seconds before the
start of work (07:15-07:30 by default), few early, most in the last minutes. Arrival
times follow a triangular distribution over [0, window_s] whose mode is `peak_before_s`
seconds before the start of work: the density rises linearly from nothing at the window's
opening to its peak (2 / window_s per second: 22 check-ins/s for 10,000 people in 15
minutes) and falls back to nothing at the start time (everyone is in by then). The whole
morning is played `compress` times faster: an arrival at morning second t is sent at run
second t / compress.

Every employee arrives exactly once; which employee arrives when is a seeded shuffle, so a
schedule is reproducible from its inputs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MorningShape:
    window_s: float = 900.0  # the morning's length: 15 minutes before the start of work
    peak_before_s: float = 120.0  # arrivals peak this long before the start of work
    compress: float = 4.0  # the run plays the morning this many times faster
    seed: int = 2026

    def __post_init__(self) -> None:
        if self.window_s <= 0:
            raise ValueError("the window must be positive")
        if not 0 <= self.peak_before_s <= self.window_s:
            raise ValueError("the peak must lie inside the window")
        if self.compress <= 0:
            raise ValueError("the compression factor must be positive")

    @property
    def run_seconds(self) -> float:
        """The compressed window: how long the run sends arrivals."""
        return self.window_s / self.compress

    @property
    def peak_at_s(self) -> float:
        """The peak's run second."""
        return (self.window_s - self.peak_before_s) / self.compress

    def peak_density_per_s(self, employees: int) -> float:
        """The expected arrival rate at the peak, per run second."""
        return 2 * employees / self.window_s * self.compress


@dataclass(frozen=True)
class Arrival:
    at_s: float  # run seconds after the run's start
    employee: int  # index into the prepared employees


def arrival_schedule(*, employees: int, shape: MorningShape) -> list[Arrival]:
    """One arrival per employee, sorted by time, inside [0, shape.run_seconds]."""
    if employees < 0:
        raise ValueError("employees must not be negative")
    rng = random.Random(shape.seed)
    mode = shape.window_s - shape.peak_before_s
    times = sorted(
        min(rng.triangular(0.0, shape.window_s, mode), shape.window_s) / shape.compress
        for _ in range(employees)
    )
    order = list(range(employees))
    rng.shuffle(order)
    return [Arrival(at_s=t, employee=e) for t, e in zip(times, order, strict=True)]


def busiest_span(times: Sequence[float], width_s: float) -> tuple[float, int]:
    """(start, count) of the half-open span [start, start + width_s) holding the most of
    the sorted `times`; the earliest such span; (0.0, 0) when there are none."""
    best_start, best = 0.0, 0
    low = 0
    for high, t in enumerate(times):
        while t - times[low] >= width_s:
            low += 1
        if high - low + 1 > best:
            best, best_start = high - low + 1, times[low]
    return best_start, best


def morning_clock(run_s: float, *, shape: MorningShape, start_of_work_min: int = 450) -> str:
    """The morning's wall clock ("07:27:30") at run second `run_s` (work starts at
    `start_of_work_min` minutes after midnight: 07:30)."""
    morning_s = start_of_work_min * 60 - shape.window_s + run_s * shape.compress
    whole = round(morning_s)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
