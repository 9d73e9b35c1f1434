"""Discipline endpoints: statements (own, a subordinate's, a unit's), alerts and their
acknowledgement, the rewards; scope (403 inside the agency, 404 outside), bad input (422)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.core.tokens import token_issue
from sigap.discipline.ladder import ladder_scan
from tests.discipline.conftest import day
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def bearer(employee) -> dict:
    token = token_issue(user=employee.user, device_id="hp", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def month(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    day(org.staff[0], dt.date(2026, 11, 2), "TK")
    day(org.staff[0], dt.date(2026, 11, 3), "TL2", late=40)
    return "2026-11"


def test_my_statement(client, org, month):
    response = client.get(f"/api/v1/me/tpp?month={month}", **bearer(org.staff[0]))
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2026-11" and body["status"] == "open"
    assert [(x["date"], x["code"], x["rate"]) for x in body["lines"]] == [
        ("2026-11-02", "TK", 4.0),
        ("2026-11-03", "TL2", 1.0),
    ]
    assert body["deduction_pct"] == 5.0 and body["discipline_share"] == 60.0
    assert body["discipline_pct"] == 57.0  # 60 x 95 %
    assert body["summary"] == "TK\u00d71, TL2\u00d71"
    assert body["table"] == {"version_id": None, "name": "default", "effective_from": None}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff0", 200),
        ("boss", 200),
        ("head", 200),
        ("hr", 200),
        ("staff1", 403),
        ("outsider", 403),
        ("foreign", 404),
    ],
)
def test_who_sees_a_statement(client, org, month, who, status):
    people = {
        "staff0": org.staff[0],
        "staff1": org.staff[1],
        "boss": org.boss,
        "head": org.head,
        "hr": org.hr,
        "outsider": org.outsider,
        "foreign": org.foreign,
    }
    url = f"/api/v1/tpp/statements/{org.staff[0].pk}?month={month}"
    response = client.get(url, **bearer(people[who]))
    assert response.status_code == status
    if status != 200:
        assert response.json()["code"] in ("forbidden", "not_found")


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "november", "2027-01", "1999-12"])
def test_a_bad_month_is_422_and_computes_nothing(client, org, month, bad):
    from sigap.discipline.models import TppStatement

    response = client.get(f"/api/v1/me/tpp?month={bad}", **bearer(org.staff[0]))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert not TppStatement.objects.exists()


def test_a_unit_list_is_scoped_and_bounded(client, org, month):
    url = f"/api/v1/units/{org.opd.pk}/tpp?month={month}"
    assert client.get(url, **bearer(org.outsider)).status_code == 403
    assert client.get(url, **bearer(org.foreign)).status_code == 404
    head = bearer(org.head)
    client.get(url, **head)  # computes and stores
    with CaptureQueriesContext(connection) as few:
        body = client.get(url, **head).json()
    assert len(body) == 5 and body[0]["employee"]["name"] == "Atasan"
    for _n in range(8):
        EmployeeFactory(agency=org.agency, unit=org.opd, supervisor=org.boss)
    client.get(url, **head)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url, **head).json()) == 13
    assert len(many.captured_queries) == len(few.captured_queries)
    assert client.get(url, **bearer(org.hr)).status_code == 200


def test_alerts_and_their_acknowledgement(client, org, month):
    for date in (dt.date(2026, 11, 4), dt.date(2026, 11, 5)):
        day(org.staff[0], date, "TK")
    alert = ladder_scan(agency=org.agency)[0]
    mine = client.get("/api/v1/discipline/alerts?open=true", **bearer(org.boss)).json()
    assert [a["id"] for a in mine] == [alert.pk]
    assert mine[0]["sanction"] == "verbal_warning" and mine[0]["unexcused_days"] == 3
    assert client.get("/api/v1/discipline/alerts", **bearer(org.outsider)).json() == []
    url = f"/api/v1/discipline/alerts/{alert.pk}/acknowledge"
    refused = client.post(url, {"note": "x"}, content_type="application/json", **bearer(org.boss))
    assert refused.status_code == 422
    stranger = client.post(
        url,
        {"note": "Bukan bawahan saya."},
        content_type="application/json",
        **bearer(org.outsider),
    )
    assert stranger.status_code == 404
    done = client.post(
        url, {"note": "Sudah diperiksa."}, content_type="application/json", **bearer(org.boss)
    )
    assert done.status_code == 200 and done.json()["acknowledged_by"] == "Atasan"
    again = client.post(
        url, {"note": "Sudah diperiksa."}, content_type="application/json", **bearer(org.hr)
    )
    assert again.status_code == 409


def test_rewards(client, org, month):
    for person in org.staff[1:]:
        for date in (dt.date(2026, 11, 2), dt.date(2026, 11, 3)):
            day(person, date, "HADIR")
    body = client.get(f"/api/v1/rewards?month={month}", **bearer(org.outsider)).json()
    perfect = body["employees"]["perfect_attendance"]
    assert {e["name"] for e in perfect} == {"Staf 2", "Staf 3"}
    assert all(e["rank"] == 1 for e in perfect)
    assert set(body["units"]) == {"attendance_rate", "punctuality", "report_completion"}
    assert client.get("/api/v1/rewards").status_code == 401
