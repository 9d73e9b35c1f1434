"""The bench's surroundings: the machine, its own database, Redis, the demo clock, CPU counters.

The bench never touches the user's database: it creates (and drops) a database of its
own whose name must contain "bench", and refuses the database the settings point at.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/sigap_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
CHECK_IN_TIME = dt.time(7, 25)  # a working morning, inside every office check-in window


# --- the machine ----------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def memory_gib() -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    return None


def machine_summary() -> str:
    mem = memory_gib()
    memory = f", {mem:.1f} GiB RAM" if mem else ""
    return (
        f"{cpu_count()} cores ({cpu_model()}){memory}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


# --- databases ------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    vendor: str  # "postgresql" | "sqlite"
    name: str  # database name, or the SQLite file path

    @property
    def is_postgres(self) -> bool:
        return self.vendor == "postgresql"


def parse_database_url(url: str, base_dir: Path) -> BenchDatabase:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError("the PostgreSQL URL must name the bench database")
        return BenchDatabase(url, "postgresql", name)
    if scheme == "sqlite":
        raw = unquote(parts.path)
        path = Path(raw[1:]) if raw.startswith("/") else Path(raw)
        if not path.is_absolute():
            path = base_dir / path
        return BenchDatabase(f"sqlite:///{path}", "sqlite", str(path))
    raise ValueError(f"unsupported database URL scheme {scheme!r}")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def pg_connect(url: str, *, dbname: str | None = None, autocommit: bool = True, timeout: int = 3):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "") or os.environ.get("PGUSER", "postgres"),
        password=unquote(parts.password or "") or None,
        dbname=dbname or unquote(parts.path.lstrip("/")),
        autocommit=autocommit,
        connect_timeout=timeout,
    )


def pg_answers(url: str) -> bool:
    try:
        with pg_connect(url, dbname="postgres", timeout=2):
            return True
    except Exception:
        return False


def default_database_url(user_database_url: str, base_dir: Path) -> str:
    """A PostgreSQL `sigap_bench` on the user's PostgreSQL server (or 127.0.0.1) when one
    answers, else an SQLite file under var/bench/."""
    candidates = []
    if urlsplit(user_database_url).scheme.lower() in {"postgres", "postgresql", "pgsql"}:
        candidates.append(_with_database(user_database_url, "sigap_bench"))
    candidates.append(DEFAULT_PG_URL)
    for url in candidates:
        if pg_answers(url):
            return url
    return f"sqlite:///{base_dir / 'var' / 'bench' / 'sigap_bench.sqlite3'}"


def check_not_users_database(db: BenchDatabase, user_db: dict) -> None:
    """Refuse to create/drop anything but a bench database (its name contains "bench",
    and it is not the database these settings use)."""
    if db.is_postgres:
        if "bench" not in db.name:
            raise ValueError(f"the bench database name must contain 'bench' (got {db.name!r})")
        same_server = (user_db.get("HOST") or "127.0.0.1") in {
            urlsplit(db.url).hostname,
            "localhost",
            "127.0.0.1",
        }
        same_name = user_db.get("NAME") == db.name
        if "postgresql" in user_db.get("ENGINE", "") and same_name and same_server:
            raise ValueError(f"{db.name!r} is the database of these settings: refused")
    else:
        if "bench" not in Path(db.name).name:
            raise ValueError(f"the bench SQLite file's name must contain 'bench': {db.name}")
        if str(user_db.get("NAME")) == db.name:
            raise ValueError(f"{db.name} is the database of these settings: refused")


def create_database(db: BenchDatabase) -> None:
    drop_database(db)
    if db.is_postgres:
        with pg_connect(db.url, dbname="postgres") as conn:
            conn.execute(f'CREATE DATABASE "{db.name}"')
    else:
        Path(db.name).parent.mkdir(parents=True, exist_ok=True)


def drop_database(db: BenchDatabase) -> None:
    if db.is_postgres:
        with pg_connect(db.url, dbname="postgres") as conn:
            major = conn.info.server_version // 10000
            force = " WITH (FORCE)" if major >= 13 else ""
            conn.execute(f'DROP DATABASE IF EXISTS "{db.name}"{force}')
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(db.name + suffix).unlink()


PG_SETTINGS = (
    "max_connections",
    "shared_buffers",
    "synchronous_commit",
    "fsync",
    "wal_level",
    "full_page_writes",
)


def database_summary(db: BenchDatabase) -> str:
    if db.is_postgres:
        with pg_connect(db.url) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            rows = conn.execute(
                "SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s) ORDER BY name",
                [list(PG_SETTINGS)],
            ).fetchall()
        settings = ", ".join(_pg_setting(name, value, unit) for name, value, unit in rows)
        host = urlsplit(db.url).hostname
        return f"PostgreSQL {version} at {host}, database {db.name} ({settings})"
    import sqlite3

    return (
        f"SQLite {sqlite3.sqlite_version} file {db.name} "
        "(WAL, synchronous=NORMAL, IMMEDIATE transactions: the project's settings)"
    )


def _pg_setting(name: str, value: str, unit: str | None) -> str:
    if unit == "8kB":
        return f"{name}={int(value) * 8 // 1024}MB"
    return f"{name}={value}"


@dataclass(frozen=True)
class PgStats:
    xact_commit: int
    xact_rollback: int
    tup_inserted: int
    tup_updated: int
    tup_fetched: int


def pg_stats(db: BenchDatabase) -> PgStats | None:
    """The database's cumulative counters (PostgreSQL flushes them about once a second)."""
    if not db.is_postgres:
        return None
    with pg_connect(db.url) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_fetched "
            "FROM pg_stat_database WHERE datname = %s",
            [db.name],
        ).fetchone()
    return PgStats(*row) if row else None


# --- Redis ----------------------------------------------------------------------------


def redis_url_if_answers(preferred: str) -> str:
    url = preferred or DEFAULT_REDIS_URL
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return url
    except Exception:
        return ""


def redis_summary(url: str) -> str:
    if not url:
        return "none (local-memory cache per gunicorn worker)"
    import redis

    info = redis.Redis.from_url(url, socket_timeout=2).info("server")
    parts = urlsplit(url)
    return f"Redis {info.get('redis_version', '?')} at {parts.hostname}:{parts.port or 6379}"


def redis_delete_prefix(url: str, prefix: str) -> int:
    """Delete every cache key of the bench's own prefix (django-redis: 'prefix:version:key')."""
    if not url or not prefix:
        return 0
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    deleted = 0
    batch: list[bytes] = []
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        batch.append(key)
        if len(batch) >= 500:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    return deleted


# --- the clock ------------------------------------------------------------------------


def frozen_check_in_time(today: dt.date) -> dt.datetime:
    """The most recent working day (weekends and national holidays skipped) at 07:25,
    naive local time of the agency: SIGAP_FROZEN_TIME for the server."""
    from sigap.worktime.holidays import national_holidays
    from sigap.worktime.rules import previous_working_day_or_same

    holidays = national_holidays(today.year) | national_holidays(today.year - 1)
    day = previous_working_day_or_same(today, holidays)
    return dt.datetime.combine(day, CHECK_IN_TIME)


# --- ports and processes --------------------------------------------------------------


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int | str) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name is in parentheses and may contain spaces
    pid, command = raw[: raw.index(" ")], raw[raw.index("(") + 1 : raw.rindex(")")]
    return [pid, command, *raw[raw.rindex(")") + 2 :].split()]


def process_cpu_seconds(pids: list[int]) -> dict[int, float]:
    """pid -> user+system CPU seconds of the live ones of `pids` (Linux /proc)."""
    found = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            found[pid] = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS  # utime, stime
    return found


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots; a process born in between counts whole
    (one that ended in between is not seen: take `after` before stopping anything)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def children_of(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                fields = _stat_fields(entry)
                if fields and fields[3] == str(pid):
                    found.append(int(entry))
    return found


def pids_named(command: str) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                fields = _stat_fields(entry)
                if fields and fields[1] == command:
                    found.append(int(entry))
    return found


@dataclass(frozen=True)
class MachineCpu:
    busy: float  # jiffies
    total: float

    @classmethod
    def read(cls) -> MachineCpu:
        try:
            first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        except (OSError, IndexError):
            return cls(0, 0)
        values = [int(v) for v in first[:8]]
        idle = values[3] + values[4]  # idle + iowait
        total = sum(values)
        return cls(total - idle, total)

    def busy_share_since(self, before: MachineCpu) -> float | None:
        span = self.total - before.total
        return (self.busy - before.busy) / span if span > 0 else None


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
