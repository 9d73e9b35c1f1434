"""The recap endpoints' HTTP contract (API.md "Unit recap and roll call"): the shape,
401 anonymous, 403 another OPD's head or a plain employee, 404 another agency's unit, the
agency recap for leaders, HR admins and inspectors only, 422 for a bad date."""

from __future__ import annotations

import pytest

from sigap.org.models import Role
from tests.factories import RoleFactory, UnitFactory, UserFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db

KEYS = {"unit", "date", "headcount", "expected", "present", "by_status", "by_mode", "rate"}


def url(unit) -> str:
    return f"/api/v1/units/{unit.pk}/recap"


@pytest.fixture
def at_ten(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    return small_agency


def test_a_unit_head_reads_their_opd_and_its_sub_units(client, at_ten):
    auth = bearer(at_ten["head_a"].user)
    body = client.get(url(at_ten["a"]), {"date": "2026-11-23"}, **auth).json()
    assert set(body) == KEYS | {"subunits"}
    assert body["unit"]["id"] == at_ten["a"].pk
    assert (body["headcount"], body["expected"], body["present"], body["rate"]) == (10, 10, 4, 0.4)
    assert body["by_mode"] == {"WFO": 4, "WFH": 2, "WFA": 2}
    assert body["by_status"]["BELUM"] == 3 and len(body["by_status"]) == 23
    assert set(body["subunits"][0]) == KEYS | {"subunits"}
    assert client.get(url(at_ten["a1"]), **auth).status_code == 200


def test_the_date_defaults_to_today_in_the_units_zone(client, at_ten):
    body = client.get(url(at_ten["a"]), **bearer(at_ten["head_a"].user)).json()
    assert body["date"] == "2026-11-23"


def test_another_opds_head_is_refused(client, at_ten):
    response = client.get(url(at_ten["a"]), **bearer(at_ten["head_b"].user))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_plain_employee_is_refused_even_for_their_own_unit(client, at_ten):
    response = client.get(url(at_ten["a"]), **bearer(at_ten["hadir"].user))
    assert response.status_code == 403


def test_another_agencys_unit_is_not_found(client, at_ten):
    elsewhere = UnitFactory()
    response = client.get(url(elsewhere), **bearer(at_ten["hr"]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/units/999999/recap", **bearer(at_ten["hr"])).status_code == 404


def test_anonymous_is_401(client, at_ten):
    assert client.get(url(at_ten["a"])).status_code == 401
    assert client.get("/api/v1/recap").json()["code"] == "not_authenticated"


def test_a_bad_date_is_422(client, at_ten):
    response = client.get(url(at_ten["a"]), {"date": "2026-13-40"}, **bearer(at_ten["hr"]))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("role", [Role.HR_ADMIN, Role.LEADER, Role.INSPECTOR])
def test_the_agency_recap_for_agency_roles(client, at_ten, role):
    user = UserFactory()
    RoleFactory(user=user, agency=at_ten["agency"], role=role)
    body = client.get("/api/v1/recap", {"date": "2026-11-23"}, **bearer(user)).json()
    assert body["agency"]["id"] == at_ten["agency"].pk
    assert [s["unit"]["code"] for s in body["subunits"]] == ["A", "B", "H"]
    assert (body["headcount"], body["expected"], body["present"]) == (13, 12, 4)
    assert client.get(url(at_ten["b"]), **bearer(user)).status_code == 200


def test_a_unit_head_cannot_read_the_agency(client, at_ten):
    response = client.get("/api/v1/recap", **bearer(at_ten["head_a"].user))
    assert response.status_code == 403
