"""The attendance dashboard (/dasbor/): who sees what (agency roles: every OPD; a unit head:
their unit; a plain employee: 403), the drill-down to sub-units and people (local times),
the polled numbers partial, Indonesian formats and bounded queries."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sigap.org.models import Role
from tests.factories import EmployeeFactory, RoleFactory, UnitFactory, UserFactory
from tests.reports.conftest import build_small_agency, day_row

pytestmark = pytest.mark.django_db

DASHBOARD = "/dasbor/"


def unit_url(unit) -> str:
    return reverse("web:dashboard_unit", args=[unit.pk])


@pytest.fixture
def org(freeze, db):
    freeze(2026, 11, 23, 10, 0)
    small_agency = build_small_agency()
    leader = UserFactory()
    RoleFactory(user=leader, agency=small_agency["agency"], role=Role.LEADER)
    return {**small_agency, "leader": leader}


def test_a_leader_sees_every_opd(client, org):
    client.force_login(org["leader"])
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Senin, 23 November 2026" in body
    table = body[body.index('id="dash-units"') :]
    assert re.findall(r'<a href="/dasbor/unit/\d+/\?date=2026-11-23">([^<]+)</a>', table) == [
        "Dinas A",
        "Dinas B",
        "RSUD",
    ]
    assert '<strong id="dash-rate">33,3 %</strong>' in body  # 4 of 12
    assert '<strong id="dash-late">1</strong>' in body
    assert '<strong id="dash-absent">1</strong>' in body
    assert 'hx-trigger="every 60s"' in body
    config = json.loads(re.search(r'id="dash-config"[^>]*>(.*?)</script>', body, re.S)[1])
    assert config["units"]["values"] == [40.0, 0.0, 0.0]
    assert config["modes"] == {"labels": ["WFO", "WFH", "WFA"], "values": [6, 2, 2]}
    trend = json.loads(re.search(r'id="dash-trend"[^>]*>(.*?)</script>', body, re.S)[1])
    assert len(trend["values"]) == 30 and trend["values"][-1] == 33.3


def test_a_unit_head_goes_to_their_unit_with_its_sub_units_and_people(client, org):
    client.force_login(org["head_a"].user)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == unit_url(org["a"])
    body = client.get(unit_url(org["a"])).content.decode()
    assert "Bidang A1" in body[body.index('id="dash-units"') :]
    people = body[body.index('id="dash-people"') :]
    assert "Hadir" in people and "Sub Hadir" not in people  # the unit's own staff only
    assert "07:20" in people and "WITA" in people
    assert client.get(unit_url(org["a1"])).status_code == 200
    assert client.get(unit_url(org["b"])).status_code == 403


def test_a_plain_employee_is_refused(client, org):
    client.force_login(org["hadir"].user)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(unit_url(org["a"])).status_code == 403
    assert client.get(f"{reverse('web:dashboard_numbers')}?unit={org['a'].pk}").status_code == 403


def test_another_agencys_unit_is_404_and_anonymous_goes_to_sign_in(client, org):
    client.force_login(org["leader"])
    assert client.get(unit_url(UnitFactory())).status_code == 404
    client.logout()
    assert client.get(DASHBOARD).status_code == 302


def test_the_numbers_partial_and_a_past_date(client, org):
    client.force_login(org["leader"])
    partial = client.get(reverse("web:dashboard_numbers")).content.decode()
    assert partial.lstrip().startswith("<section") and "<html" not in partial
    assert 'id="dash-rate"' in partial and 'id="dash-config"' in partial
    past = client.get(DASHBOARD, {"date": "2026-11-20"}).content.decode()
    assert "Jumat, 20 November 2026" in past and 'hx-trigger="every 60s"' not in past
    assert client.get(DASHBOARD, {"date": "kemarin"}).status_code == 400


def test_a_wit_person_shows_their_local_time(client, org):
    from tests.factories import OfficeFactory
    from tests.reports.conftest import at

    unit = UnitFactory(agency=org["agency"], name="Dinas W")
    OfficeFactory(agency=org["agency"], time_zone="Asia/Jayapura").units.add(unit)
    person = EmployeeFactory(agency=org["agency"], unit=unit, name="Orang Timur")
    day_row(person, "HADIR", "WFO", check_in=at(6, 50))  # 06:50 WITA = 07:50 WIT
    client.force_login(org["leader"])
    body = client.get(unit_url(unit), {"date": "2026-11-23"}).content.decode()
    people = body[body.index('id="dash-people"') :]
    assert '07:50 <span class="muted">WIT</span>' in people


def test_the_page_queries_are_bounded(client, org):
    client.force_login(org["leader"])
    client.get(DASHBOARD)
    for n in range(30):
        EmployeeFactory(agency=org["agency"], unit=org["a"] if n % 2 else org["a1"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(unit_url(org["a"]), {"date": "2026-11-20"}).status_code == 200
    assert len(ctx.captured_queries) <= 25
