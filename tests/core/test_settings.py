"""The production profile refuses unsafe settings (run in a subprocess: settings load once)."""

import os
import subprocess
import sys

import pytest

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_settings(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environ.update(env, DJANGO_SETTINGS_MODULE="sigap.config.settings")
    return subprocess.run(
        [sys.executable, "-c", CHECK], env=environ, capture_output=True, text=True, check=False
    )


def test_production_refuses_default_secret():
    result = run_settings(SIGAP_PROFILE="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = run_settings(SIGAP_PROFILE="production", SECRET_KEY="x" * 50, DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_starts_with_a_real_secret():
    result = run_settings(SIGAP_PROFILE="production", SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_boolean_is_refused(value):
    result = run_settings(DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_frozen_time_refused_outside_debug_or_demo():
    result = run_settings(SIGAP_FROZEN_TIME="2026-11-23T07:20", DEBUG="0", SIGAP_DEMO="0")
    assert result.returncode != 0
    assert "SIGAP_FROZEN_TIME" in result.stderr


def test_frozen_time_allowed_in_demo_mode():
    result = run_settings(SIGAP_FROZEN_TIME="2026-11-23T07:20", SIGAP_DEMO="1")
    assert result.returncode == 0, result.stderr
