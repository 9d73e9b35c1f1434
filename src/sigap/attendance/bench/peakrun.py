"""The glue of `sigap bench_checkin --peak`: the open-loop load with a progress bar, and the
lines that describe what the run ran on."""

from __future__ import annotations

from collections.abc import Sequence

from tqdm import tqdm

from sigap.attendance.bench import environment as envmod
from sigap.attendance.bench import peakreport
from sigap.attendance.bench.arrivals import Arrival, MorningShape
from sigap.attendance.bench.environment import BenchDatabase
from sigap.attendance.bench.openloop import PeakResult, PeakSpec, run_peak
from sigap.attendance.bench.orchestrate import cpu_snapshot
from sigap.attendance.bench.server import Server, ServerConfig


def load_with_progress(spec: PeakSpec, *, quiet: bool) -> PeakResult:
    """run_peak, with a tqdm bar (run seconds; sent, answered, failed, in flight)."""
    with tqdm(
        total=max(1, round(spec.run_seconds)),
        desc="peak",
        unit="s",
        disable=quiet,
        bar_format="{desc}: {bar:20} {n:.0f}/{total:.0f} s{postfix}",
    ) as bar:

        def progress(run_s: float, sent: int, answered: int, failed: int) -> None:
            bar.set_postfix_str(
                f"{sent}/{len(spec.arrivals)} sent, {answered} answered, {failed} failed, "
                f"{sent - answered} in flight",
                refresh=False,
            )
            bar.update(max(0, min(round(run_s), bar.total) - bar.n))

        return run_peak(spec, on_progress=progress)


def all_figures(
    *,
    result: PeakResult,
    shape: MorningShape,
    schedule: Sequence[Arrival],
    edges: dict[str, dict],
    setup: list[str],
) -> dict:
    """The run's figures (peakreport.peak_figures), its CPU lines and its set-up."""
    figures = peakreport.peak_figures(
        result=result, shape=shape, planned=[a.at_s for a in schedule]
    )
    figures["cpu_lines"] = peakreport.cpu_lines(
        start=edges["start"],
        end=edges["end"],
        client_cpu_s=result.client_cpu_seconds,
        accepted=result.ok,
    )
    figures["setup"] = [line.strip() for line in setup]
    return figures


def edge(server: Server | None, db: BenchDatabase, redis_url: str) -> dict:
    """CPU counters at one edge of the run (per process, and the whole machine's)."""
    return {"cpu": cpu_snapshot(server, db, redis_url), "machine": envmod.MachineCpu.read()}


def setup_lines(
    *,
    db: BenchDatabase,
    redis_url: str,
    server: ServerConfig,
    processes: int,
    prepared: dict,
    background: tuple,
) -> list[str]:
    busy, loadavg = background
    lines = [
        f"  machine        : {envmod.machine_summary()}",
        f"  database       : {envmod.database_summary(db)}",
        f"  cache          : {envmod.redis_summary(redis_url)}",
        f"  server         : {server.describe()}",
        f"  load           : open loop, {processes} asyncio processes, a new connection per "
        "check-in (one phone each), real 480x640 JPEG selfies (~60 KB), kind=in",
        f"  seeding        : {prepared.get('employees', 0)} employees, "
        f"{prepared.get('offices', 0)} offices in {prepared.get('seed_seconds', 0):.1f} s; "
        f"{prepared.get('tokens', 0)} tokens in {prepared.get('token_seconds', 0):.1f} s "
        f"({prepared.get('skipped_off_duty', 0)} shift workers off duty this morning are "
        f"not in the schedule); whole preparation {prepared.get('prepare_seconds', 0):.0f} s",
        f"  background     : CPU {0 if busy is None else busy * 100:.0f}% busy in the second "
        f"before the load (server idle), load average {loadavg[0]:.1f}/{loadavg[1]:.1f}/"
        f"{loadavg[2]:.1f}",
    ]
    if busy and busy > 0.15:
        lines.append("  WARNING: other work was using the machine: the figures are understated")
    return lines
