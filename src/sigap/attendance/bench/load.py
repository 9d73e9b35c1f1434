"""The HTTP load generator: P processes x T threads, one keep-alive connection per thread.

Every thread owns a disjoint slice of the employees (one phone per person: no two
requests of the same employee at once) and cycles through it, sending real multipart
check-ins (pre-encoded fixed parts, a fresh uuid4 request_id each time). Requests that
complete inside the measured window [warm_end, end] are counted; their latency is the
client's wall time from sending to the last byte of the answer.
"""

from __future__ import annotations

import contextlib
import http.client
import resource
import threading
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sigap.attendance.bench.fleet import fleet
from sigap.attendance.bench.payload import Multipart

PATH = "/api/v1/attendance/check-ins"
SAMPLE_BODIES = 3  # kept per non-2xx status, for the report
COUNTER_FIELDS = 2  # per thread: requests done, requests failed (non-2xx or error)


@dataclass(frozen=True)
class Person:
    token: str
    head: bytes  # the pre-encoded multipart fields of this employee


@dataclass(frozen=True)
class LoadSpec:
    port: int
    multipart: Multipart
    people: tuple[Person, ...]
    processes: int
    concurrency: int
    warmup: float
    duration: float
    host: str = "127.0.0.1"
    path: str = PATH
    timeout: float = 60.0

    def threads_of(self, process: int) -> list[int]:
        """Global thread indexes run by process `process` (round-robin)."""
        return list(range(process, self.concurrency, self.processes))


@dataclass
class LoadResult:
    measured_seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    cold_latencies_ms: list[float] = field(default_factory=list)  # an employee's 1st request
    warm_latencies_ms: list[float] = field(default_factory=list)  # their later ones
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    samples: dict[int, list[str]] = field(default_factory=dict)
    requests_total: int = 0  # including warm-up and the tail after the window
    client_cpu_seconds: float = 0.0  # over the measured window
    ok: int = 0

    @property
    def completed(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> int:
        return self.completed - self.ok + sum(self.errors.values())


def run_load(
    spec: LoadSpec,
    *,
    on_progress: Callable[[float, int, int], None] | None = None,
    on_window: Callable[[str, int], None] | None = None,
) -> LoadResult:
    """Run the load; `on_progress(elapsed_s, done, failed)` about twice a second, and
    `on_window("start" | "end", done)` when the measured window opens and closes (to take
    CPU and database counters over the window only)."""
    with fleet(
        _process_main,
        spec,
        processes=spec.processes,
        counters=spec.concurrency * COUNTER_FIELDS,
        name="bench-load",
    ) as procs:
        counters = procs.counters
        begin = procs.release(lead=0.2)
        end = begin + spec.warmup + spec.duration
        edges = [(begin + spec.warmup, "start"), (end, "end")]
        next_tick = begin
        while edges:
            now = time.time()
            if now >= edges[0][0]:
                _at, edge = edges.pop(0)
                if on_window is not None:
                    on_window(edge, _sum(counters, 0))
                continue
            if now >= next_tick:
                next_tick = now + 0.5
                if on_progress is not None:
                    elapsed = min(now - begin, spec.warmup + spec.duration)
                    on_progress(elapsed, _sum(counters, 0), _sum(counters, 1))
            time.sleep(max(0.0, min(next_tick, edges[0][0]) - time.time()))
        parts = []
        deadline = end + spec.timeout + 30
        for _ in procs.procs:
            parts.append(procs.results.get(timeout=max(1.0, deadline - time.time())))
        procs.join()
    result = LoadResult(measured_seconds=spec.duration)
    for part in parts:
        if "fatal" in part:
            raise RuntimeError(f"load process failed: {part['fatal']}")
        result.latencies_ms.extend(part["latencies"])
        result.cold_latencies_ms.extend(part["cold"])
        result.warm_latencies_ms.extend(part["warm"])
        result.statuses.update(part["statuses"])
        result.errors.update(part["errors"])
        for status, bodies in part["samples"].items():
            kept = result.samples.setdefault(status, [])
            kept.extend(bodies[: SAMPLE_BODIES - len(kept)])
        result.requests_total += part["total"]
        result.client_cpu_seconds += part["cpu"]
        result.ok += part["ok"]
    return result


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _sum(counters, offset: int) -> int:
    return sum(counters[i] for i in range(offset, len(counters), COUNTER_FIELDS))


def _process_main(spec: LoadSpec, index, counters, results, ready, start_at) -> None:
    try:
        threads_state = []
        threads = []
        for slot in spec.threads_of(index):
            state = _ThreadState(slot, spec.people[slot :: spec.concurrency])
            threads_state.append(state)
        ready.wait(timeout=120)
        ready.wait(timeout=30)
        begin = start_at.value
        warm_end, end = begin + spec.warmup, begin + spec.warmup + spec.duration
        for state in threads_state:
            thread = threading.Thread(
                target=_thread_main, args=(spec, state, counters, begin, warm_end, end), daemon=True
            )
            threads.append(thread)
            thread.start()
        # this process's CPU over the measured window alone
        time.sleep(max(0.0, warm_end - time.time()))
        cpu_start = _cpu_seconds()
        time.sleep(max(0.0, end - time.time()))
        cpu_window = _cpu_seconds() - cpu_start
        for thread in threads:
            thread.join()
        latencies: list[float] = []
        cold: list[float] = []
        warm: list[float] = []
        statuses: Counter = Counter()
        errors: Counter = Counter()
        samples: dict[int, list[str]] = {}
        for state in threads_state:
            latencies.extend(state.latencies)
            cold.extend(state.cold)
            warm.extend(state.warm)
            statuses.update(state.statuses)
            errors.update(state.errors)
            for status, bodies in state.samples.items():
                samples.setdefault(status, []).extend(bodies)
        results.put(
            {
                "latencies": latencies,
                "cold": cold,
                "warm": warm,
                "statuses": dict(statuses),
                "errors": dict(errors),
                "samples": {k: v[:SAMPLE_BODIES] for k, v in samples.items()},
                "total": sum(s.total for s in threads_state),
                "ok": sum(s.ok for s in threads_state),
                "cpu": cpu_window,
            }
        )
    except BaseException as exc:
        with contextlib.suppress(Exception):
            results.put({"fatal": f"{type(exc).__name__}: {exc}"})
        raise


class _ThreadState:
    def __init__(self, slot: int, people: tuple[Person, ...]) -> None:
        self.slot = slot
        self.people = people
        self.latencies = array("d")
        self.cold = array("d")
        self.warm = array("d")
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.samples: dict[int, list[str]] = {}
        self.total = 0
        self.ok = 0


def _thread_main(spec: LoadSpec, state: _ThreadState, counters, begin, warm_end, end) -> None:
    if not state.people:
        return
    # threads start spread over 100 ms rather than all at once
    time.sleep(max(0.0, begin + (state.slot % 10) * 0.01 - time.time()))
    conn = http.client.HTTPConnection(spec.host, spec.port, timeout=spec.timeout)
    mp_body = spec.multipart
    base_headers = {"Content-Type": mp_body.content_type}
    auth = [{**base_headers, "Authorization": f"Bearer {p.token}"} for p in state.people]
    seen = bytearray(len(state.people))
    done_at = state.slot * COUNTER_FIELDS
    n = 0
    perf = time.perf_counter
    clock = time.time
    while clock() < end:
        i = n % len(state.people)
        body = mp_body.body(state.people[i].head, uuid.uuid4(), state.slot + n)
        n += 1
        status = 0
        error = ""
        started = perf()
        try:
            conn.request("POST", spec.path, body, auth[i])
            response = conn.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            payload = b""
            conn.close()
            conn = http.client.HTTPConnection(spec.host, spec.port, timeout=spec.timeout)
        elapsed_ms = (perf() - started) * 1000
        finished = clock()
        state.total += 1
        good = 200 <= status < 300
        counters[done_at] += 1
        if not good:
            counters[done_at + 1] += 1
        first = not seen[i]
        seen[i] = 1
        if not warm_end <= finished <= end:
            continue
        if error:
            state.errors[error] += 1
            continue
        state.statuses[status] += 1
        if good:
            state.ok += 1
        elif len(state.samples.setdefault(status, [])) < SAMPLE_BODIES:
            state.samples[status].append(payload[:300].decode(errors="replace"))
        state.latencies.append(elapsed_ms)
        (state.cold if first else state.warm).append(elapsed_ms)
    conn.close()
