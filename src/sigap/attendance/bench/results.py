"""The results block `sigap bench_checkin` prints once the load is over.

`write_results(write, run)` prints every figure of one run, section by section: the
set-up, throughput and latency, statuses, SQL per check-in, PostgreSQL's own counters,
the raw INSERT rate and the ratio, CPU per check-in, the issue's targets and where one
check-in's time goes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sigap.attendance.bench import environment as envmod
from sigap.attendance.bench import report
from sigap.attendance.bench.environment import BenchDatabase
from sigap.attendance.bench.load import LoadResult, LoadSpec
from sigap.attendance.bench.rawinsert import InsertResult
from sigap.attendance.bench.server import ServerConfig

Write = Callable[[str], object]


@dataclass(frozen=True)
class RunFigures:
    """Everything one run measured, and what it ran on."""

    db: BenchDatabase
    redis_url: str
    server: ServerConfig
    spec: LoadSpec
    people: int  # employees sending check-ins
    selfies: Sequence[bytes]
    result: LoadResult
    inserts: InsertResult
    measured: dict  # the `measure` subprocess's JSON
    window: dict[str, dict]  # "start"/"end": done, cpu, machine, pg
    background: tuple  # (busy share before the load or None, os.getloadavg())
    verbosity: int = 1

    @property
    def rate(self) -> float:
        return self.result.ok / self.spec.duration

    @property
    def ratio(self) -> float | None:
        per_second = self.inserts.per_second
        return self.rate / per_second if per_second else None


def write_results(write: Write, run: RunFigures) -> None:
    write("")
    write("=" * 78)
    write("SIGAP check-in benchmark: results")
    _setup(write, run)
    write("")
    _throughput(write, run)
    _sql(write, run)
    _postgres(write, run)
    _inserts(write, run)
    start, end = run.window.get("start"), run.window.get("end")
    if start and end:
        _cpu(write, run, start, end)
    write("")
    _targets(write, run)
    _breakdown(write, run)
    if run.verbosity > 1:
        for key, statements in run.measured.get("statements", {}).items():
            write(f"SQL of one check-in ({key}):")
            for sql in statements:
                write(f"  {sql[:160]}")
    write("=" * 78)


def _setup(write: Write, run: RunFigures) -> None:
    spec = run.spec
    sizes = [len(s) / 1000 for s in run.selfies]
    write(f"  machine        : {envmod.machine_summary()}")
    write(f"  database       : {envmod.database_summary(run.db)}")
    write(f"  cache          : {envmod.redis_summary(run.redis_url)}")
    write(f"  server         : {run.server.describe()}")
    write(
        f"  load           : {spec.concurrency} keep-alive connections from {spec.processes} "
        f"processes, {run.people} employees, {spec.warmup:g} s warm-up + {spec.duration:g} s "
        f"measured"
    )
    write(
        f"  selfies        : {len(run.selfies)} JPEGs 480x640, {min(sizes):.1f}-{max(sizes):.1f} "
        "KB; kind=in, a new uuid4 request_id each"
    )
    busy, loadavg = run.background
    write(
        f"  background     : CPU {0 if busy is None else busy * 100:.0f}% busy in the second "
        f"before the load (server idle), load average {loadavg[0]:.1f}/{loadavg[1]:.1f}/"
        f"{loadavg[2]:.1f}"
    )
    if busy and busy > 0.15:
        write("  WARNING: other work was using the machine: the figures below are understated")


def _throughput(write: Write, run: RunFigures) -> None:
    result = run.result
    non_2xx = sum(n for status, n in result.statuses.items() if not 200 <= status < 300)
    write(f"  check-ins/s    : {run.rate:.1f}  ({result.ok} accepted in {run.spec.duration:g} s)")
    write(f"  latency        : {report.latency_line(result.latencies_ms)}")
    write(f"    1st of an employee (cold caches): {report.latency_line(result.cold_latencies_ms)}")
    write(f"    later ones (warm caches)        : {report.latency_line(result.warm_latencies_ms)}")
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(result.errors.items())) or "none"
    write(f"  non-2xx        : {non_2xx}   errors: {sum(result.errors.values())} ({errors})")
    write(f"  statuses       : {statuses or 'none'}")
    for status, bodies in sorted(result.samples.items()):
        for body in bodies[:2]:
            write(f"    e.g. {status}: {body[:200]}")


def _sql(write: Write, run: RunFigures) -> None:
    counts = run.measured.get("counts", {})
    for label in ("office", "shift"):
        if label in counts:
            c = counts[label]
            write(
                f"  SQL/check-in   : {c['warm']} warm ({c['warm_data']} + BEGIN/COMMIT), "
                f"{c['cold']} cold ({c['cold_data']} + BEGIN/COMMIT): "
                f"{'an office worker' if label == 'office' else 'a shift worker'}"
            )
    if counts:
        write(
            "                   (CaptureQueriesContext around one check-in, SAVEPOINT/RELEASE "
            "excluded; cold: the employee's first, nothing of theirs cached)"
        )


def _postgres(write: Write, run: RunFigures) -> None:
    start, end = run.window.get("start"), run.window.get("end")
    before, after = (start or {}).get("pg"), (end or {}).get("pg")
    if not (start and end and before and after):
        return
    # read after the server stopped: the requests from the window's start to the end
    since_start = max(run.result.requests_total - start["done"], 1)
    xacts = (after.xact_commit - before.xact_commit) / since_start
    inserted = (after.tup_inserted - before.tup_inserted) / since_start
    write(
        f"  PostgreSQL     : {xacts:.2f} transactions committed and {inserted:.2f} rows "
        "inserted per check-in in the window (pg_stat_database: every autocommit "
        "statement, the atomic block, and the connection health check's SELECT 1)"
    )


def _inserts(write: Write, run: RunFigures) -> None:
    inserts = run.inserts
    client_us = inserts.client_cpu_seconds * 1e6 / max(inserts.inserts, 1)
    write(
        f"  raw INSERT/s   : {inserts.per_second:.0f}  ({run.spec.concurrency} connections, "
        f"autocommit single-row INSERTs, {inserts.seconds:g} s; the client used "
        f"{client_us:.0f} us CPU per INSERT)"
    )
    ratio = run.ratio
    write(f"  ratio          : {ratio:.3f}  (check-ins/s / raw INSERT/s)" if ratio else "")


def _cpu(write: Write, run: RunFigures, start: dict, end: dict) -> None:
    in_window = max(end["done"] - start["done"], 1)
    before, after = start["cpu"], end["cpu"]
    parts = [
        ("gunicorn", envmod.cpu_spent(before["server"], after["server"])),
        (
            "PostgreSQL (whole server)" if run.db.is_postgres else "",
            envmod.cpu_spent(before["db"], after["db"]),
        ),
        ("Redis", envmod.cpu_spent(before["redis"], after["redis"])),
        ("load generator", run.result.client_cpu_seconds),
    ]
    ours = sum(seconds for name, seconds in parts if name)
    shown = ", ".join(
        f"{name} {seconds * 1000 / in_window:.1f} ms" for name, seconds in parts if name
    )
    total_ms = ours * 1000 / in_window
    capacity = envmod.cpu_count() * 1000 / total_ms if total_ms else 0
    write(
        f"  CPU/check-in   : {shown} = {total_ms:.1f} ms "
        f"(all {envmod.cpu_count()} cores on it would give ~{capacity:.0f}/s)"
    )
    _machine_cpu(write, start["machine"], end["machine"], ours)


def _machine_cpu(write: Write, first, last, ours: float) -> None:
    share = last.busy_share_since(first)
    if share is None:
        return
    busy_seconds = (last.busy - first.busy) / envmod.CLOCK_TICKS
    span_seconds = (last.total - first.total) / envmod.CLOCK_TICKS
    others = max(0.0, busy_seconds - ours) / span_seconds if span_seconds else 0.0
    write(
        f"  machine CPU    : {share * 100:.0f}% busy in the window; other processes "
        f"(not the bench's) used {others * 100:.0f}% of it"
    )


def _targets(write: Write, run: RunFigures) -> None:
    write("Targets (issue: 2 cores, PostgreSQL, load generator on the same machine)")
    p99 = report.percentile(run.result.latencies_ms, 99)
    sql_warm = run.measured.get("counts", {}).get("office", {}).get("warm")
    for target in report.targets(rate=run.rate, p99=p99, sql=sql_warm, ratio=run.ratio):
        write(target.line())
    if envmod.cpu_count() != 2 or not run.db.is_postgres:
        write("  (the targets are stated for 2 cores with PostgreSQL: this run differs)")


def _breakdown(write: Write, run: RunFigures) -> None:
    cold, warm = run.measured.get("breakdown_cold"), run.measured.get("breakdown_warm")
    if not (cold and warm):
        return
    write("")
    write(
        "Where one check-in's time goes: in-process (Django test Client on the bench "
        "database and cache), one at a time, office workers; ms per check-in"
    )
    write(f"  {'':<44} {'cold wall':>9} {'cpu':>6} {'warm wall':>10} {'cpu':>6} {'calls':>6}")
    for (label, cw, cc, _n), (_l, ww, wc, wn) in zip(cold, warm, strict=True):
        write(f"  {label:<44} {cw:9.2f} {cc:6.2f} {ww:10.2f} {wc:6.2f} {wn:6.1f}")
    if run.verbosity > 1:
        write(run.measured.get("profile_top", ""))
