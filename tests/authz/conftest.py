"""The world is built once per module inside an outer transaction that is rolled back
at the end; each case runs in its own savepoint (the `db` fixture nests in it), so a
write by an allowed role is undone before the next case. Private files go to a
temporary media root; the clock stands still on Monday 2026-11-23 09:00 WITA."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from sigap.core import clock
from tests.authz.world import NOW, World, world_build

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("authz-media")
    with (
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER),
        clock.freeze(NOW),
        django_db_blocker.unblock(),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def in_world(world: World, db, _clean_cache) -> World:
    """The world for one case: its own savepoint, the jobs back in the emptied cache."""
    world.jobs_restore()
    return world
