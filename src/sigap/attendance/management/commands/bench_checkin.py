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

--peak plays the morning rush instead (issue 10): 10,000 employees by default, each
checking in exactly once at a time drawn from a triangular curve over the --window
seconds before 07:30 that peaks --peak-before seconds before it (sigap.attendance.bench
.arrivals), the morning played --compress times faster, sent OPEN LOOP (at their times,
whatever earlier requests are doing: sigap.attendance.bench.openloop). Printed: arrivals
planned/sent, the peak arrival rate, throughput, latency overall and in the peak minute,
statuses, the client's own lag, CPU, the machine, and PASS/FAIL against p99 < 500 ms
(and as JSON to --results, default var/bench/peak-results.json). The raw-INSERT and
SQL-count steps are skipped.

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
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sigap.attendance.bench import environment as envmod
from sigap.attendance.bench import options, orchestrate, peakreport, peakrun, rawinsert
from sigap.attendance.bench.arrivals import MorningShape, arrival_schedule
from sigap.attendance.bench.load import LoadSpec
from sigap.attendance.bench.openloop import PeakSpec
from sigap.attendance.bench.payload import Multipart, make_selfies
from sigap.attendance.bench.rawinsert import InsertResult
from sigap.attendance.bench.results import RunFigures, write_results
from sigap.attendance.bench.server import Server, ServerConfig
from sigap.core import clock

SELFIES = 6


class Command(BaseCommand):
    help = (
        "Benchmark the check-in hot path over real HTTP (gunicorn) in a throw-away database "
        "and print check-ins/s, latency percentiles, SQL per check-in and the raw INSERT rate."
    )

    def add_arguments(self, parser) -> None:
        options.add_arguments(parser)

    # ------------------------------------------------------------------------------------

    def handle(self, *args, **o) -> None:
        try:
            options.check(o)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
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
        self.prepared: dict = {}
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
        env = orchestrate.subprocess_env(
            db=self.db,
            redis_url=self.redis_url,
            cache_prefix=self.prefix,
            frozen=frozen_text,
            time_zone=zone,
            workdir=self.workdir,
        )
        processes = min(o["processes"] or max(1, envmod.cpu_count()), o["concurrency"])
        server_config = ServerConfig(port=o["port"], workers=o["workers"], threads=o["threads"])

        self.say("SIGAP check-in benchmark" + (": morning peak" if o["peak"] else ""))
        self.say(f"  machine : {envmod.machine_summary()}")
        self.say(f"  database: {envmod.database_summary(self.db)}")
        self.say(f"  cache   : {envmod.redis_summary(self.redis_url)}")
        self.say(
            f"  server  : {server_config.describe()}, Django {django.get_version()}, DEBUG=0, "
            f"CONN_MAX_AGE=600, SIGAP_DEMO=1, SIGAP_FROZEN_TIME={frozen_text} ({zone})"
        )
        tokens_path, people = self._prepare(o, env)
        if o["peak"]:
            processes = o["processes"] or max(1, envmod.cpu_count())
            self._run_peak(o, env, server_config, processes, people, captured_at)
            return
        inserts = self._raw_inserts(o, processes)
        measured = self._measure(o, env, tokens_path, captured_at)
        figures = self._http_load(o, env, server_config, processes, people, captured_at)
        write_results(
            self.stdout.write,
            RunFigures(
                db=self.db,
                redis_url=self.redis_url,
                server=server_config,
                inserts=inserts,
                measured=measured,
                verbosity=self.verbosity,
                **figures,
            ),
        )

    # --- the steps ------------------------------------------------------------------------

    def _prepare(self, o: dict, env: dict[str, str]) -> tuple[Path, list[dict]]:
        """1. schema, demo regency, tokens: the prepared employees' JSON lines."""
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
        prepared["prepare_seconds"] = round(time.perf_counter() - started, 1)
        self.prepared = prepared
        self.say(
            f"  seeded {prepared['employees']} employees, {prepared['offices']} offices; "
            f"{prepared['tokens']} tokens ({prepared['skipped_off_duty']} shift workers off "
            f"duty this morning) in {prepared['prepare_seconds']:.0f} s (seeding "
            f"{prepared.get('seed_seconds', 0):.0f} s, "
            f"tokens {prepared.get('token_seconds', 0):.0f} s)"
        )
        return tokens_path, people

    def _raw_inserts(self, o: dict, processes: int) -> InsertResult:
        """2. the raw single-row INSERT rate with as many connections."""
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
        return inserts

    def _measure(self, o: dict, env: dict[str, str], tokens_path: Path, captured_at: str) -> dict:
        """3. SQL per check-in and an in-process profile."""
        self.step("counting SQL per check-in and profiling one process (test Client)")
        argv = [
            sys.executable,
            "-m",
            "sigap.attendance.bench.measure",
            "--tokens",
            str(tokens_path),
            "--captured-at",
            captured_at,
            "--profile",
            str(max(o["profile"], 0)),
        ]
        return self._subprocess(argv, env)

    def _http_load(
        self,
        o: dict,
        env: dict[str, str],
        server_config: ServerConfig,
        processes: int,
        people: list[dict],
        captured_at: str,
    ) -> dict:
        """4. the load over HTTP: the RunFigures fields it measured."""
        self.step("building selfies and bodies")
        selfies = make_selfies(SELFIES)
        multipart = Multipart.build(selfies)
        load_people = orchestrate.place_people(people, multipart, captured_at)
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
        background = self._background()
        window, result = self._measured_load(spec)
        return {
            "spec": spec,
            "people": len(load_people),
            "selfies": selfies,
            "result": result,
            "window": window,
            "background": background,
        }

    def _run_peak(
        self,
        o: dict,
        env: dict[str, str],
        server_config: ServerConfig,
        processes: int,
        people: list[dict],
        captured_at: str,
    ) -> None:
        """The morning peak: every prepared employee checks in once, open loop."""
        shape = MorningShape(
            window_s=o["window"],
            peak_before_s=o["peak_before"],
            compress=o["compress"],
            seed=o["seed"],
        )
        schedule = arrival_schedule(employees=len(people), shape=shape)
        multipart = Multipart.build(make_selfies(SELFIES))
        spec = PeakSpec(
            port=o["port"],
            multipart=multipart,
            people=tuple(orchestrate.place_people(people, multipart, captured_at)),
            arrivals=tuple((a.at_s, a.employee) for a in schedule),
            processes=processes,
        )
        self.server = self._start_server(server_config, env, o["port"], people[-1]["token"])
        busy, loadavg = self._background()
        self.step(
            f"morning peak: {len(schedule)} arrivals over {shape.run_seconds:.1f} s "
            f"(x{shape.compress:g}), open loop from {processes} processes"
        )
        edges = {"start": peakrun.edge(self.server, self.db, self.redis_url)}
        result = peakrun.load_with_progress(spec, quiet=self.quiet)
        edges["end"] = peakrun.edge(self.server, self.db, self.redis_url)
        self.server.stop()
        setup = peakrun.setup_lines(
            db=self.db,
            redis_url=self.redis_url,
            server=server_config,
            processes=processes,
            prepared=self.prepared,
            background=(busy, loadavg),
        )
        figures = peakrun.all_figures(
            result=result, shape=shape, schedule=schedule, edges=edges, setup=setup
        )
        figures["prepared"] = self.prepared
        peakreport.write_peak_results(self.stdout.write, figures, setup)
        if o["results"]:
            path = Path(settings.BASE_DIR) / o["results"]  # an absolute path stays itself
            peakreport.write_results_file(path, figures)
            self.say(f"figures written to {path}")

    def _start_server(
        self, config: ServerConfig, env: dict[str, str], port: int, token: str
    ) -> Server:
        self.step(f"starting {config.describe()} on 127.0.0.1:{port}")
        self.server = Server(config, env, self.workdir / "gunicorn.log")
        self.server.start()
        self.server.wait_ready(prime_token=token)
        return self.server

    def _background(self) -> tuple:
        """The machine's busy share in the second before the load, and its load average."""
        quiet_before = envmod.MachineCpu.read()
        time.sleep(1.0)
        return envmod.MachineCpu.read().busy_share_since(quiet_before), os.getloadavg()

    def _measured_load(self, spec: LoadSpec):
        """Run the load, snapshotting CPU and PostgreSQL counters at the window's edges."""
        window: dict[str, dict] = {}

        def on_window(edge: str, done: int) -> None:
            window[edge] = {
                "done": done,
                "cpu": orchestrate.cpu_snapshot(self.server, self.db, self.redis_url),
                "machine": envmod.MachineCpu.read(),
                "pg": envmod.pg_stats(self.db),
            }

        result = orchestrate.load_with_progress(spec, on_window, quiet=self.quiet)
        if self.server is not None:
            self.server.stop()
        if self.db.is_postgres:
            # PostgreSQL publishes a backend's counters at most once a second: read the
            # end of the window again now that every backend has flushed them
            time.sleep(1.5)
            window["end"]["pg"] = envmod.pg_stats(self.db)
        return window, result

    # --- pieces ---------------------------------------------------------------------------

    def _subprocess(self, argv: list[str], env: dict[str, str]) -> dict:
        try:
            return orchestrate.run_json(argv, env, quiet=self.quiet, cwd=Path(settings.BASE_DIR))
        except orchestrate.StepFailed as exc:
            raise CommandError(str(exc)) from exc

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
