"""Smoke tests of `sigap bench_checkin`'s pieces (fast), the morning-peak schedule (pure,
table-driven), a tiny peak run end to end (always: about 30 s on a quiet machine), and a
tiny closed-loop run (slow, only with SIGAP_RUN_BENCH=1). A benchmark prints figures:
nothing here asserts a server's timing."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import threading
import time
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
from sigap.attendance.bench.arrivals import (
    MorningShape,
    arrival_schedule,
    busiest_span,
    morning_clock,
)
from sigap.attendance.bench.load import LoadSpec, Person, run_load
from sigap.attendance.bench.openloop import PeakResult, PeakSpec, run_peak
from sigap.attendance.bench.payload import SELFIE_TARGET_BYTES, Multipart, make_selfie
from sigap.attendance.bench.peakreport import peak_figures
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


def _bench_database_url(tmp_path: Path) -> str:
    """This run's own bench database: beside the tests' PostgreSQL database, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base, _slash, name = url.rpartition("/")
        return f"{base}/{name.split('?')[0]}_bench"
    return f"sqlite:///{tmp_path / 'peak_bench.sqlite3'}"


@pytest.mark.skipif(
    os.environ.get("SIGAP_RUN_BENCH") != "1", reason="the full bench runs with SIGAP_RUN_BENCH=1"
)
def test_tiny_full_run(tmp_path):
    out = io.StringIO()
    call_command(
        "bench_checkin",
        database_url=_bench_database_url(tmp_path),
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


# --- the morning peak (sigap bench_checkin --peak) ------------------------------------


@pytest.mark.parametrize(
    ("employees", "window_s", "peak_before_s", "compress"),
    [
        (10_000, 900.0, 120.0, 4.0),  # the shape, compressed to 225 s
        (10_000, 900.0, 120.0, 1.0),  # the natural morning
        (3_000, 600.0, 0.0, 2.0),  # peak exactly at the start of work
        (3_000, 600.0, 300.0, 3.0),  # peak mid-window
        (1, 900.0, 120.0, 4.0),
        (0, 900.0, 120.0, 4.0),
    ],
)
def test_arrival_schedule_everyone_once_inside_the_window(
    employees, window_s, peak_before_s, compress
):
    shape = MorningShape(window_s=window_s, peak_before_s=peak_before_s, compress=compress, seed=11)
    schedule = arrival_schedule(employees=employees, shape=shape)
    assert sorted(a.employee for a in schedule) == list(range(employees))
    times = [a.at_s for a in schedule]
    assert times == sorted(times)
    assert all(0 <= t <= window_s / compress for t in times)
    assert shape.run_seconds == window_s / compress


@pytest.mark.parametrize(
    ("window_s", "peak_before_s", "compress"),
    [(900.0, 120.0, 4.0), (900.0, 120.0, 1.0), (600.0, 300.0, 2.0), (900.0, 600.0, 3.0)],
)
def test_arrival_schedule_peaks_where_configured(window_s, peak_before_s, compress):
    shape = MorningShape(window_s=window_s, peak_before_s=peak_before_s, compress=compress)
    times = [a.at_s for a in arrival_schedule(employees=20_000, shape=shape)]
    bins = [0] * 20  # 5 % of the window each
    for t in times:
        bins[min(int(t / shape.run_seconds * 20), 19)] += 1
    busiest = max(range(20), key=bins.__getitem__)
    peak_bin = int(shape.peak_at_s / shape.run_seconds * 20)
    assert abs(busiest - peak_bin) <= 1
    # the triangle's height: 2 x the mean rate (within sampling noise)
    _start, in_10s = busiest_span(times, 10.0)
    expected = shape.peak_density_per_s(20_000)
    assert 0.8 * expected <= in_10s / 10 <= 1.3 * expected
    # the share of arrivals before each fifth of the window follows the triangle's CDF
    mode = 1 - peak_before_s / window_s
    for x in (0.2, 0.4, 0.6, 0.8):
        cdf = x * x / mode if x <= mode else 1 - (1 - x) ** 2 / (1 - mode)
        share = sum(1 for t in times if t < x * shape.run_seconds) / len(times)
        assert abs(share - cdf) < 0.02


def test_arrival_schedule_is_deterministic_with_a_seed():
    shape = MorningShape(seed=5)
    first = arrival_schedule(employees=500, shape=shape)
    assert first == arrival_schedule(employees=500, shape=shape)
    assert first != arrival_schedule(employees=500, shape=MorningShape(seed=6))


@pytest.mark.parametrize(
    "kwargs",
    [{"window_s": 0}, {"compress": 0}, {"peak_before_s": -1}, {"peak_before_s": 901}],
)
def test_morning_shape_refuses_impossible_shapes(kwargs):
    with pytest.raises(ValueError):
        MorningShape(**kwargs)


@pytest.mark.parametrize(
    ("times", "width", "expected"),
    [
        ([], 1.0, (0.0, 0)),
        ([0.5], 1.0, (0.5, 1)),
        ([0.0, 0.5, 0.99, 1.0, 2.5], 1.0, (0.0, 3)),  # half-open: 1.0 is outside [0, 1)
        ([0.0, 2.0, 2.1, 2.2, 5.0], 1.0, (2.0, 3)),
        ([0.0, 2.0, 2.1, 2.2, 5.0], 10.0, (0.0, 5)),
    ],
)
def test_busiest_span(times, width, expected):
    assert busiest_span(times, width) == expected


def test_morning_clock_maps_run_seconds_to_the_morning():
    shape = MorningShape(window_s=900, compress=4)
    assert morning_clock(0, shape=shape) == "07:15:00"
    assert morning_clock(shape.peak_at_s, shape=shape) == "07:28:00"
    assert morning_clock(shape.run_seconds, shape=shape) == "07:30:00"


def _result(rows: list[tuple[float, float, float, int]]) -> PeakResult:
    result = PeakResult(elapsed_s=max(at + lat / 1000 for at, _l, lat, _s in rows))
    for at, lag, latency, status in rows:
        result.at_s.append(at)
        result.lag_ms.append(lag)
        result.latency_ms.append(latency)
        result.done_s.append(at + latency / 1000)
        result.status.append(status)
    return result


def test_peak_figures_pass_and_fail():
    shape = MorningShape(window_s=120, peak_before_s=30, compress=4)  # a 15 s minute
    planned = [i / 8 for i in range(240)]  # 8 a second for 30 s (exact binary fractions)
    fast = _result([(t, 1.0, 100.0, 201) for t in planned])
    figures = peak_figures(result=fast, shape=shape, planned=planned)
    assert figures["verdict"] == "PASS"
    assert figures["arrivals"] == {"planned": 240, "sent": 240, "accepted": 240}
    assert figures["peak_rate"]["per_1s"] == 8
    assert figures["peak_rate"]["per_10s"] == 80
    assert figures["peak_minute"]["arrivals"] == 120
    assert figures["peak_minute"]["run_s"] == [0.0, 15.0]
    assert figures["latency_ms"]["p99"] == 100.0
    assert figures["targets"]["client_kept_up"] is True

    slow_peak = _result([(t, 80.0, 900.0 if 10 <= t < 13 else 100.0, 201) for t in planned])
    figures = peak_figures(result=slow_peak, shape=shape, planned=planned)
    assert figures["verdict"] == "FAIL"
    assert figures["latency_ms"]["p99"] == 900.0
    assert figures["targets"]["client_kept_up"] is False

    refused = _result([(t, 1.0, 100.0, 503 if t < 1 else 201) for t in planned])
    figures = peak_figures(result=refused, shape=shape, planned=planned)
    assert figures["verdict"] == "FAIL"
    assert figures["statuses"] == {"201": 232, "503": 8}
    assert figures["non_2xx"] == 8


class _SlowRecorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[float, str]] = []
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        with self.lock:
            self.seen.append((time.time(), self.headers["Authorization"]))
        time.sleep(0.4)  # slower than the arrivals: a closed loop would fall behind
        payload = b'{"ok": true}'
        self.send_response(201)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


def test_open_loop_sends_on_schedule_whatever_the_server_does(selfies):
    _SlowRecorder.seen.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    multipart = Multipart.build(selfies)
    head = multipart.employee_head(latitude=-2.68, longitude=118.89, captured_at=CAPTURED_AT)
    people = tuple(Person(token=f"sgp_{i}", head=head) for i in range(12))
    arrivals = tuple((i * 0.05, (i * 5) % 12) for i in range(12))  # all within 0.55 s
    spec = PeakSpec(
        port=server.server_address[1],
        multipart=multipart,
        people=people,
        arrivals=arrivals,
        processes=2,
    )
    try:
        result = run_peak(spec)
    finally:
        server.shutdown()
        server.server_close()
    assert result.sent == result.ok == 12
    assert sorted(auth for _t, auth in _SlowRecorder.seen) == sorted(
        f"Bearer sgp_{i}" for i in range(12)
    )
    # all 12 reached the server within about 0.6 s although each takes 0.4 s to answer
    # (a closed loop of 2 clients would have needed 2.4 s)
    assert max(t for t, _a in _SlowRecorder.seen) - result.begin < 1.2
    assert min(result.latency_ms) >= 400
    assert max(result.lag_ms) < 200
    assert sorted(result.at_s) == [at for at, _p in arrivals]


def test_tiny_peak_run_prints_the_figures(tmp_path):
    """The whole peak mode end to end: a few hundred employees in about 6 seconds."""
    out = io.StringIO()
    results = tmp_path / "peak.json"
    call_command(
        "bench_checkin",
        peak=True,
        employees=420,
        window=60,
        peak_before=10,
        compress=10,
        workers=2,
        port=_free_port(),
        database_url=_bench_database_url(tmp_path),
        results=str(results),
        no_progress=True,
        stdout=out,
    )
    text = out.getvalue()
    for label in (
        "arrivals       :",
        "peak arrivals  :",
        "throughput     :",
        "latency        :",
        "peak minute    :",
        "client lag     :",
        "CPU over run   :",
        "machine        :",
        "database       :",
        "seeding        :",
    ):
        assert label in text
    assert "PEAK PASS" in text or "PEAK FAIL" in text
    figures = json.loads(results.read_text())
    planned = figures["arrivals"]["planned"]
    assert 300 < planned <= 420
    assert figures["arrivals"]["sent"] == planned
    assert figures["arrivals"]["accepted"] == planned, text  # every check-in accepted
    assert figures["non_2xx"] == 0 and not figures["errors"]
    assert figures["shape"]["run_s"] == 6
    run_dir = Path(settings.BASE_DIR) / "var" / "bench" / f"run-{os.getpid()}"
    assert not run_dir.exists(), "the run's files are removed"
