"""The glue `sigap bench_checkin` runs its steps with: the environment of its subprocesses
(server, seeding, measuring), running those and reading their JSON, placing employees
inside their geofence, per-process CPU snapshots and the load with a progress bar."""

from __future__ import annotations

import json
import math
import os
import random
import secrets
import string
import subprocess
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from sigap.attendance.bench import environment as envmod
from sigap.attendance.bench.environment import BenchDatabase
from sigap.attendance.bench.load import LoadResult, LoadSpec, Person, run_load
from sigap.attendance.bench.payload import Multipart
from sigap.attendance.bench.server import Server

JITTER_M = 25.0  # clients stand up to this far from the office centre (inside 100 m)


class StepFailed(RuntimeError):
    """A bench subprocess exited with an error."""


def subprocess_env(
    *,
    db: BenchDatabase,
    redis_url: str,
    cache_prefix: str,
    frozen: str,
    time_zone: str,
    workdir: Path,
) -> dict[str, str]:
    """The environment of the bench's Django subprocesses and of gunicorn."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sigap.config.settings",
            "SIGAP_PROFILE": "embedded",  # plain HTTP: production would redirect to TLS
            "DATABASE_URL": db.url,
            "CONN_MAX_AGE": "600",
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": cache_prefix,
            "SECRET_KEY": "".join(
                secrets.choice(string.ascii_letters + string.digits) for _ in range(50)
            ),
            "DEBUG": "0",
            "SIGAP_DEMO": "1",
            "SIGAP_FROZEN_TIME": frozen,
            "TIME_ZONE": time_zone,
            "MEDIA_ROOT": str(workdir / "media"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def run_json(argv: list[str], env: dict[str, str], *, quiet: bool, cwd: Path) -> dict:
    """Run a bench subprocess; its stderr (progress bars) goes to ours, and the last
    stdout line, when JSON, is returned. Raises StepFailed when it fails."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and modules)
        argv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        stdin=subprocess.DEVNULL,
        timeout=3600,
        check=False,
        cwd=str(cwd),
    )
    output = done.stdout.decode(errors="replace").strip()
    if done.returncode != 0:
        raise StepFailed(f"{' '.join(argv[1:4])} failed ({done.returncode}):\n{output}")
    last = output.splitlines()[-1] if output else ""
    try:
        return json.loads(last) if last.startswith("{") else {}
    except json.JSONDecodeError:
        return {}


def place_people(people: list[dict], multipart: Multipart, captured_at: str) -> list[Person]:
    """One Person per prepared employee, each at a seeded random point inside the
    geofence, within JITTER_M of the office centre."""
    rng = random.Random(7)
    out = []
    for p in people:
        reach = min(JITTER_M, 0.5 * p["radius_m"]) * math.sqrt(rng.random())
        bearing = rng.uniform(0, 2 * math.pi)
        lat = p["latitude"] + reach * math.cos(bearing) / 111_320
        lon = p["longitude"] + reach * math.sin(bearing) / (
            111_320 * math.cos(math.radians(p["latitude"]))
        )
        head = multipart.employee_head(latitude=lat, longitude=lon, captured_at=captured_at)
        out.append(Person(token=p["token"], head=head))
    return out


def cpu_snapshot(
    server: Server | None, db: BenchDatabase, redis_url: str
) -> dict[str, dict[int, float]]:
    """CPU seconds so far of gunicorn (master and workers), the database and Redis."""
    server_pids = [server.process.pid, *server.worker_pids()] if server and server.process else []
    return {
        "server": envmod.process_cpu_seconds(server_pids),
        "db": envmod.process_cpu_seconds(envmod.pids_named("postgres") if db.is_postgres else []),
        "redis": envmod.process_cpu_seconds(envmod.pids_named("redis-server") if redis_url else []),
    }


def load_with_progress(
    spec: LoadSpec, on_window: Callable[[str, int], None], *, quiet: bool
) -> LoadResult:
    """run_load, with a tqdm bar (phase, requests sent, current rate, failures)."""
    total = spec.warmup + spec.duration
    last = {"t": 0.0, "done": 0}
    with tqdm(
        total=round(total),
        desc="load",
        unit="s",
        disable=quiet,
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
