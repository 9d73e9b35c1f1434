"""Subprocess: SQL statements per check-in and where one check-in's time goes.

    DATABASE_URL=... SIGAP_DEMO=1 SIGAP_FROZEN_TIME=... \
        python -m sigap.attendance.bench.measure --tokens tokens.jsonl --captured-at ISO

Sends real check-ins in-process through Django's test Client (the whole middleware and
ninja stack, bearer token, multipart selfie) against the bench database and cache:

- statements: CaptureQueriesContext around one check-in, SAVEPOINT/RELEASE excluded
  (Django also records BEGIN and COMMIT: they are counted, and shown apart);
  "cold" is an employee's first check-in with nothing of theirs cached, "warm" the next
  one; office workers and shift workers separately (their arrangement differs);
- timing: the mean wall time of warm check-ins without a profiler, then a cProfile of the
  same and the cumulative milliseconds per check-in of the parts of the hot path.

The JSON result is the last line of stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import uuid

# (label, file path fragment, function name): cumulative time per check-in in the profile
COMPONENTS = (
    ("request total (handler)", "django/core/handlers/base.py", "get_response"),
    ("multipart parsing", "django/http/multipartparser.py", "parse"),
    ("token_resolve (auth)", "sigap/core/tokens.py", "token_resolve"),
    ("current_employee", "sigap/attendance/api.py", "current_employee"),
    ("attendance_check_in", "sigap/attendance/services.py", "attendance_check_in"),
    ("  arrangement_for", "sigap/attendance/context.py", "arrangement_for"),
    ("  process_selfie", "sigap/attendance/selfie.py", "process_selfie"),
    ("    decode (img.load)", "sigap/attendance/selfie.py", "_decode"),
    ("    normalise (rgb, thumbnail)", "sigap/attendance/selfie.py", "_normalised"),
    ("    encode JPEG", "sigap/attendance/selfie.py", "_encode_jpeg"),
    ("    sha256 + exif", "sigap/attendance/selfie.py", "_exif_facts"),
    ("  store selfie file", "django/core/files/storage/base.py", "save"),
    ("  _store_event (INSERT)", "sigap/attendance/services.py", "_store_event"),
    ("  _apply_event (day)", "sigap/attendance/services.py", "_apply_event"),
    ("response (presenter + schema)", "ninja/operation.py", "_result_to_response"),
    ("SQL execution (all)", "django/db/backends/utils.py", "_execute"),
    ("cache get (django-redis)", "django_redis/client/default.py", "get"),
    ("cache set (django-redis)", "django_redis/client/default.py", "set"),
)
IGNORED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK")  # counted, but shown apart from data statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--captured-at", required=True)
    parser.add_argument("--profile", type=int, default=40, help="warm check-ins to profile")
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

    # timing: warm check-ins of office workers, first without then with the profiler
    sample = office[-min(20, len(office)) :] or people[-20:]
    for person in sample:
        post(person)  # warm their caches
    runs = max(args.profile, 1)
    started = time.perf_counter()
    for i in range(runs):
        post(sample[i % len(sample)])
    result["plain_ms"] = (time.perf_counter() - started) * 1000 / runs
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(runs):
        post(sample[i % len(sample)])
    profiler.disable()
    stats = pstats.Stats(profiler)
    result["profile"] = _components(stats, runs)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    result["profile_top"] = text.getvalue()
    print(json.dumps(result))
    return 0


def _components(stats: pstats.Stats, runs: int) -> list[tuple[str, float]]:
    table = stats.stats  # type: ignore[attr-defined]
    rows = []
    for label, path, name in COMPONENTS:
        total = 0.0
        for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in table.items():
            if func == name and path in filename.replace("\\", "/"):
                total += ct
        rows.append((label, total * 1000 / runs))
    return rows


if __name__ == "__main__":
    sys.exit(main())
