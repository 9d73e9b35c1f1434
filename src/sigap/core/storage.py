"""Small helpers over the default storage (local disk or object storage alike)."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone


def files_purge_older(folder: str, *, keep_seconds: int) -> int:
    """Delete the files directly in `folder` older than `keep_seconds` (finished exports
    nobody fetched); returns how many went. A folder not made yet holds nothing."""
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    limit = timezone.now() - dt.timedelta(seconds=keep_seconds)
    removed = 0
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)
            removed += 1
    return removed
