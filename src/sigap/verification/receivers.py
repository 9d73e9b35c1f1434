"""Verify every stored check-in in the background (Celery; eagerly in the embedded mode).

The check-in request does not wait for the broker: the id is handed to a per-process
publisher thread (a queue put: microseconds) that enqueues `verification.verify`. If the
process dies before publishing, or the broker is down, nothing is lost: the
`verification.sweep` beat job enqueues every recent check-in still without a result.
In the eager mode (no broker) the verification runs inline, as before.
"""

from __future__ import annotations

import logging
import queue
import threading

from django.conf import settings
from django.dispatch import receiver

from sigap.core.signals import check_in_recorded

log = logging.getLogger(__name__)
_pending: queue.SimpleQueue[int] = queue.SimpleQueue()
_started = threading.Lock()
_thread: threading.Thread | None = None


def _publish_forever() -> None:
    from sigap.verification.tasks import verify

    while True:
        check_in_id = _pending.get()
        try:
            verify.delay(check_in_id)
        except Exception:  # the broker is down: the sweep enqueues it later
            log.warning("verification of check-in %s not enqueued; the sweep will", check_in_id)


def _publisher() -> None:
    global _thread
    with _started:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(
                target=_publish_forever, name="verify-publisher", daemon=True
            )
            _thread.start()


@receiver(check_in_recorded)
def verify_later(sender, *, check_in_id: int, **kwargs) -> None:
    if not getattr(settings, "SIGAP_VERIFICATION", True):
        return
    from sigap.verification.tasks import verify

    if verify.app.conf.task_always_eager:  # no broker: run it here, as every task does
        verify.delay(check_in_id)
        return
    _publisher()
    _pending.put(check_in_id)
