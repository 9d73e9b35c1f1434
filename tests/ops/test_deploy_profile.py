"""The production profile passes Django's deployment checks and refuses unsafe setups."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

BASE_ENV = {
    k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "DJANGO_")) and k != "DEBUG"
}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sigap.manage", *args],
        env={**BASE_ENV, "DJANGO_SETTINGS_MODULE": "sigap.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    return {
        "SIGAP_PROFILE": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "sigap.example.go.id",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SIGAP_VAR_DIR": str(tmp_path / "var"),
    }


def test_check_deploy_passes_with_the_production_profile(production) -> None:
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_secure(production) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.LOG_FORMAT, "
        "'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**BASE_ENV, "DJANGO_SETTINGS_MODULE": "sigap.config.settings", **production},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "json",
        "True",
        "[\"'self'\"]",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": "sigap-embedded-insecure-secret-change-me"}, "real SECRET_KEY"),
        ({"SECRET_KEY": "too-short"}, "real SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG must be off"),
    ],
)
def test_production_refuses_to_start_unsafe(production, change, message) -> None:
    result = _run(["check"], **{**production, **change})
    assert result.returncode != 0
    assert message in result.stderr
