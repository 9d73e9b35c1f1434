"""The bench's own queue on the broker, and the real Celery worker that drains it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from sigap.attendance.bench.environment import redis_url_if_answers
from sigap.verification.bench.results import BenchError, Progress
from sigap.verification.models import CheckVerification

READY_SECONDS = 60.0  # the worker answers a ping within this
STALL_SECONDS = 120.0  # the burst fails when no verification lands for this long
POLL_SECONDS = 0.25


def drain_problem() -> str:
    """Why the burst cannot run here ("" when it can): it needs Redis and a database
    that the worker's processes can open."""
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    if not redis_url_if_answers(settings.REDIS_URL):
        return f"Redis does not answer at {settings.REDIS_URL}"
    if not database_url():
        return "the database is in memory"
    return ""


def database_url() -> str:
    """This process's database as a URL for the worker, also a test database ("" for an
    in-memory SQLite)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "postgres", safe="")
        auth = f"{user}:{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else user
        host = db["HOST"] or "127.0.0.1"
        return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{quote(str(db['NAME']), safe='')}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    return ""


@contextlib.contextmanager
def bench_queue(name: str) -> Iterator[None]:
    """Inside the block this process sends every task (never runs it eagerly) to the
    queue `name`; the queue and whatever is left in it are deleted afterwards."""
    from sigap.verification.tasks import verify

    app = verify.app
    previous = {key: app.conf[key] for key in ("task_always_eager", "task_routes")}
    app.conf.update(task_always_eager=False, task_routes={"*": {"queue": name}})
    try:
        yield
    finally:
        app.conf.update(**previous)
        with app.connection_for_write() as broker:
            queue = app.amqp.queues.new_missing(name)(broker.default_channel)
            queue.declare()  # known to this channel, so that delete() unbinds it too
            queue.delete()


@contextlib.contextmanager
def worker(queue: str, concurrency: int) -> Iterator[subprocess.Popen]:
    """`celery worker` (prefork, `concurrency` processes) on `queue` with this process's
    database, media and broker; it answers a ping inside the block. Tasks it sends run
    inline (CELERY_TASK_ALWAYS_EAGER), so none is left on the broker."""
    from sigap.verification.tasks import verify

    name = f"{queue}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sigap.config.settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": str(verify.app.conf.broker_url),
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    argv = [sys.executable, "-m", "celery", "-A", "sigap.config.celery", "worker"]
    argv += ["--pool", "prefork", "--concurrency", str(concurrency), "--queues", queue]
    argv += ["--hostname", name, "--loglevel", "WARNING"]
    argv += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + READY_SECONDS
            while not verify.app.control.ping(destination=[name], timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise BenchError("the Celery worker did not start")
            yield process
        except BenchError as exc:
            raise BenchError(f"{exc}; its log:\n{_tail(log)}") from exc
        finally:
            _stop(process)


def _tail(log, lines: int = 20) -> str:
    log.seek(0)
    return "\n".join(log.read().decode(errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen) -> None:
    """A warm shutdown; the worker's process group (started here) is killed if it hangs."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_verified(
    ids: list[int], agency_id: int, process: subprocess.Popen, progress: Progress | None
) -> None:
    """Until every check-in of `ids` (ascending) has its verification."""
    done, changed = 0, time.monotonic()
    verified = CheckVerification.objects.filter(
        check_in_id__gte=ids[0], check_in_id__lte=ids[-1], employee__agency_id=agency_id
    )
    while done < len(ids):
        time.sleep(POLL_SECONDS)
        count = verified.count()
        if count != done:
            done, changed = count, time.monotonic()
            if progress:
                progress("verified", done, len(ids))
        if process.poll() is not None:
            raise BenchError(f"the Celery worker stopped (exit {process.returncode})")
        if time.monotonic() - changed > STALL_SECONDS:
            raise BenchError(f"no verification for {STALL_SECONDS:.0f} s ({done} of {len(ids)})")
