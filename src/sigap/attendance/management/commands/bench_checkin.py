"""sigap bench_checkin: measure the check-in hot path and print the figures.

A benchmark, not a test: it asserts nothing, it prints. In its OWN database (PostgreSQL
`sigap_bench` when PostgreSQL answers on 127.0.0.1, else an SQLite file under
var/bench/; created and dropped here, never the user's), it seeds N demo employees,
issues one API token each, starts gunicorn on a frozen working-day morning (so that
check-ins are accepted whatever the real date is) and sends real multipart check-ins
with ~60 KB JPEG selfies over HTTP from several processes for --duration seconds.

Printed: check-ins/s, p50/p95/p99 latency, non-2xx and errors, SQL statements per
check-in, the same machine's raw single-row INSERT rate with as many connections and
the ratio of the two, CPU per check-in by process, where one check-in's time goes
(cProfile), the machine, database and configuration, and whether the issue's targets
(on 2 cores with PostgreSQL: >= 200/s, p99 < 300 ms, <= 6 SQL, ratio >= 0.2) are met.

Server default: gunicorn sync workers, 2 x cores of them (4 on 2 cores). Chosen by
measuring on the 2-core machine (PostgreSQL 15, Redis, 32 connections, 15 s runs):
sync 3/4/5/8 workers gave 34-45/s with cold caches and gthread 2x4, 3x2, 3x4 gave
36-40/s: all within the run-to-run noise, because the path is CPU-bound (server +
PostgreSQL + client use both cores), so more workers only add context switches (8 was
the slowest). Sync workers kept the tail tighter (p99 about 1.3 x p50, against 2-2.5 x
with gthread: threads of one worker queue on the GIL). Try others with --workers and
--threads.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import string
import subprocess
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sigap.attendance.bench import environment as envmod
from sigap.attendance.bench import rawinsert, report
from sigap.attendance.bench.load import LoadSpec, Person, run_load
from sigap.attendance.bench.payload import Multipart, make_selfies
from sigap.attendance.bench.server import Server, ServerConfig
from sigap.core import clock

MIN_EMPLOYEES = 400  # the demo regency's minimum (sigap.org.demo.MIN_EMPLOYEES)
SELFIES = 6
JITTER_M = 25.0  # clients stand up to this far from the office centre (inside 100 m)


class Command(BaseCommand):
    help = (
        "Benchmark the check-in hot path over real HTTP (gunicorn) in a throw-away database "
        "and print check-ins/s, latency percentiles, SQL per check-in and the raw INSERT rate."
    )

    def add_arguments(self, parser) -> None:
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
        parser.add_argument(
            "--insert-seconds", type=float, default=5.0, help="seconds of raw INSERTs"
        )
        parser.add_argument(
            "--profile",
            type=int,
            default=60,
            help="warm in-process check-ins timed part by part (0: count SQL only)",
        )
        parser.add_argument("--no-progress", action="store_true")

    # ------------------------------------------------------------------------------------

    def handle(self, *args, **o) -> None:
        if o["employees"] < MIN_EMPLOYEES:
            raise CommandError(f"--employees must be at least {MIN_EMPLOYEES}")
        if o["concurrency"] < 1 or o["workers"] < 1 or o["threads"] < 1:
            raise CommandError("--concurrency, --workers and --threads must be at least 1")
        if o["duration"] <= 0:
            raise CommandError("--duration must be positive")
        self.verbosity = o.get("verbosity", 1)
        self.quiet = o["no_progress"] or self.verbosity == 0
        base_dir = Path(settings.BASE_DIR)
        url = o["database_url"] or envmod.default_database_url(settings.DATABASE_URL, base_dir)
        try:
            db = envmod.parse_database_url(url, base_dir)
            envmod.check_not_users_database(db, settings.DATABASES["default"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if db.is_postgres and not envmod.pg_answers(db.url):
            raise CommandError(f"PostgreSQL does not answer at {db.url}")
        if not envmod.port_is_free(o["port"]):
            raise CommandError(f"port {o['port']} is in use: pass --port")

        self.db = db
        self.keep = o["keep"]
        self.redis_url = envmod.redis_url_if_answers(settings.REDIS_URL)
        self.prefix = f"sigap-bench-{uuid.uuid4().hex[:8]}"
        self.workdir = base_dir / "var" / "bench" / f"run-{os.getpid()}"
        self.server: Server | None = None
        created = False
        try:
            self.workdir.mkdir(parents=True, exist_ok=True)
            envmod.create_database(db)
            created = True
            self._run(o)
        except KeyboardInterrupt as exc:
            raise CommandError("interrupted") from exc
        finally:
            self._cleanup(created)

    def _run(self, o: dict) -> None:
        zone = settings.TIME_ZONE
        frozen = envmod.frozen_check_in_time(clock.today(zone))
        frozen_text = frozen.isoformat(timespec="minutes")
        captured_at = frozen.replace(tzinfo=ZoneInfo(zone)).isoformat()
        env = self._env(frozen_text)
        cores = envmod.cpu_count()
        processes = min(o["processes"] or max(1, cores), o["concurrency"])
        server_config = ServerConfig(port=o["port"], workers=o["workers"], threads=o["threads"])

        self.say("SIGAP check-in benchmark")
        self.say(f"  machine : {envmod.machine_summary()}")
        self.say(f"  database: {envmod.database_summary(self.db)}")
        self.say(f"  cache   : {envmod.redis_summary(self.redis_url)}")
        self.say(
            f"  server  : {server_config.describe()}, Django {django.get_version()}, DEBUG=0, "
            f"CONN_MAX_AGE=600, SIGAP_DEMO=1, SIGAP_FROZEN_TIME={frozen_text} ({zone})"
        )

        # 1. schema, demo regency, tokens --------------------------------------------------
        started = time.perf_counter()
        self.step("migrating the bench database")
        self._subprocess([sys.executable, "-m", "sigap.manage", "migrate", "--noinput"], env)
        self.step(f"seeding {o['employees']} employees and issuing tokens")
        tokens_path = self.workdir / "tokens.jsonl"
        argv = [
            sys.executable,
            "-m",
            "sigap.attendance.bench.prepare",
            "--employees",
            str(o["employees"]),
            "--out",
            str(tokens_path),
        ]
        prepared = self._subprocess(argv + (["--no-progress"] if self.quiet else []), env)
        with open(tokens_path, encoding="utf-8") as handle:
            people = [json.loads(line) for line in handle if line.strip()]
        if not people:
            raise CommandError("no employee is expected at work at the frozen time")
        self.say(
            f"  seeded {prepared['employees']} employees, {prepared['offices']} offices; "
            f"{prepared['tokens']} tokens ({prepared['skipped_off_duty']} shift workers off "
            f"duty this morning) in {time.perf_counter() - started:.0f} s"
        )

        # 2. raw INSERT rate ----------------------------------------------------------------
        self.step(
            f"raw single-row INSERTs: {o['concurrency']} connections, {o['insert_seconds']:g} s"
        )
        rawinsert.create_table(self.db)
        try:
            inserts = rawinsert.run_inserts(
                self.db,
                connections=o["concurrency"],
                processes=processes,
                seconds=o["insert_seconds"],
            )
        finally:
            rawinsert.drop_table(self.db)
        self.say(f"  {inserts.per_second:.0f} INSERT/s")

        # 3. SQL per check-in and an in-process profile ------------------------------------
        self.step("counting SQL per check-in and profiling one process (test Client)")
        measured = self._subprocess(
            [
                sys.executable,
                "-m",
                "sigap.attendance.bench.measure",
                "--tokens",
                str(tokens_path),
                "--captured-at",
                captured_at,
                "--profile",
                str(max(o["profile"], 0)),
            ],
            env,
        )

        # 4. the load over HTTP -------------------------------------------------------------
        self.step("building selfies and bodies")
        selfies = make_selfies(SELFIES)
        multipart = Multipart.build(selfies)
        load_people = self._people(people, multipart, captured_at)
        self.step(f"starting {server_config.describe()} on 127.0.0.1:{o['port']}")
        self.server = Server(server_config, env, self.workdir / "gunicorn.log")
        self.server.start()
        self.server.wait_ready(prime_token=people[-1]["token"])
        spec = LoadSpec(
            port=o["port"],
            multipart=multipart,
            people=tuple(load_people),
            processes=processes,
            concurrency=o["concurrency"],
            warmup=o["warmup"],
            duration=o["duration"],
        )
        self.step(
            f"load: {o['concurrency']} connections ({processes} processes), "
            f"{o['warmup']:g} s warm-up + {o['duration']:g} s measured"
        )
        quiet_before = envmod.MachineCpu.read()
        time.sleep(1.0)
        self.background = (
            envmod.MachineCpu.read().busy_share_since(quiet_before),
            os.getloadavg(),
        )
        window: dict[str, dict] = {}

        def on_window(edge: str, done: int) -> None:
            window[edge] = {
                "done": done,
                "cpu": self._cpu_snapshot(),
                "machine": envmod.MachineCpu.read(),
                "pg": envmod.pg_stats(self.db),
            }

        result = self._load(spec, on_window)
        self.server.stop()
        if self.db.is_postgres:
            # PostgreSQL publishes a backend's counters at most once a second: read the
            # end of the window again now that every backend has flushed them
            time.sleep(1.5)
            window["end"]["pg"] = envmod.pg_stats(self.db)

        # 5. the report -------------------------------------------------------------------
        self._report(
            o=o,
            spec=spec,
            people=len(load_people),
            selfies=selfies,
            result=result,
            inserts=inserts,
            measured=measured,
            window=window,
        )

    # --- pieces ---------------------------------------------------------------------------

    def _cpu_snapshot(self) -> dict[str, dict[int, float]]:
        server = [self.server.process.pid, *self.server.worker_pids()] if self.server else []
        return {
            "server": envmod.process_cpu_seconds(server),
            "db": envmod.process_cpu_seconds(
                envmod.pids_named("postgres") if self.db.is_postgres else []
            ),
            "redis": envmod.process_cpu_seconds(
                envmod.pids_named("redis-server") if self.redis_url else []
            ),
        }

    def _env(self, frozen: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "sigap.config.settings",
                "SIGAP_PROFILE": "embedded",  # plain HTTP: production would redirect to TLS
                "DATABASE_URL": self.db.url,
                "CONN_MAX_AGE": "600",
                "REDIS_URL": self.redis_url,
                "CACHE_KEY_PREFIX": self.prefix,
                "SECRET_KEY": "".join(
                    secrets.choice(string.ascii_letters + string.digits) for _ in range(50)
                ),
                "DEBUG": "0",
                "SIGAP_DEMO": "1",
                "SIGAP_FROZEN_TIME": frozen,
                "TIME_ZONE": settings.TIME_ZONE,
                "MEDIA_ROOT": str(self.workdir / "media"),
                "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
                "LOG_LEVEL": "WARNING",
            }
        )
        return env

    def _people(self, people: list[dict], multipart: Multipart, captured_at: str) -> list[Person]:
        import math
        import random

        rng = random.Random(7)
        out = []
        for p in people:
            # a point inside the geofence, within JITTER_M of the office centre
            reach = min(JITTER_M, 0.5 * p["radius_m"]) * math.sqrt(rng.random())
            bearing = rng.uniform(0, 2 * math.pi)
            lat = p["latitude"] + reach * math.cos(bearing) / 111_320
            lon = p["longitude"] + reach * math.sin(bearing) / (
                111_320 * math.cos(math.radians(p["latitude"]))
            )
            head = multipart.employee_head(latitude=lat, longitude=lon, captured_at=captured_at)
            out.append(Person(token=p["token"], head=head))
        return out

    def _load(self, spec: LoadSpec, on_window):
        total = spec.warmup + spec.duration
        last = {"t": 0.0, "done": 0}
        with tqdm(
            total=round(total),
            desc="load",
            unit="s",
            disable=self.quiet,
            bar_format="{desc}: {bar:20} {n:.0f}/{total:.0f} s{postfix}",
        ) as bar:

            def progress(elapsed: float, done: int, failed: int) -> None:
                span = elapsed - last["t"]
                rate = (done - last["done"]) / span if span > 0 else 0.0
                last.update(t=elapsed, done=done)
                phase = "warm-up" if elapsed < spec.warmup else "measuring"
                bar.set_postfix_str(
                    f"{phase}, {done} sent, {rate:.0f}/s now, {failed} failed", refresh=False
                )
                bar.update(round(elapsed) - bar.n)

            return run_load(spec, on_progress=progress, on_window=on_window)

    def _subprocess(self, argv: list[str], env: dict[str, str]) -> dict:
        """Run a bench subprocess; its stderr (progress bars) goes to ours, and the last
        stdout line, when JSON, is returned."""
        done = subprocess.run(  # noqa: S603 (our own interpreter and modules)
            argv,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if self.quiet else None,
            stdin=subprocess.DEVNULL,
            timeout=3600,
            check=False,
            cwd=str(settings.BASE_DIR),
        )
        output = done.stdout.decode(errors="replace").strip()
        if done.returncode != 0:
            raise CommandError(f"{' '.join(argv[1:4])} failed ({done.returncode}):\n{output}")
        last = output.splitlines()[-1] if output else ""
        try:
            return json.loads(last) if last.startswith("{") else {}
        except json.JSONDecodeError:
            return {}

    def _cleanup(self, created: bool) -> None:
        if self.server is not None:
            try:
                self.server.stop()
            except Exception as exc:
                self.stderr.write(f"stopping gunicorn: {exc}")
        if self.keep:
            if created:
                self.say(f"kept: database {self.db.url}, files under {self.workdir}")
            return
        if created:
            try:
                envmod.drop_database(self.db)
            except Exception as exc:
                self.stderr.write(f"dropping the bench database {self.db.name}: {exc}")
        try:
            envmod.redis_delete_prefix(self.redis_url, self.prefix)
        except Exception as exc:
            self.stderr.write(f"deleting the bench's cache keys: {exc}")
        envmod.remove_tree(self.workdir)
        with contextlib.suppress(OSError):
            self.workdir.parent.rmdir()  # var/bench/, when nothing else is left in it

    def say(self, text: str) -> None:
        if self.verbosity > 0 or not text.startswith("  "):
            self.stdout.write(text)

    def step(self, text: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(f"-> {text}")

    # --- the report -----------------------------------------------------------------------

    def _report(self, *, o, spec, people, selfies, result, inserts, measured, window):
        measured_s = spec.duration
        ok = result.ok
        rate = ok / measured_s
        latencies = result.latencies_ms
        p99 = report.percentile(latencies, 99)
        counts = measured.get("counts", {})
        office = counts.get("office", {})
        sql_warm = office.get("warm")
        ratio = rate / inserts.per_second if inserts.per_second else None
        non_2xx = sum(n for status, n in result.statuses.items() if not 200 <= status < 300)
        sizes = [len(s) / 1000 for s in selfies]
        w = self.stdout.write

        w("")
        w("=" * 78)
        w("SIGAP check-in benchmark: results")
        w(f"  machine        : {envmod.machine_summary()}")
        w(f"  database       : {envmod.database_summary(self.db)}")
        w(f"  cache          : {envmod.redis_summary(self.redis_url)}")
        w(f"  server         : {ServerConfig(o['port'], o['workers'], o['threads']).describe()}")
        w(
            f"  load           : {spec.concurrency} keep-alive connections from {spec.processes} "
            f"processes, {people} employees, {spec.warmup:g} s warm-up + {measured_s:g} s "
            f"measured"
        )
        w(
            f"  selfies        : {len(selfies)} JPEGs 480x640, {min(sizes):.1f}-{max(sizes):.1f} "
            "KB; kind=in, a new uuid4 request_id each"
        )
        busy, loadavg = self.background
        w(
            f"  background     : CPU {0 if busy is None else busy * 100:.0f}% busy in the second "
            f"before the load (server idle), load average {loadavg[0]:.1f}/{loadavg[1]:.1f}/"
            f"{loadavg[2]:.1f}"
        )
        if busy and busy > 0.15:
            w("  WARNING: other work was using the machine: the figures below are understated")
        w("")
        w(f"  check-ins/s    : {rate:.1f}  ({ok} accepted in {measured_s:g} s)")
        w(f"  latency        : {report.latency_line(latencies)}")
        w(f"    1st of an employee (cold caches): {report.latency_line(result.cold_latencies_ms)}")
        w(f"    later ones (warm caches)        : {report.latency_line(result.warm_latencies_ms)}")
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(result.errors.items())) or "none"
        w(f"  non-2xx        : {non_2xx}   errors: {sum(result.errors.values())} ({errors})")
        w(f"  statuses       : {statuses or 'none'}")
        for status, bodies in sorted(result.samples.items()):
            for body in bodies[:2]:
                w(f"    e.g. {status}: {body[:200]}")
        for label in ("office", "shift"):
            if label in counts:
                c = counts[label]
                w(
                    f"  SQL/check-in   : {c['warm']} warm ({c['warm_data']} + BEGIN/COMMIT), "
                    f"{c['cold']} cold ({c['cold_data']} + BEGIN/COMMIT): "
                    f"{'an office worker' if label == 'office' else 'a shift worker'}"
                )
        if counts:
            w(
                "                   (CaptureQueriesContext around one check-in, SAVEPOINT/RELEASE "
                "excluded; cold: the employee's first, nothing of theirs cached)"
            )
        start, end = window.get("start"), window.get("end")
        in_window = max((end["done"] - start["done"]) if start and end else 0, 1)
        before, after = (start or {}).get("pg"), (end or {}).get("pg")
        if before and after:
            # read after the server stopped: the requests from the window's start to the end
            since_start = max(result.requests_total - start["done"], 1)
            xacts = (after.xact_commit - before.xact_commit) / since_start
            inserted = (after.tup_inserted - before.tup_inserted) / since_start
            w(
                f"  PostgreSQL     : {xacts:.2f} transactions committed and {inserted:.2f} rows "
                "inserted per check-in in the window (pg_stat_database: every autocommit "
                "statement, the atomic block, and the connection health check's SELECT 1)"
            )
        client_us = inserts.client_cpu_seconds * 1e6 / max(inserts.inserts, 1)
        w(
            f"  raw INSERT/s   : {inserts.per_second:.0f}  ({spec.concurrency} connections, "
            f"autocommit single-row INSERTs, {inserts.seconds:g} s; the client used "
            f"{client_us:.0f} us CPU per INSERT)"
        )
        w(f"  ratio          : {ratio:.3f}  (check-ins/s / raw INSERT/s)" if ratio else "")
        if start and end:
            self._cpu_lines(start, end, result, in_window)
        w("")
        w("Targets (issue: 2 cores, PostgreSQL, load generator on the same machine)")
        for target in report.targets(rate=rate, p99=p99, sql=sql_warm, ratio=ratio):
            w(target.line())
        if envmod.cpu_count() != 2 or not self.db.is_postgres:
            w("  (the targets are stated for 2 cores with PostgreSQL: this run differs)")
        cold, warm = measured.get("breakdown_cold"), measured.get("breakdown_warm")
        if cold and warm:
            w("")
            w(
                "Where one check-in's time goes: in-process (Django test Client on the bench "
                "database and cache), one at a time, office workers; ms per check-in"
            )
            w(f"  {'':<44} {'cold wall':>9} {'cpu':>6} {'warm wall':>10} {'cpu':>6} {'calls':>6}")
            for (label, cw, cc, _n), (_l, ww, wc, wn) in zip(cold, warm, strict=True):
                w(f"  {label:<44} {cw:9.2f} {cc:6.2f} {ww:10.2f} {wc:6.2f} {wn:6.1f}")
            if self.verbosity > 1:
                w(measured.get("profile_top", ""))
        if self.verbosity > 1:
            for key, statements in measured.get("statements", {}).items():
                w(f"SQL of one check-in ({key}):")
                for sql in statements:
                    w(f"  {sql[:160]}")
        w("=" * 78)

    def _cpu_lines(self, start: dict, end: dict, result, in_window: int) -> None:
        before, after = start["cpu"], end["cpu"]
        total_requests = in_window
        parts = [
            ("gunicorn", envmod.cpu_spent(before["server"], after["server"])),
            (
                "PostgreSQL (whole server)" if self.db.is_postgres else "",
                envmod.cpu_spent(before["db"], after["db"]),
            ),
            ("Redis", envmod.cpu_spent(before["redis"], after["redis"])),
            ("load generator", result.client_cpu_seconds),
        ]
        ours = sum(seconds for name, seconds in parts if name)
        shown = ", ".join(
            f"{name} {seconds * 1000 / total_requests:.1f} ms" for name, seconds in parts if name
        )
        total_ms = ours * 1000 / total_requests
        capacity = envmod.cpu_count() * 1000 / total_ms if total_ms else 0
        self.stdout.write(
            f"  CPU/check-in   : {shown} = {total_ms:.1f} ms "
            f"(all {envmod.cpu_count()} cores on it would give ~{capacity:.0f}/s)"
        )
        first, last = start["machine"], end["machine"]
        share = last.busy_share_since(first)
        if share is not None:
            busy_seconds = (last.busy - first.busy) / envmod.CLOCK_TICKS
            span_seconds = (last.total - first.total) / envmod.CLOCK_TICKS
            others = max(0.0, busy_seconds - ours) / span_seconds if span_seconds else 0.0
            self.stdout.write(
                f"  machine CPU    : {share * 100:.0f}% busy in the window; other processes "
                f"(not the bench's) used {others * 100:.0f}% of it"
            )
