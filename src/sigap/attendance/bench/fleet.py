"""The load generators' processes: spawned (never forked from a Django process with threads
and sockets), each running `target(spec, index, counters, results, ready, start_at)`, held
at a barrier until every one has imported and built its share, then released together at
one start time. Leaving the `with` block terminates whatever still runs."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass
class Fleet:
    procs: list[Any]
    counters: Any  # shared array of int64 counters the processes update
    results: Any  # queue: one dict per process when it is done
    ready: Any
    start_at: Any

    def release(self, *, lead: float) -> float:
        """Wait until every process is ready, start them all `lead` seconds from now;
        returns that start time."""
        self.ready.wait(timeout=120)
        begin = time.time() + lead
        self.start_at.value = begin
        self.ready.wait(timeout=30)
        return begin

    def join(self) -> None:
        for proc in self.procs:
            proc.join(timeout=10)


@contextlib.contextmanager
def fleet(
    target: Callable[..., None], spec: Any, *, processes: int, counters: int, name: str
) -> Iterator[Fleet]:
    ctx = mp.get_context("spawn")
    shared = ctx.Array("q", counters, lock=False)
    results = ctx.Queue()
    ready = ctx.Barrier(processes + 1)
    start_at = ctx.Value("d", 0.0, lock=False)
    procs = [
        ctx.Process(
            target=target,
            args=(spec, index, shared, results, ready, start_at),
            daemon=True,
            name=f"{name}-{index}",
        )
        for index in range(processes)
    ]
    for proc in procs:
        proc.start()
    try:
        yield Fleet(procs, shared, results, ready, start_at)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
