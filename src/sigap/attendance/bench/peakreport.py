"""The figures of a morning-peak run (`sigap bench_checkin --peak`), printed and as JSON.

`peak_figures(...)` turns the raw rows of a run into plain numbers (no Django);
`write_peak_results(write, figures)` prints them; `figures["verdict"]` is PASS or FAIL
against the issue's target (p99 under 500 ms, every arrival accepted).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from sigap.attendance.bench import environment as envmod
from sigap.attendance.bench import report
from sigap.attendance.bench.arrivals import MorningShape, busiest_span, morning_clock
from sigap.attendance.bench.openloop import PeakResult

Write = Callable[[str], object]

TARGET_P99_MS = 500.0  # issue 10: the morning peak holds with p99 under 500 ms
CLIENT_LAG_LIMIT_MS = 50.0  # a client this late (p99) may itself be the bottleneck


def _latency(values: Sequence[float]) -> dict:
    return {
        "n": len(values),
        "p50": report.percentile(values, 50),
        "p95": report.percentile(values, 95),
        "p99": report.percentile(values, 99),
        "max": max(values, default=None),
    }


def peak_figures(*, result: PeakResult, shape: MorningShape, planned: Sequence[float]) -> dict:
    """Every figure of a run: `planned` are the scheduled run seconds, sorted."""
    answered = [lat for lat, status in zip(result.latency_ms, result.status, strict=True) if status]
    statuses = result.statuses()
    p99 = report.percentile(answered, 99)
    lag_p99 = report.percentile(result.lag_ms, 99)
    all_ok = result.ok == len(planned)
    passed = p99 is not None and p99 < TARGET_P99_MS and all_ok
    return {
        "shape": {
            "window_s": shape.window_s,
            "peak_before_s": shape.peak_before_s,
            "compress": shape.compress,
            "run_s": shape.run_seconds,
            "seed": shape.seed,
        },
        "arrivals": {"planned": len(planned), "sent": result.sent, "accepted": result.ok},
        "peak_rate": _peak_rate(planned, shape),
        "peak_minute": _peak_minute(result, shape, planned),
        "throughput_per_s": result.ok / result.elapsed_s if result.elapsed_s else 0.0,
        "elapsed_s": result.elapsed_s,
        "latency_ms": _latency(answered),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "non_2xx": sum(n for s, n in statuses.items() if not 200 <= s < 300),
        "errors": dict(result.errors),
        "client_lag_ms": _latency(result.lag_ms),
        "client_cpu_s": result.client_cpu_seconds,
        "targets": {
            "p99_under_500_ms": p99 is not None and p99 < TARGET_P99_MS,
            "every_arrival_accepted": all_ok,
            "client_kept_up": lag_p99 is not None and lag_p99 < CLIENT_LAG_LIMIT_MS,
        },
        "verdict": "PASS" if passed else "FAIL",
    }


def _peak_rate(planned: Sequence[float], shape: MorningShape) -> dict:
    _s1, per_1s = busiest_span(planned, 1.0)
    _s10, per_10s = busiest_span(planned, 10.0)
    return {
        "per_1s": per_1s,
        "per_10s": per_10s,
        "per_10s_per_s": per_10s / 10,
        "expected_per_s": shape.peak_density_per_s(len(planned)),
    }


def _peak_minute(result: PeakResult, shape: MorningShape, planned: Sequence[float]) -> dict:
    """The busiest minute of the morning (60 / compress run seconds): its arrivals'
    latency, and the answers the server gave during it."""
    width = 60.0 / shape.compress
    start, count = busiest_span(planned, width)
    end = start + width
    latencies = [
        lat
        for at, lat, status in zip(result.at_s, result.latency_ms, result.status, strict=True)
        if start <= at < end and status
    ]
    answered = sum(1 for d in result.done_s if start <= d < end)
    return {
        "run_s": [round(start, 2), round(end, 2)],
        "morning": [morning_clock(start, shape=shape), morning_clock(end, shape=shape)],
        "arrivals": count,
        "throughput_per_s": answered / width,
        "latency_ms": _latency(latencies),
    }


def cpu_lines(*, start: dict, end: dict, client_cpu_s: float, accepted: int) -> list[str]:
    """CPU over the run (snapshots from orchestrate.cpu_snapshot and MachineCpu)."""
    span = (end["machine"].total - start["machine"].total) / envmod.CLOCK_TICKS
    cores = envmod.cpu_count()
    wall = span / cores if span else 0.0  # /proc/stat counts every core's jiffies
    parts = [
        ("gunicorn", envmod.cpu_spent(start["cpu"]["server"], end["cpu"]["server"])),
        ("PostgreSQL", envmod.cpu_spent(start["cpu"]["db"], end["cpu"]["db"])),
        ("Redis", envmod.cpu_spent(start["cpu"]["redis"], end["cpu"]["redis"])),
        ("load generator", client_cpu_s),
    ]
    shown = ", ".join(
        f"{name} {seconds:.1f} s ({seconds / wall * 100:.0f}% of a core)"
        for name, seconds in parts
        if wall
    )
    per = sum(seconds for _n, seconds in parts) * 1000 / max(accepted, 1)
    server_per = parts[0][1] * 1000 / max(accepted, 1)
    busy = end["machine"].busy_share_since(start["machine"])
    return [
        f"  CPU over run   : {shown}",
        f"  CPU/check-in   : {per:.1f} ms in all (gunicorn {server_per:.1f} ms); machine "
        f"{0 if busy is None else busy * 100:.0f}% busy over {wall:.0f} s on {cores} cores",
    ]


def _lat(values: dict) -> str:
    if not values["n"]:
        return "no answered request"
    f = report.fmt_ms
    return (
        f"p50 {f(values['p50'])}, p95 {f(values['p95'])}, p99 {f(values['p99'])}, "
        f"max {f(values['max'])} (n={values['n']})"
    )


def write_peak_results(write: Write, figures: dict, setup: Sequence[str]) -> None:
    """The results block; `setup` are the lines describing the machine and the server."""
    shape, arrivals, rate = figures["shape"], figures["arrivals"], figures["peak_rate"]
    minute = figures["peak_minute"]
    write("")
    write("=" * 78)
    write("SIGAP check-in benchmark: morning peak (open loop) results")
    for line in setup:
        write(line)
    write(
        f"  morning        : {shape['window_s']:g} s before 07:30, triangular, peak "
        f"{shape['peak_before_s']:g} s before 07:30, compressed x{shape['compress']:g} "
        f"into {shape['run_s']:.1f} s (seed {shape['seed']})"
    )
    write("")
    write(
        f"  arrivals       : {arrivals['planned']} planned, {arrivals['sent']} sent, "
        f"{arrivals['accepted']} accepted (2xx)"
    )
    write(
        f"  peak arrivals  : {rate['per_1s']} in the busiest second, {rate['per_10s']} in the "
        f"busiest 10 s ({rate['per_10s_per_s']:.1f}/s; the curve's peak "
        f"{rate['expected_per_s']:.1f}/s)"
    )
    write(
        f"  throughput     : {figures['throughput_per_s']:.1f} check-ins/s over "
        f"{figures['elapsed_s']:.1f} s (start to last answer); "
        f"{minute['throughput_per_s']:.1f}/s answered in the peak minute"
    )
    write(f"  latency        : {_lat(figures['latency_ms'])}")
    write(
        f"  peak minute    : {minute['morning'][0]}-{minute['morning'][1]} of the morning "
        f"(run s {minute['run_s'][0]:g}-{minute['run_s'][1]:g}), {minute['arrivals']} arrivals: "
        f"{_lat(minute['latency_ms'])}"
    )
    statuses = ", ".join(f"{k}: {v}" for k, v in figures["statuses"].items()) or "none"
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(figures["errors"].items())) or "none"
    write(f"  statuses       : {statuses}; non-2xx {figures['non_2xx']}; errors {errors}")
    write(
        f"  client lag     : {_lat(figures['client_lag_ms'])} late against the schedule; "
        f"client CPU {figures['client_cpu_s']:.1f} s"
    )
    for line in figures.get("cpu_lines", ()):
        write(line)
    write("")
    write("Target (issue 10: 2 cores, PostgreSQL, load generator on the same machine)")
    p99 = figures["latency_ms"]["p99"]
    targets = figures["targets"]
    verdict = {True: "MET", False: "MISSED"}
    write(f"  p99 < {TARGET_P99_MS:.0f} ms       {report.fmt_ms(p99):>10}   "
          f"{verdict[targets['p99_under_500_ms']]}")  # fmt: skip
    write(f"  every arrival 2xx  {arrivals['accepted']:>10}   "
          f"{verdict[targets['every_arrival_accepted']]}")  # fmt: skip
    lag = report.fmt_ms(figures["client_lag_ms"]["p99"])
    write(f"  client lag p99 < {CLIENT_LAG_LIMIT_MS:.0f} ms {lag:>7}   "
          f"{verdict[targets['client_kept_up']]} (else the client, not the server, "
          "limited the run)")  # fmt: skip
    write(f"PEAK {figures['verdict']}")
    write("=" * 78)


def write_results_file(path: Path, figures: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
