"""The machine's raw single-row INSERT rate into the bench database, for comparison.

C connections (P processes x C/P threads, like the load generator), each in autocommit
doing `INSERT INTO bench_raw_insert (...) VALUES (...)` of one row as fast as it can:
every INSERT is its own committed transaction (WAL flush included), the floor of what
one check-in must at least cost the database.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import resource
import threading
import time
from dataclasses import dataclass

from sigap.attendance.bench.environment import BenchDatabase, pg_connect

TABLE = "bench_raw_insert"
PAYLOAD = "x" * 120


@dataclass(frozen=True)
class InsertResult:
    inserts: int
    seconds: float
    client_cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.inserts / self.seconds if self.seconds else 0.0


def create_table(db: BenchDatabase) -> None:
    ddl_pg = (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, "
        "worker integer NOT NULL, at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)"
    )
    if db.is_postgres:
        with pg_connect(db.url) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
            conn.execute(ddl_pg)
    else:
        with contextlib.closing(_sqlite(db)) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
            conn.execute(
                f"CREATE TABLE {TABLE} (id integer PRIMARY KEY AUTOINCREMENT, worker integer "
                "NOT NULL, at text NOT NULL DEFAULT CURRENT_TIMESTAMP, payload text NOT NULL)"
            )


def drop_table(db: BenchDatabase) -> None:
    if db.is_postgres:
        with pg_connect(db.url) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
    else:
        with contextlib.closing(_sqlite(db)) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _sqlite(db: BenchDatabase):
    import sqlite3

    conn = sqlite3.connect(db.name, isolation_level=None, timeout=5, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def run_inserts(
    db: BenchDatabase, *, connections: int, processes: int, seconds: float, warmup: float = 1.0
) -> InsertResult:
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    ready = ctx.Barrier(processes + 1)
    start_at = ctx.Value("d", 0.0, lock=False)
    procs = [
        ctx.Process(
            target=_process_main,
            args=(
                db,
                list(range(p, connections, processes)),
                warmup,
                seconds,
                results,
                ready,
                start_at,
            ),
            daemon=True,
        )
        for p in range(processes)
    ]
    for proc in procs:
        proc.start()
    try:
        ready.wait(timeout=120)
        start_at.value = time.time() + 0.2
        ready.wait(timeout=30)
        parts = [results.get(timeout=warmup + seconds + 120) for _ in procs]
        for proc in procs:
            proc.join(timeout=10)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
    for part in parts:
        if "fatal" in part:
            raise RuntimeError(f"INSERT process failed: {part['fatal']}")
    return InsertResult(
        inserts=sum(p["inserts"] for p in parts),
        seconds=seconds,
        client_cpu_seconds=sum(p["cpu"] for p in parts),
    )


def _process_main(db, workers, warmup, seconds, results, ready, start_at) -> None:
    try:
        conns = [pg_connect(db.url, timeout=10) if db.is_postgres else _sqlite(db) for _ in workers]
        ready.wait(timeout=120)
        ready.wait(timeout=30)
        begin = start_at.value
        counts = [0] * len(workers)
        threads = [
            threading.Thread(
                target=_insert_loop,
                args=(db, conn, worker, counts, k, begin + warmup, begin + warmup + seconds),
                daemon=True,
            )
            for k, (worker, conn) in enumerate(zip(workers, conns, strict=True))
        ]
        time.sleep(max(0.0, begin - time.time()))
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, begin + warmup - time.time()))
        cpu_start = _cpu_seconds()  # this process's CPU over the measured seconds alone
        time.sleep(max(0.0, begin + warmup + seconds - time.time()))
        cpu_window = _cpu_seconds() - cpu_start
        for thread in threads:
            thread.join()
        for conn in conns:
            conn.close()
        results.put({"inserts": sum(counts), "cpu": cpu_window})
    except BaseException as exc:
        with contextlib.suppress(Exception):
            results.put({"fatal": f"{type(exc).__name__}: {exc}"})
        raise


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _insert_loop(db, conn, worker, counts, k, warm_end, end) -> None:
    if db.is_postgres:
        sql = f"INSERT INTO {TABLE} (worker, payload) VALUES (%s, %s)"  # noqa: S608
        cursor = conn.cursor()

        def insert() -> None:
            cursor.execute(sql, (worker, PAYLOAD), prepare=True)

    else:
        sql = f"INSERT INTO {TABLE} (worker, payload) VALUES (?, ?)"  # noqa: S608

        def insert() -> None:
            conn.execute(sql, (worker, PAYLOAD))

    clock = time.time
    while True:
        insert()
        now = clock()
        if now > end:
            break
        if now >= warm_end:
            counts[k] += 1
