"""In-app notifications: one way to tell a user something happened (created on commit)."""

from __future__ import annotations

from django.db import transaction

from sigap.core import clock
from sigap.core.models import Notification


def notify(*, user_id: int | None, kind: str, title: str, body: str = "", url: str = "") -> None:
    """Queue a notification for `user_id` once the surrounding transaction commits."""
    if user_id is None:
        return

    def create() -> None:
        Notification.objects.create(
            user_id=user_id,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            url=url[:300],
            created_at=clock.now(),
        )

    transaction.on_commit(create)


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
