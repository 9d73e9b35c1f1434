"""Failure counters in the cache (Redis in production) for lock-outs."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def failures(scope: str, ident: str) -> int:
    return int(cache.get(_key(scope, ident), 0))


def record_failure(scope: str, ident: str, *, window_seconds: int) -> int:
    key = _key(scope, ident)
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))
