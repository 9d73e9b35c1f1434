"""`sigap bench_verify` (make bench-verify): face verifications per second, the queue drain
time of a morning burst of selfies on real Celery workers, and the check-in latency with
verification on and off (prints figures, asserts nothing).

Selfies are real photos: the public-domain portraits of tests/fixtures/faces (two people),
each placed at a random size, place and tilt in front of a random scene, mirrored or not,
lighter or darker, JPEG-encoded at a random quality; one in 25 is a made-up scene with no
face and one in 50 comes with someone else's check-in (a mismatch).

(a) In this one process: decode, analyse (detector, landmarks, embedding) and compare each
    of `--selfies` selfies with the claimed person's reference, as the worker does.
(b) It seeds its own agency (code BENCH-VERIFY, removed afterwards unless --keep) in
    DATABASE_URL's database: an employee per selfie of the burst, each with an active face
    reference (the portraits' templates, computed once), and `--burst` check-ins with their
    selfies stored under bench-verify/ in the default storage (deleted afterwards). It
    starts a real `celery worker` (prefork, `--workers` processes, default the CPU count)
    on a queue of the bench's own, so no other worker takes the bench's messages, enqueues
    `verification.verify` for every check-in at once on the real broker and times from the
    first enqueue until every check-in has its verification. Tasks that a verification
    sends (a flagged day's statement refresh) run inline in the worker, so nothing of the
    bench is left on the broker. Needs Redis; skipped without it.
(c) `--check-ins` calls of attendance_check_in each way, interleaved (the service every
    channel calls: a real selfie, an employee inside their office geofence, the clock frozen
    at 07:25 on the latest working day). With verification on, the task is only enqueued
    after the commit; no worker runs then and the messages are deleted afterwards.

Modules: `selfies` (the photos), `seed` (the agency, the burst, cleaning up), `broker` (the
bench's queue and the worker), `results` (the figures), `run` (the three parts).
"""

from sigap.verification.bench.results import BenchError, Drain, FaceSpeed, Latency, VerifyBench
from sigap.verification.bench.run import bench_verify
from sigap.verification.bench.seed import CODE, remove_bench_agency

__all__ = [
    "CODE",
    "BenchError",
    "Drain",
    "FaceSpeed",
    "Latency",
    "VerifyBench",
    "bench_verify",
    "remove_bench_agency",
]
