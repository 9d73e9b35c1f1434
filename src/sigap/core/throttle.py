"""Failure counters in the cache (Redis in production) for lock-outs.

The counters use the `throttle` cache alias when it is configured (production: the same
Redis, but errors are raised instead of ignored), else the default cache. While Redis
is down the lock-out neither fails (500) nor fails open: failures are counted in this
process's memory instead, with the same window. Such a count is per process (a client
spread over N workers gets up to N times the allowance) and it keeps counting after
Redis returns until its window ends, so a lock-out earned during the outage holds.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache import BaseCache, caches

logger = logging.getLogger(__name__)


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def _shared() -> BaseCache:
    return caches["throttle" if "throttle" in settings.CACHES else "default"]


class LocalCounters:
    """Per-process counters with an expiry: the fallback while the shared cache is down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, tuple[int, float]] = {}  # key -> (count, expires at)

    def get(self, key: str) -> int:
        with self._lock:
            count, expires = self._data.get(key, (0, 0.0))
            if expires <= time.monotonic():
                self._data.pop(key, None)
                return 0
            return count

    def incr(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._data.get(key, (0, 0.0))
            if expires <= now:
                count, expires = 0, now + window_seconds
            self._data[key] = (count + 1, expires)
            if len(self._data) > 10_000:  # a flood of identities: drop the expired ones
                self._data = {k: v for k, v in self._data.items() if v[1] > now}
            return count + 1

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


local = LocalCounters()


def _down(operation: str, exc: Exception) -> None:
    logger.warning(
        "throttle: shared cache unavailable for %s (%s: %s); counting in this process",
        operation,
        exc.__class__.__name__,
        str(exc)[:200],
    )


def failures(scope: str, ident: str) -> int:
    key = _key(scope, ident)
    try:
        shared = int(_shared().get(key, 0) or 0)
    except Exception as exc:  # Redis down or hanging: the local count decides
        _down("read", exc)
        shared = 0
    return max(shared, local.get(key))


def record_failure(scope: str, ident: str, *, window_seconds: int) -> int:
    key = _key(scope, ident)
    try:
        return _record_shared(key, window_seconds)
    except Exception as exc:
        _down("write", exc)
        return local.incr(key, window_seconds)


def _record_shared(key: str, window_seconds: int) -> int:
    cache = _shared()
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def reset(scope: str, ident: str) -> None:
    key = _key(scope, ident)
    local.delete(key)
    try:
        _shared().delete(key)
    except Exception as exc:
        _down("reset", exc)
