"""Recording and reading the access log: every view of another person's selfie, location,
health data or face reference (DOMAIN.md section 10). Views and API handlers call
`access_record` right after they authorised and loaded what they show."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.http import HttpRequest

from sigap.core import clock
from sigap.core.models import User
from sigap.org.models import Employee
from sigap.privacy.models import AccessLog, Channel, DataCategory

BATCH = 1000


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the server saw it (REMOTE_ADDR; behind the
    reverse proxy the deployment sets it from the proxy's header)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _actor_name(user: User) -> str:
    employee = getattr(user, "employee", None)
    if employee is not None:
        return employee.name[:200]
    return (user.get_full_name() or user.get_username())[:200]


def access_record(
    *,
    viewer: User,
    subject_ids: Iterable[int],
    category: DataCategory | str,
    what: str = "",
    request: HttpRequest | None = None,
    channel: Channel | str | None = None,
) -> int:
    """Log that `viewer` saw `category` data of the employees `subject_ids` (their own data
    is not logged). Returns the number of rows written. One INSERT per 1,000 people, plus
    one query for their agencies."""
    own = getattr(getattr(viewer, "employee", None), "pk", None)
    ids = {int(i) for i in subject_ids if i is not None and int(i) != own}
    if not ids:
        return 0
    if channel is None:
        path = request.path if request is not None else ""
        channel = Channel.API if path.startswith("/api/") else Channel.PAGE
    agencies = dict(Employee.objects.filter(pk__in=ids).values_list("pk", "agency_id"))
    at = clock.now()
    event = uuid.uuid4()
    rows = [
        AccessLog(
            at=at,
            event=event,
            agency_id=agencies[subject_id],
            actor=viewer,
            actor_name=_actor_name(viewer),
            subject_id=subject_id,
            category=str(category),
            channel=str(channel),
            what=str(what)[:200],
            path=(request.get_full_path() if request is not None else "")[:300],
            ip=client_ip(request),
        )
        for subject_id in sorted(ids)
        if subject_id in agencies
    ]
    AccessLog.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
