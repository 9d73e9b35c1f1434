"""Keep open months' statements current: a changed day (request, correction, review, roll
call mark, report decision) refreshes that employee's statement once the change commits."""

from __future__ import annotations

import threading

from django.db import transaction
from django.dispatch import receiver

from sigap.core.signals import day_facts_changed

_pending = threading.local()


@receiver(day_facts_changed)
def refresh_after_change(sender, *, employee_id: int, date, **kwargs) -> None:
    """Queue one refresh per employee and month per transaction (bulk changes send many)."""
    key = (employee_id, date.year, date.month)
    queued = getattr(_pending, "keys", None)
    if queued is None:
        queued = _pending.keys = set()
    if key in queued:
        return
    queued.add(key)

    def enqueue() -> None:
        queued.discard(key)
        from sigap.discipline.tasks import refresh_statement

        refresh_statement.delay(*key)

    transaction.on_commit(enqueue)
