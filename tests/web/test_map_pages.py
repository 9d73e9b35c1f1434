"""/peta/ and /peta/data/: who may open them (403 otherwise), the JSON's plain values,
tiles only when configured, and a query count that does not grow with the events."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sigap.attendance.models import Review
from tests.reports import test_map as map_fixtures
from tests.reports.test_map import at_wita, check_in, refused

map_world = map_fixtures.map_world  # the fixture, shared with the selector tests
DATA = "/peta/data/"


def signed_in(client, user):
    client.force_login(user)
    return client


def test_hr_and_head_open_the_page(client, map_world, settings):
    settings.SIGAP_MAP_TILE_URL = ""
    page = signed_in(client, map_world.hr_user).get("/peta/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="map-note"' in html  # no tiles: a blank background, said so
    assert 'id="map-config"' in html and "Dinas B" in html
    client.logout()
    page = signed_in(client, map_world.head_a.user).get("/peta/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bidang A1" in html and "Dinas B" not in html  # the head's units only
    assert 'id="nav-map"' in html


def test_tiles_only_when_configured(client, map_world, settings):
    settings.SIGAP_MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    page = signed_in(client, map_world.hr_user).get("/peta/")
    html = page.content.decode()
    assert 'id="map-note"' not in html
    assert "tiles.example.test" in html


@pytest.mark.parametrize("who", ["staff_a", "supervisor_b"])
def test_employee_and_supervisor_get_403(client, map_world, who):
    check_in(map_world.staff_b, at_wita(7, 30))
    signed_in(client, getattr(map_world, who).user)
    assert client.get("/peta/").status_code == 403
    answer = client.get(DATA)
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"


def test_anonymous_is_sent_to_sign_in(client, map_world):
    assert client.get(DATA).status_code == 302


def test_units_outside_scope(client, map_world):
    w = map_world
    signed_in(client, w.head_a.user)
    assert client.get(DATA, {"unit": w.unit_b.pk}).status_code == 403
    assert client.get(DATA, {"unit": w.other_unit.pk}).status_code == 404
    client.logout()
    signed_in(client, w.hr_user)
    assert client.get(DATA, {"unit": w.other_unit.pk}).status_code == 404
    assert client.get(DATA, {"unit": w.unit_b.pk}).status_code == 200


def test_data_is_plain_values_without_selfies(client, map_world):
    w = map_world
    check_in(w.staff_a1, at_wita(7, 42), review=Review.PENDING, review_reasons=["outside_geofence"])
    refused(w.staff_a, at_wita(7, 5), code="clock_skew")
    check_in(w.staff_b, at_wita(7, 30))
    answer = signed_in(client, w.head_a.user).get(DATA, {"refused": "1"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["counts"] == {"accepted": 0, "flagged": 1, "refused": 1}
    flagged = next(p for p in data["points"] if p["cat"] == "flagged")
    assert flagged["name"] == "Staf A1" and flagged["time"] == "07:42 WITA"
    assert flagged["kind"] == "in" and flagged["mode"] == "WFO" and flagged["distance"] == 15
    with translation.override("id"):  # reasons are shown in the page's language
        reason = translation.gettext("outside the geofence")
    assert flagged["place"] == "Kantor Bupati" and flagged["reasons"] == [reason]
    text = json.dumps(data)
    assert "selfie" not in text and w.staff_a1.nip not in text
    assert [o["name"] for o in data["offices"]] == ["Kantor A"]
    assert data["offices"][0]["radius"] == 100


def test_date_and_kind_parameters(client, map_world):
    w = map_world
    check_in(w.staff_a, at_wita(7, 30))
    check_in(w.staff_a, at_wita(16, 5), kind="out")
    signed_in(client, w.hr_user)
    assert len(client.get(DATA, {"kind": "out"}).json()["points"]) == 1
    assert client.get(DATA, {"date": "2026-11-22"}).json()["points"] == []
    assert len(client.get(DATA, {"date": "nonsense", "kind": "x"}).json()["points"]) == 2


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(DATA, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_events(client, map_world):
    w = map_world
    people = [w.staff_a, w.staff_a1, w.staff_b, w.head_a, w.supervisor_b]
    for n in range(5):
        check_in(people[n], at_wita(7, n))
        refused(people[n], at_wita(6, n))
    signed_in(client, w.hr_user)
    client.get(DATA, {"refused": "1"})  # warm the office map
    few = _queries(client, {"refused": "1"})
    for n in range(45):
        check_in(people[n % 5], at_wita(8, n), kind="out")
        refused(people[n % 5], at_wita(9, n))
    many = _queries(client, {"refused": "1"})
    assert len(client.get(DATA, {"refused": "1"}).json()["points"]) == 100
    assert few == many
    assert many <= 12
