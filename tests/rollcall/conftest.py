from __future__ import annotations

import pytest

from tests.rollcall.fixtures import build_small_agency


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The small agency has twenty accounts: Argon2 would take seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small(db):
    return build_small_agency()
