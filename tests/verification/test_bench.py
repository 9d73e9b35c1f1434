"""`sigap bench_verify` on a small scale: the figures are printed and the bench leaves
nothing behind (agency, check-ins, files, its queue on the broker). `media` (a private
MEDIA_ROOT) comes from this package's conftest."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from sigap.attendance.models import CheckIn
from sigap.org.models import Agency, Employee
from sigap.verification.bench import CODE
from sigap.verification.bench.selfies import load_portraits, make_selfies
from sigap.verification.models import CheckVerification, FaceReference

NUMBER = r"[+-]?\d+(?:\.\d+)?"


def run_bench(**options) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("bench_verify", no_progress=True, stdout=out, **options)
    return out.getvalue()


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def assert_nothing_left(media) -> None:
    assert not Agency.objects.filter(code=CODE).exists()
    assert not Employee.objects.exists()
    assert not CheckIn.objects.exists()
    assert not CheckVerification.objects.exists()
    assert not FaceReference.objects.exists()
    assert stored_files(media) == []


def test_selfies_show_the_person_or_no_face():
    portraits = load_portraits()
    selfies = make_selfies(portraits, 25, seed=3)
    assert [s.person for s in selfies[:4]] == ["astronaut", "grace_hopper"] * 2
    assert selfies[24].person is None  # one in 25 has no face
    assert len({s.data for s in selfies}) == 25  # every one a new photo


@pytest.mark.django_db(transaction=True)
def test_bench_prints_face_speed_and_check_in_latency(media):
    output = run_bench(selfies=4, burst=0, check_ins=3)

    assert re.search(
        rf"^\(a\) Face verification in one process: {NUMBER} selfies per second; "
        rf"median {NUMBER} ms, p95 {NUMBER} ms per selfie over 4 selfies",
        output,
        re.M,
    ), output
    assert re.search(r"^    outcomes: matched 4$", output, re.M), output
    assert "(b) Morning burst skipped: --burst 0" in output
    assert re.search(r"^\(c\) Check-in latency .* 3 check-ins each way", output, re.M)
    for line in (
        rf"^    verification off: median {NUMBER} ms, p95 {NUMBER} ms$",
        rf"^    verification on \(enqueued after the commit\): median {NUMBER} ms, p95 {NUMBER} ms$",
        rf"^    difference \(on - off\): median {NUMBER} ms \({NUMBER} %\), p95 {NUMBER} ms: ",
    ):
        assert re.search(line, output, re.M), output
    assert_nothing_left(media)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_bench_drains_a_small_burst_on_a_real_worker(postgres, redis_cache, media):
    import redis

    output = run_bench(selfies=2, burst=6, workers=1, check_ins=2)

    assert re.search(
        rf"^\(b\) Morning burst of 6 selfies on 1 worker processes: every check-in verified "
        rf"{NUMBER} s after the first enqueue \({NUMBER} per second\)",
        output,
        re.M,
    ), output
    # the first six selfies all show their own person (the 25th has no face, the 26th
    # comes with someone else's check-in)
    assert re.search(r"^    outcomes: matched 6; \d+ sent to review", output, re.M), output
    assert "(c) Check-in latency" in output
    assert_nothing_left(media)
    # the bench's queue and its bindings are gone from the broker
    assert redis.Redis.from_url(settings.REDIS_URL).keys("*bench-verify-*") == []
