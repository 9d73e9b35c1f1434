"""Agency.settings["health"]: defaults, accepted values, refusals, and registration with the
back office's settings check."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sigap.health.rules import Requirement
from sigap.health.settings import health_settings
from sigap.org.agency_settings import agency_settings_problems
from sigap.org.models import Agency


def agency(**health) -> Agency:
    return Agency(code="x", name="X", settings={"health": health})


def test_defaults():
    s = health_settings(Agency(code="x", name="X", settings={}))
    assert s.declaration is Requirement.OPTIONAL
    assert s.temperature_threshold_c == Decimal("37.5")
    assert (s.test_interval_days, s.wfh_days, s.reminder_lead_days) == (14, 3, 2)
    assert s.front_line_units == () and s.public_service_positions is False


def test_values_are_read():
    s = health_settings(
        agency(
            declaration="required",
            temperature_threshold_c=38,
            test_interval_days=7,
            front_line_units=["RSUD", "DPMPTSP.B1"],
            public_service_positions=True,
            wfh_days=5,
            reminder_lead_days=0,
        )
    )
    assert s.declaration is Requirement.REQUIRED
    assert s.temperature_threshold_c == Decimal("38.0")
    assert s.front_line_units == ("RSUD", "DPMPTSP.B1")
    assert (s.test_interval_days, s.wfh_days, s.reminder_lead_days) == (7, 5, 0)
    assert s.public_service_positions is True


@pytest.mark.parametrize(
    "bad",
    [
        {"declaration": "sometimes"},
        {"temperature_threshold_c": 35},
        {"temperature_threshold_c": "hot"},
        {"temperature_threshold_c": True},
        {"test_interval_days": 0},
        {"test_interval_days": 2.5},
        {"wfh_days": 15},
        {"reminder_lead_days": -1},
        {"front_line_units": "RSUD"},
        {"front_line_units": [""]},
        {"public_service_positions": "yes"},
        {"colour": "red"},
    ],
)
def test_refusals(bad):
    with pytest.raises(ValidationError):
        health_settings(agency(**bad))


def test_registered_with_the_agency_settings_check():
    problems = agency_settings_problems(Agency(code="x", name="X"), {"health": {"wfh_days": 99}})
    assert "health" in problems
    assert agency_settings_problems(Agency(code="x", name="X"), {"health": {"wfh_days": 2}}) == {}
