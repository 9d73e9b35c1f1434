"""A real Celery worker process for the tests that need one (Redis broker, PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def celery_worker(env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """Start `celery worker --pool solo` with `env`; stop it when the block ends."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sigap.config.celery",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{uuid.uuid4().hex[:8]}@localhost",
        ],
        env=env,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
