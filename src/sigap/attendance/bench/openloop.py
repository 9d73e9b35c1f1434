"""The open-loop load generator of `sigap bench_checkin --peak`.

Every arrival is sent at its scheduled time whether or not earlier requests have been
answered (an open loop: when the server falls behind, requests queue and their latency
shows it, unlike a closed loop of N clients that slows down with the server). Each
arrival is one phone: a new TCP connection, one multipart check-in with `Connection:
close`, read to the end. The arrivals are dealt round-robin to P processes, each running
one asyncio loop that starts a task per arrival at its time, so the number of requests in
flight is not bounded by a pool. How late each request left against its schedule (the
client's own lag) is recorded, to show the client was not the bottleneck.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sigap.attendance.bench.fleet import fleet
from sigap.attendance.bench.load import PATH, SAMPLE_BODIES, Person
from sigap.attendance.bench.payload import Multipart

COUNTERS = 3  # per process: sent, answered (or failed), failed (non-2xx or error)


@dataclass(frozen=True)
class PeakSpec:
    port: int
    multipart: Multipart
    people: tuple[Person, ...]
    arrivals: tuple[tuple[float, int], ...]  # (run second, index into people), sorted
    processes: int
    host: str = "127.0.0.1"
    path: str = PATH
    timeout: float = 60.0

    def share_of(self, process: int) -> tuple[tuple[float, int], ...]:
        return self.arrivals[process :: self.processes]

    @property
    def run_seconds(self) -> float:
        return self.arrivals[-1][0] if self.arrivals else 0.0


@dataclass
class PeakResult:
    """One row per sent arrival (same index in every array)."""

    at_s: array = field(default_factory=lambda: array("d"))  # scheduled run second
    lag_ms: array = field(default_factory=lambda: array("d"))  # sent late by
    latency_ms: array = field(default_factory=lambda: array("d"))  # send to last byte
    done_s: array = field(default_factory=lambda: array("d"))  # answered at (run second)
    status: array = field(default_factory=lambda: array("i"))  # 0: no answer (error)
    errors: Counter = field(default_factory=Counter)
    samples: dict[int, list[str]] = field(default_factory=dict)
    client_cpu_seconds: float = 0.0
    elapsed_s: float = 0.0  # from the run's start to the last answer
    begin: float = 0.0  # the run's start (epoch seconds): run second 0

    @property
    def sent(self) -> int:
        return len(self.at_s)

    @property
    def ok(self) -> int:
        return sum(1 for s in self.status if 200 <= s < 300)

    def statuses(self) -> Counter:
        return Counter(s for s in self.status if s)


def run_peak(
    spec: PeakSpec, *, on_progress: Callable[[float, int, int, int], None] | None = None
) -> PeakResult:
    """Send every arrival at its time; `on_progress(run_s, sent, answered, failed)`
    about twice a second."""
    with fleet(
        _process_main,
        spec,
        processes=spec.processes,
        counters=spec.processes * COUNTERS,
        name="bench-peak",
    ) as procs:
        parts: list[dict] = []
        begin = procs.release(lead=0.3)
        deadline = begin + spec.run_seconds + spec.timeout + 30
        while len(parts) < len(procs.procs):
            if on_progress is not None:
                sums = (_sum(procs.counters, k) for k in range(COUNTERS))
                on_progress(time.time() - begin, *sums)
            with contextlib.suppress(Exception):
                parts.append(procs.results.get(timeout=0.5))
            if time.time() > deadline:
                raise RuntimeError("the load processes did not finish in time")
        procs.join()
    return _merge(parts, begin)


def _merge(parts: list[dict], begin: float) -> PeakResult:
    result = PeakResult(begin=begin)
    for part in parts:
        if "fatal" in part:
            raise RuntimeError(f"load process failed: {part['fatal']}")
        for name in ("at_s", "lag_ms", "latency_ms", "done_s", "status"):
            getattr(result, name).extend(part[name])
        result.errors.update(part["errors"])
        for status, bodies in part["samples"].items():
            kept = result.samples.setdefault(status, [])
            kept.extend(bodies[: SAMPLE_BODIES - len(kept)])
        result.client_cpu_seconds += part["cpu"]
        result.elapsed_s = max(result.elapsed_s, part["elapsed"])
    return result


def _sum(counters, offset: int) -> int:
    return sum(counters[i] for i in range(offset, len(counters), COUNTERS))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _process_main(spec: PeakSpec, index, counters, results, ready, start_at) -> None:
    try:
        _raise_open_files_limit()
        sender = _Sender(spec, index, counters)
        ready.wait(timeout=120)
        ready.wait(timeout=30)
        cpu_before = _cpu_seconds()
        asyncio.run(sender.send_all(start_at.value))
        results.put(sender.report(cpu=_cpu_seconds() - cpu_before))
    except BaseException as exc:
        with contextlib.suppress(Exception):
            results.put({"fatal": f"{type(exc).__name__}: {exc}"})
        raise


class _Sender:
    """One process's share of the arrivals, sent from one asyncio loop."""

    def __init__(self, spec: PeakSpec, index: int, counters) -> None:
        self.spec = spec
        self.share = spec.share_of(index)
        self.counters = counters
        self.base = index * COUNTERS
        self.begin = 0.0
        self.rows: list[tuple[float, float, float, float, int]] = []
        self.errors: Counter = Counter()
        self.samples: dict[int, list[str]] = {}
        ctype = spec.multipart.content_type
        host = f"{spec.host}:{spec.port}"
        self.request_head = (
            f"POST {spec.path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {ctype}\r\n"
            "Connection: close\r\n"
        ).encode()

    async def send_all(self, begin: float) -> None:
        self.begin = begin
        tasks = []
        for serial, (at_s, who) in enumerate(self.share):
            delay = begin + at_s - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._one(at_s, who, serial)))
        await asyncio.gather(*tasks)

    def _request(self, who: int, serial: int) -> bytes:
        person = self.spec.people[who]
        body = self.spec.multipart.body(person.head, uuid.uuid4(), serial)
        return b"".join(
            (
                self.request_head,
                f"Authorization: Bearer {person.token}\r\n".encode(),
                f"Content-Length: {len(body)}\r\n\r\n".encode(),
                body,
            )
        )

    async def _one(self, at_s: float, who: int, serial: int) -> None:
        request = self._request(who, serial)
        sent = time.time()
        self.counters[self.base] += 1
        started = time.perf_counter()
        status, payload, error = 0, b"", ""
        try:
            status, payload = await asyncio.wait_for(self._exchange(request), self.spec.timeout)
        except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError) as exc:
            error = type(exc).__name__
        latency_ms = (time.perf_counter() - started) * 1000
        self.counters[self.base + 1] += 1
        if not 200 <= status < 300:
            self.counters[self.base + 2] += 1
        if error:
            self.errors[error] += 1
        elif status >= 300 and len(self.samples.setdefault(status, [])) < SAMPLE_BODIES:
            self.samples[status].append(payload[:300].decode(errors="replace"))
        lag_ms = (sent - self.begin - at_s) * 1000
        self.rows.append((at_s, lag_ms, latency_ms, time.time() - self.begin, status))

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        reader, writer = await asyncio.open_connection(self.spec.host, self.spec.port)
        try:
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            answer = await reader.read()  # headers and body: the server closes
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise ValueError("not an HTTP answer")
        return int(parts[1]), answer.partition(b"\r\n\r\n")[2]

    def report(self, *, cpu: float) -> dict:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [(), (), (), (), ()]
        return {
            "at_s": list(columns[0]),
            "lag_ms": list(columns[1]),
            "latency_ms": list(columns[2]),
            "done_s": list(columns[3]),
            "status": list(columns[4]),
            "errors": dict(self.errors),
            "samples": self.samples,
            "cpu": cpu,
            "elapsed": max(columns[3], default=0.0),
        }
