"""The options of `sigap bench_checkin` and their checks."""

from __future__ import annotations

import argparse

from sigap.attendance.bench import environment as envmod

MIN_EMPLOYEES = 400  # the demo regency's minimum (sigap.org.demo.MIN_EMPLOYEES)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cores = envmod.cpu_count()
    parser.add_argument("--employees", type=int, default=2000, help="employees to seed")
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


def check(o: dict) -> None:
    """Raise ValueError when the options cannot make a run."""
    if o["employees"] < MIN_EMPLOYEES:
        raise ValueError(f"--employees must be at least {MIN_EMPLOYEES}")
    if o["concurrency"] < 1 or o["workers"] < 1 or o["threads"] < 1:
        raise ValueError("--concurrency, --workers and --threads must be at least 1")
    if o["duration"] <= 0:
        raise ValueError("--duration must be positive")
