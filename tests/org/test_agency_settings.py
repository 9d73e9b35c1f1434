"""The agency's settings document is validated by every app's reader before it is saved."""

from __future__ import annotations

import pytest

from sigap.org.admin import AgencyForm
from sigap.org.agency_settings import agency_settings_problems
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_the_shipped_defaults_and_good_values_pass():
    agency = AgencyFactory()
    assert agency_settings_problems(agency, {}) == {}
    good = {
        "attendance": {"outside_geofence": "flag", "accuracy_limit_m": 50},
        "arrangements": {"weekly_flexible_cap": 1},
        "requests": {"unit_head_types": ["CB", "CT"], "clarification_working_day": 5},
        "reports": {"deadline_time": "12:00", "required_on_wfo": True},
    }
    assert agency_settings_problems(agency, good) == {}


@pytest.mark.parametrize(
    ("settings", "section"),
    [
        ({"attendance": {"outside_geofence": "warn"}}, "attendance"),
        ({"attendance": {"accuracy_limit_m": "far"}}, "attendance"),
        ({"arrangements": {"weekly_flexible_cap": 9}}, "arrangements"),
        ({"arrangements": {"weekly_flexible_cap": "two"}}, "arrangements"),
        ({"requests": {"unit_head_types": ["XX"]}}, "requests"),
        ({"requests": {"clarification_working_day": 0}}, "requests"),
        ({"reports": {"deadline_time": "25:00"}}, "reports"),
        ({"reports": []}, "reports"),
    ],
)
def test_a_wrong_value_is_named_with_its_section(settings, section):
    problems = agency_settings_problems(AgencyFactory(), settings)
    assert list(problems) == [section]


def test_the_back_office_form_refuses_a_wrong_document():
    agency = AgencyFactory()
    form = AgencyForm(
        instance=agency,
        data={
            "code": agency.code,
            "name": agency.name,
            "time_zone": "Asia/Makassar",
            "settings": '{"arrangements": {"weekly_flexible_cap": 9}}',
        },
    )
    assert not form.is_valid()
    assert "arrangements" in str(form.errors["settings"])
    agency.refresh_from_db()
    assert agency.settings == {}
