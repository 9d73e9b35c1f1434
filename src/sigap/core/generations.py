"""Generation tokens: a cache key part that changes when the data behind it changes.

`generation("org", agency_id)` is read on every use (one cache GET); `bump(...)`
replaces it after an edit, so every key built with the old token stops matching,
in every process. A random token rather than a counter, so a lost key can never
bring stale entries back. `LocalMemo` keeps recently used values in process memory,
keyed by such tokens, so hot paths skip the shared cache's round trip and unpickling.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache


def _key(name: str, scope: Hashable) -> str:
    return f"generation:{name}:{scope}"


LOCAL_SECONDS = 2.0  # how long a process trusts its copy of a token
_local: dict[str, tuple[float, str]] = {}


def generation(name: str, scope: Hashable) -> str:
    """The current token. A process re-reads it from the shared cache at most every
    LOCAL_SECONDS, so an edit reaches the other processes within that time."""
    key = _key(name, scope)
    now = time.monotonic()
    known = _local.get(key)
    if known is not None and now - known[0] < LOCAL_SECONDS:
        return known[1]
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, None)
        token = cache.get(key) or uuid.uuid4().hex  # re-read: another process may have won
    _local[key] = (now, str(token))
    return str(token)


def bump(name: str, scope: Hashable) -> None:
    key = _key(name, scope)
    token = uuid.uuid4().hex
    cache.set(key, token, None)
    _local[key] = (time.monotonic(), token)


def forget_local() -> None:
    """Drop this process's copies (tests, after clearing the shared cache)."""
    _local.clear()


class LocalMemo:
    """A small thread-safe LRU for values whose key includes a generation token."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_load(self, key: Hashable, load: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = load()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
