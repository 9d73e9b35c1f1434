"""The options of `sigap bench_checkin` and their checks."""

from __future__ import annotations

import argparse

from sigap.attendance.bench import environment as envmod

MIN_EMPLOYEES = 400  # the demo regency's minimum (sigap.org.demo.MIN_EMPLOYEES)
DEFAULT_EMPLOYEES = 2000
DEFAULT_PEAK_EMPLOYEES = 10_000  # issue 10: a 10,000-strong agency's morning


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cores = envmod.cpu_count()
    parser.add_argument(
        "--employees",
        type=int,
        default=None,
        help=f"employees to seed (default {DEFAULT_EMPLOYEES}; "
        f"{DEFAULT_PEAK_EMPLOYEES} with --peak)",
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument(
        "--concurrency", type=int, default=32, help="client connections (default 32)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * cores,
        help=f"gunicorn workers (default 2 x cores = {2 * cores}: measured best on 2 cores)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker: 1 = sync workers (default), more = gthread",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="load-generator processes (default: one per core, at most --concurrency)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="the bench database to CREATE and DROP (its name must contain 'bench'); "
        "default: postgresql://postgres@127.0.0.1:5432/sigap_bench if PostgreSQL "
        "answers, else sqlite:///var/bench/sigap_bench.sqlite3",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--insert-seconds", type=float, default=5.0, help="seconds of raw INSERTs")
    parser.add_argument(
        "--profile",
        type=int,
        default=60,
        help="warm in-process check-ins timed part by part (0: count SQL only)",
    )
    parser.add_argument("--no-progress", action="store_true")
    _add_peak_arguments(parser)


def _add_peak_arguments(parser: argparse.ArgumentParser) -> None:
    peak = parser.add_argument_group(
        "morning peak (--peak)",
        "an open-loop morning instead of the closed loop: every employee expected at work "
        "checks in once, at a time drawn from a triangular curve over the window before "
        "07:30 that peaks --peak-before seconds before 07:30; the morning is played "
        "--compress times faster",
    )
    peak.add_argument("--peak", action="store_true", help="run the morning peak")
    peak.add_argument(
        "--window", type=float, default=900.0, help="seconds of the morning (default 900)"
    )
    peak.add_argument(
        "--compress", type=float, default=4.0, help="play the morning this many times faster"
    )
    peak.add_argument(
        "--peak-before",
        type=float,
        default=120.0,
        help="arrivals peak this many seconds before 07:30 (default 120)",
    )
    peak.add_argument("--seed", type=int, default=2026, help="the schedule's random seed")
    peak.add_argument(
        "--results",
        default="var/bench/peak-results.json",
        help="write the peak figures as JSON to this file (default var/bench/"
        "peak-results.json, under the project; '' for none)",
    )


def check(o: dict) -> None:
    """Raise ValueError when the options cannot make a run; fills in the defaults that
    depend on the mode."""
    if o.get("employees") is None:
        o["employees"] = DEFAULT_PEAK_EMPLOYEES if o.get("peak") else DEFAULT_EMPLOYEES
    if o["employees"] < MIN_EMPLOYEES:
        raise ValueError(f"--employees must be at least {MIN_EMPLOYEES}")
    if o["concurrency"] < 1 or o["workers"] < 1 or o["threads"] < 1:
        raise ValueError("--concurrency, --workers and --threads must be at least 1")
    if o["duration"] <= 0:
        raise ValueError("--duration must be positive")
    if o.get("peak"):
        if o["window"] <= 0 or o["compress"] <= 0:
            raise ValueError("--window and --compress must be positive")
        if not 0 <= o["peak_before"] <= o["window"]:
            raise ValueError("--peak-before must lie between 0 and --window")
