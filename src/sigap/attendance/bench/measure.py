"""Subprocess: SQL statements per check-in and where one check-in's time goes.

    DATABASE_URL=... SIGAP_DEMO=1 SIGAP_FROZEN_TIME=... \
        python -m sigap.attendance.bench.measure --tokens tokens.jsonl --captured-at ISO

Sends real check-ins in-process through Django's test Client (the whole middleware and
ninja stack, bearer token, multipart selfie) against the bench database and cache:

- statements: CaptureQueriesContext around one check-in, SAVEPOINT/RELEASE excluded
  (Django also records BEGIN and COMMIT: they are counted, and shown apart);
  "cold" is an employee's first check-in with nothing of theirs cached, "warm" the next
  one; office workers and shift workers separately (their arrangement differs);
- timing: the parts of the hot path wrapped in timers (wall and CPU milliseconds per
  check-in, no profiler), over employees' first check-ins (cold) and later ones (warm);
  then a cProfile of warm check-ins for the functions that cost most (shown with -v 2).

The JSON result is the last line of stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import os
import pstats
import sys
import time
import uuid

IGNORED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK")  # counted, but shown apart from data statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--captured-at", required=True)
    parser.add_argument("--profile", type=int, default=60, help="warm check-ins to time")
    parser.add_argument("--sample", type=int, default=30, help="employees for the timings")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sigap.attendance.bench.payload import make_selfie

    with open(args.tokens, encoding="utf-8") as handle:
        people = [json.loads(line) for line in handle if line.strip()]
    selfie = make_selfie(99)
    client = Client()

    def post(person: dict) -> int:
        upload = io.BytesIO(selfie)
        upload.name = "selfie.jpg"
        response = client.post(
            "/api/v1/attendance/check-ins",
            {
                "request_id": str(uuid.uuid4()),
                "kind": "in",
                "latitude": str(person["latitude"]),
                "longitude": str(person["longitude"]),
                "accuracy_m": "10",
                "captured_at": args.captured_at,
                "selfie": upload,
            },
            HTTP_AUTHORIZATION=f"Bearer {person['token']}",
        )
        if response.status_code not in (200, 201):
            raise SystemExit(f"check-in refused: {response.status_code} {response.content[:300]!r}")
        return response.status_code

    def counted(person: dict) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            post(person)
        return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(IGNORED)]

    result: dict = {"statements": {}, "counts": {}}
    # the last people of the file: the load generator starts with the first ones
    office = [p for p in people if not p.get("shift_based")]
    shift = [p for p in people if p.get("shift_based")]
    for label, group in (("office", office), ("shift", shift)):
        if not group:
            continue
        person = group[-1]
        cold = counted(person)
        warm = counted(person)
        result["counts"][label] = {
            "cold": len(cold),
            "warm": len(warm),
            "cold_data": len([q for q in cold if not q.startswith(TRANSACTION)]),
            "warm_data": len([q for q in warm if not q.startswith(TRANSACTION)]),
        }
        result["statements"][f"{label}_cold"] = cold
        result["statements"][f"{label}_warm"] = warm

    # timing: first (cold) then repeated (warm) check-ins of office workers, each part of
    # the path wrapped in a timer (wall and CPU); then a cProfile of warm ones for the top
    if args.profile <= 0:
        print(json.dumps(result))
        return 0
    sample = office[-min(args.sample + 1, len(office)) : -1] or people[-args.sample :]
    timers = Timers()
    timers.install()
    try:
        result["breakdown_cold"] = timers.run(lambda: [post(p) for p in sample], len(sample))
        runs = max(args.profile, len(sample))
        repeated = [sample[i % len(sample)] for i in range(runs)]
        result["breakdown_warm"] = timers.run(lambda: [post(p) for p in repeated], runs)
    finally:
        timers.uninstall()
    profiler = cProfile.Profile()
    profiler.enable()
    for person in repeated:
        post(person)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
    result["profile_top"] = text.getvalue()
    print(json.dumps(result))
    return 0


class Timers:
    """Wall and CPU time (inclusive) of named parts of the check-in path, measured by
    wrapping them in place (no profiler: its overhead would distort Python-heavy parts)."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = {}
        self.patches: list[tuple[object, str, object]] = []
        self.found: list[tuple[str, object, str]] = []

    def targets(self) -> list[tuple[str, object, str]]:
        """(label, owner, attribute) of the parts found; the check-in service's own module
        is looked up (the names it calls are patched there), and a part that a refactor
        renamed is skipped rather than failing the bench."""
        import importlib

        from django.core.cache import caches
        from django.core.files.storage import Storage
        from django.core.handlers.base import BaseHandler
        from django.db.backends.base.base import BaseDatabaseWrapper
        from django.db.backends.utils import CursorWrapper
        from django.http.multipartparser import MultiPartParser

        from sigap.attendance import api, presenters, services
        from sigap.core import api_auth

        core = importlib.import_module(services.attendance_check_in.__module__)
        wanted = [
            ("request (whole Django handler)", BaseHandler, ("get_response",)),
            ("  multipart parsing", MultiPartParser, ("parse",)),
            ("  auth: token_resolve", api_auth, ("token_resolve",)),
            ("  current_employee", api, ("current_employee",)),
            ("  attendance_check_in", services, ("attendance_check_in",)),
            ("    arrangement_for", core, ("arrangement_for",)),
            ("    selfie: process_selfie", core, ("process_selfie",)),
            ("    selfie: write the file", Storage, ("save",)),
            ("    _store_event (INSERT)", core, ("_store_event",)),
            ("    apply the event to the day", core, ("day_apply_event", "_apply_event")),
            ("    COMMIT", BaseDatabaseWrapper, ("commit",)),
            ("  presenter", presenters, ("check_in_out",)),
            ("all SQL statements (excl. BEGIN)", CursorWrapper, ("_execute",)),
            ("all cache reads", type(caches["default"]), ("get",)),
            ("all cache writes", type(caches["default"]), ("set",)),
        ]
        found = []
        for label, owner, names in wanted:
            name = next((n for n in names if hasattr(owner, n)), None)
            if name is not None:
                found.append((label, owner, name))
        return found

    def install(self) -> None:
        self.found = self.targets()
        for label, owner, name in self.found:
            original = getattr(owner, name)
            self.patches.append((owner, name, original))
            setattr(owner, name, self._wrap(label, original))

    def uninstall(self) -> None:
        while self.patches:
            owner, name, original = self.patches.pop()
            setattr(owner, name, original)

    def _wrap(self, label: str, original):
        totals = self.totals
        perf, cpu = time.perf_counter, time.thread_time

        @functools.wraps(original)
        def timed(*args, **kwargs):
            w0, c0 = perf(), cpu()
            try:
                return original(*args, **kwargs)
            finally:
                row = totals.setdefault(label, [0.0, 0.0, 0])
                row[0] += perf() - w0
                row[1] += cpu() - c0
                row[2] += 1

        return timed

    def run(self, action, count: int) -> list[tuple[str, float, float, float]]:
        """(label, wall ms, CPU ms, calls) per check-in for the parts, over `action`."""
        self.totals.clear()
        w0, c0 = time.perf_counter(), time.thread_time()
        action()
        wall, spent = time.perf_counter() - w0, time.thread_time() - c0
        rows: list[tuple[str, float, float, float]] = [
            ("test Client call (incl. building the body)", wall, spent, count)
        ]
        for label, _owner, _name in self.found:
            row = self.totals.get(label, [0.0, 0.0, 0])
            rows.append((label, row[0], row[1], row[2]))
        return [(label, w * 1000 / count, c * 1000 / count, n / count) for label, w, c, n in rows]


if __name__ == "__main__":
    sys.exit(main())
