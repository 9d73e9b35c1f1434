"""The three parts: (a) faces per second in one process, (c) the check-in latency with
verification off and on, (b) the queue drain of a morning burst."""

from __future__ import annotations

import io
import random
import time
import uuid
from collections import Counter

from django.db import connection
from django.test.utils import override_settings
from PIL import Image

from sigap.attendance.services import CheckInCommand, attendance_check_in
from sigap.core import clock
from sigap.org.models import Employee, Office
from sigap.verification import face, rules
from sigap.verification.bench import broker, seed
from sigap.verification.bench.results import (
    Drain,
    FaceSpeed,
    Latency,
    Progress,
    VerifyBench,
    median_ms,
)
from sigap.verification.bench.selfies import (
    PEOPLE,
    Portrait,
    Selfie,
    claimed,
    load_portraits,
    make_selfies,
)
from sigap.verification.models import CheckVerification

WARM_UP = 4  # untimed check-ins before (c): caches, the broker's connection


def bench_verify(
    *,
    selfies: int = 200,
    burst: int = 2000,
    workers: int = 2,
    check_ins: int = 60,
    keep: bool = False,
    progress: Progress | None = None,
) -> VerifyBench:
    result = VerifyBench(f"{connection.vendor} {connection.settings_dict['NAME']}")
    portraits = load_portraits()
    pool = make_selfies(portraits, selfies, seed=1, progress=progress)
    result.face = face_speed(pool, portraits, progress)
    result.drain_skipped = broker.drain_problem() if burst > 0 else "--burst 0"
    seed.remove_bench_agency()
    try:
        began = time.perf_counter()
        crowd = (
            []
            if result.drain_skipped
            else make_selfies(portraits, burst, seed=2, progress=progress, step="burst selfies")
        )
        people = [claimed(n, s) for n, s in enumerate(crowd)]
        people += [PEOPLE[n % 2] for n in range(len(crowd), WARM_UP + 2 * check_ins)]
        office, employees = seed.seed_agency(people, portraits)
        seeded = time.perf_counter() - began
        result.latency = check_in_latency(employees, pool, check_ins, progress)
        if crowd:
            result.drain = queue_drain(office, employees, crowd, workers, progress)
            result.drain.seed_seconds += seeded
    finally:
        if not keep:
            seed.remove_bench_agency()
    return result


def face_speed(
    selfies: list[Selfie], portraits: dict[str, Portrait], progress: Progress | None = None
) -> FaceSpeed:
    """(a) Decode, analyse and compare each selfie with the claimed person's reference."""
    face.analyse(portraits[PEOPLE[0]].image)  # the models load once per process
    result = FaceSpeed()
    for n, selfie in enumerate(selfies):
        reference = portraits[claimed(n, selfie)].template
        began = time.perf_counter()
        with Image.open(io.BytesIO(selfie.data)) as image:
            image.load()
            found = face.analyse(image)
        best = face.best_distance(found.embedding, [reference]) if found.ok else None
        outcome = rules.face_outcome(found.problem, best, threshold=face.DEFAULT_THRESHOLD)
        result.seconds.append(time.perf_counter() - began)
        result.outcomes[outcome] += 1
        if progress:
            progress("faces", n + 1, len(selfies))
    return result


def check_in_latency(
    people: list[Employee], selfies: list[Selfie], count: int, progress: Progress | None = None
) -> Latency:
    """(c) `count` check-ins each way (an employee each), interleaved, after WARM_UP
    untimed ones; with verification on its task goes to a queue deleted afterwards."""
    from sigap.verification.tasks import verify

    at, rng = seed.morning(), random.Random(5)
    plan = [(n % 2 == 1, False) for n in range(WARM_UP)]
    for k in range(count):
        plan += [(on, True) for on in ((False, True) if k % 2 == 0 else (True, False))]
    result = Latency(broker=str(verify.app.conf.broker_url).split("://", 1)[0])
    with clock.freeze(at), broker.bench_queue(f"{seed.PREFIX}-{uuid.uuid4().hex[:8]}"):
        for n, (on, timed) in enumerate(plan):
            command = CheckInCommand(
                request_id=uuid.uuid4(),
                kind="in",
                point=seed.near_office(rng),
                accuracy_m=round(rng.uniform(4.0, 25.0), 1),
                captured_at=at,
                selfie=selfies[n % len(selfies)].data,
            )
            with override_settings(SIGAP_VERIFICATION=on):
                began = time.perf_counter()
                attendance_check_in(employee=people[n], command=command)
                spent = time.perf_counter() - began
            if timed:
                (result.on if on else result.off).append(spent)
            if progress:
                progress("check-ins", n + 1, len(plan))
    return result


def queue_drain(
    office: Office,
    people: list[Employee],
    crowd: list[Selfie],
    workers: int,
    progress: Progress | None = None,
) -> Drain:
    """(b) Store the burst, start the worker, enqueue every verification at once and
    wait until each check-in has its result."""
    from sigap.verification.tasks import verify

    result = Drain(burst=len(crowd), workers=workers)
    began = time.perf_counter()
    ids = seed.store_burst(office, people, crowd, progress)
    result.seed_seconds = time.perf_counter() - began
    queue = f"{seed.PREFIX}-{uuid.uuid4().hex[:8]}"
    with broker.bench_queue(queue), broker.worker(queue, workers) as process:
        began = time.perf_counter()
        for pk in ids:
            verify.apply_async((pk,), ignore_result=True)
        result.enqueue_seconds = time.perf_counter() - began
        broker.wait_verified(ids, office.agency_id, process, progress)
        result.seconds = time.perf_counter() - began
    rows = CheckVerification.objects.filter(
        check_in_id__gte=ids[0], check_in_id__lte=ids[-1], employee__agency_id=office.agency_id
    )
    result.outcomes = Counter(rows.values_list("face", flat=True))
    result.reasons = Counter(
        r["code"] for found in rows.values_list("reasons", flat=True) for r in found
    )
    result.review = rows.filter(score__gte=rules.Settings().review_threshold).count()
    result.worker_ms = median_ms(list(rows.values_list("seconds", flat=True)))
    return result
