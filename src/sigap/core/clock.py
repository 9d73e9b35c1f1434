"""The only place that reads the time.

`now()` is an aware UTC datetime. SIGAP_FROZEN_TIME (a local date-time in
settings.TIME_ZONE, allowed only with DEBUG or SIGAP_DEMO) fixes it for demos and
acceptance tests; tests use `freeze()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings

UTC = dt.UTC
_override: dt.datetime | None = None


def parse_frozen(value: str, zone: str) -> dt.datetime:
    """'2026-11-23T07:20' in `zone` -> aware UTC datetime. An explicit offset wins."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed.astimezone(UTC)


def now() -> dt.datetime:
    if _override is not None:
        return _override
    frozen = getattr(settings, "SIGAP_FROZEN_TIME", "")
    if frozen:
        return parse_frozen(frozen, settings.TIME_ZONE)
    return dt.datetime.now(UTC)


def local_now(zone: str) -> dt.datetime:
    return now().astimezone(ZoneInfo(zone))


def today(zone: str) -> dt.date:
    return local_now(zone).date()


def is_frozen() -> bool:
    return _override is not None or bool(getattr(settings, "SIGAP_FROZEN_TIME", ""))


@contextmanager
def freeze(at: dt.datetime) -> Iterator[None]:
    """Fix `now()` to `at` (aware) inside the block."""
    global _override
    if at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    previous, _override = _override, at.astimezone(UTC)
    try:
        yield
    finally:
        _override = previous
