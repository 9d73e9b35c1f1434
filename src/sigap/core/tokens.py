"""Issue, resolve and revoke per-device API tokens (hashed, expiring, cached)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from sigap.core import clock
from sigap.core.models import ApiToken, User

TOKEN_PREFIX = "sgp_"  # noqa: S105 (a prefix, not a secret)
CACHE_SECONDS = 300


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: dt.datetime
    record: ApiToken


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _cache_key(key_hash: str) -> str:
    return f"apitoken:{key_hash}"


@transaction.atomic
def token_issue(*, user: User, device_id: str, device_name: str) -> IssuedToken:
    """A new token for this device; an older live token of the same device is revoked."""
    now = clock.now()
    for old in ApiToken.objects.select_for_update().filter(
        user=user, device_id=device_id, revoked_at__isnull=True
    ):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
        cache.delete(_cache_key(old.key_hash))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user=user,
        key_hash=hash_token(raw),
        device_id=device_id,
        device_name=device_name,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.SIGAP_TOKEN_TTL_DAYS),
    )
    record.full_clean()
    record.save()
    return IssuedToken(token=raw, expires_at=record.expires_at, record=record)


def token_resolve(raw: str) -> ApiToken | None:
    """The live token for `raw`, or None (unknown, revoked, expired, inactive user).

    The cache holds a few plain values, not model instances: cheap to (un)pickle on
    the check-in hot path. The returned token's `user` loads lazily (by primary key)
    only when a handler needs more than `user_id`.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 128:
        return None
    key_hash = hash_token(raw)
    cached = cache.get(_cache_key(key_hash))
    if cached is None:
        row = (
            ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True)
            .values_list("pk", "user_id", "device_id", "expires_at", "user__is_active")
            .first()
        )
        if row is None:
            return None
        cached = row
        cache.set(_cache_key(key_hash), cached, timeout=CACHE_SECONDS)
    pk, user_id, device_id, expires_at, user_active = cached
    if expires_at <= clock.now() or not user_active:
        return None
    return ApiToken(
        pk=pk, user_id=user_id, key_hash=key_hash, device_id=device_id, expires_at=expires_at
    )


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    cache.delete(_cache_key(token.key_hash))
