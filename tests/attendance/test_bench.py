"""Smoke tests of `sigap bench_checkin`'s pieces (fast), and of a tiny full run (slow,
only with SIGAP_RUN_BENCH=1). A benchmark prints figures: nothing here asserts a timing."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import call_command
from PIL import Image

from sigap.attendance.bench import environment as envmod
from sigap.attendance.bench import report
from sigap.attendance.bench.load import LoadSpec, Person, run_load
from sigap.attendance.bench.payload import SELFIE_TARGET_BYTES, Multipart, make_selfie
from sigap.attendance.selfie import process_selfie
from sigap.worktime.holidays import national_holidays
from sigap.worktime.rules import is_office_working_day

CAPTURED_AT = "2026-11-23T07:25:00+08:00"


@pytest.fixture(scope="module")
def selfies() -> list[bytes]:
    return [make_selfie(1), make_selfie(2)]


def test_selfies_are_real_60_kb_portrait_jpegs(selfies):
    assert selfies[0] != selfies[1]
    for data in selfies:
        assert abs(len(data) - SELFIE_TARGET_BYTES) < 0.15 * SELFIE_TARGET_BYTES
        with Image.open(io.BytesIO(data)) as img:
            assert (img.format, img.size) == ("JPEG", (480, 640))
        processed = process_selfie(data)  # what the server does with it
        assert processed.source_format == "JPEG"


def _parse(body: bytes, content_type: str) -> WSGIRequest:
    return WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/attendance/check-ins",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
        }
    )


def test_pre_encoded_multipart_body_is_what_django_parses(selfies):
    multipart = Multipart.build(selfies)
    head = multipart.employee_head(latitude=-2.68, longitude=118.89, captured_at=CAPTURED_AT)
    request_id = uuid.uuid4()
    request = _parse(multipart.body(head, request_id, 1), multipart.content_type)
    assert request.POST.dict() == {
        "kind": "in",
        "latitude": "-2.6800000",
        "longitude": "118.8900000",
        "accuracy_m": "10",
        "captured_at": CAPTURED_AT,
        "request_id": str(request_id),
    }
    assert request.FILES["selfie"].read() == selfies[1]


def test_percentile_and_targets():
    values = list(range(1, 101))
    assert report.percentile(values, 50) == 50
    assert report.percentile(values, 99) == 99
    assert report.percentile([], 50) is None
    verdicts = report.targets(rate=250, p99=120.0, sql=7, ratio=0.1)
    assert [t.met for t in verdicts] == [True, True, False, False]
    assert report.targets(rate=10, p99=None, sql=None, ratio=None)[1].met is None


@pytest.mark.parametrize(
    "today", [dt.date(2026, 11, 23), dt.date(2026, 11, 22), dt.date(2026, 8, 17)]
)
def test_frozen_time_is_a_working_morning(today):
    frozen = envmod.frozen_check_in_time(today)
    holidays = national_holidays(frozen.year)
    assert frozen.time() == dt.time(7, 25)
    assert is_office_working_day(frozen.date(), holidays)
    assert today - dt.timedelta(days=7) < frozen.date() <= today


def test_only_a_bench_database_may_be_created_or_dropped(tmp_path):
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "sigap", "HOST": "127.0.0.1"}
    ok = envmod.parse_database_url("postgresql://postgres@127.0.0.1:5432/sigap_bench", tmp_path)
    envmod.check_not_users_database(ok, pg)
    for url, users in [
        ("postgresql://postgres@127.0.0.1:5432/sigap", pg),
        ("postgresql://postgres@127.0.0.1/sigap_bench", {**pg, "NAME": "sigap_bench"}),
        (f"sqlite:///{tmp_path / 'mine.sqlite3'}", pg),
    ]:
        with pytest.raises(ValueError):
            envmod.check_not_users_database(envmod.parse_database_url(url, tmp_path), users)
    sqlite = envmod.parse_database_url("sqlite:///var/bench/sigap_bench.sqlite3", tmp_path)
    assert sqlite.name == str(tmp_path / "var" / "bench" / "sigap_bench.sqlite3")
    envmod.check_not_users_database(sqlite, pg)


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like gunicorn's gthread worker
    seen: list[tuple[str, str, int]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.headers["Authorization"], self.headers["Content-Type"], len(body)))
        status = 201 if b'name="request_id"' in body else 400
        payload = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


def test_load_generator_against_a_local_server(selfies):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        multipart = Multipart.build(selfies)
        head = multipart.employee_head(latitude=-2.68, longitude=118.89, captured_at=CAPTURED_AT)
        people = tuple(Person(token=f"sgp_{i}", head=head) for i in range(5))
        spec = LoadSpec(
            port=server.server_address[1],
            multipart=multipart,
            people=people,
            processes=1,
            concurrency=2,
            warmup=0.2,
            duration=0.6,
        )
        result = run_load(spec)
    finally:
        server.shutdown()
        server.server_close()
    assert result.ok > 0
    assert result.failed == 0
    assert len(result.latencies_ms) == result.completed == result.ok
    assert len(result.cold_latencies_ms) + len(result.warm_latencies_ms) == result.ok
    tokens = {auth for auth, _ctype, _size in _Recorder.seen}
    assert tokens <= {f"Bearer sgp_{i}" for i in range(5)}
    assert all(ctype == multipart.content_type for _a, ctype, _s in _Recorder.seen)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(
    os.environ.get("SIGAP_RUN_BENCH") != "1", reason="the full bench runs with SIGAP_RUN_BENCH=1"
)
def test_tiny_full_run():
    out = io.StringIO()
    call_command(
        "bench_checkin",
        employees=450,
        duration=2,
        warmup=1,
        concurrency=4,
        workers=2,
        insert_seconds=1,
        profile=5,
        port=_free_port(),
        no_progress=True,
        stdout=out,
    )
    text = out.getvalue()
    assert "check-ins/s" in text
    assert "non-2xx        : 0   errors: 0" in text
    assert "SQL/check-in" in text
    run_dir = Path(settings.BASE_DIR) / "var" / "bench" / f"run-{os.getpid()}"
    assert not run_dir.exists(), "the run's files are removed"
