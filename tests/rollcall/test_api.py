"""The roll-call API: the board contract (API.md), scope, confirm/correct and bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.core.tokens import token_issue
from sigap.privacy.rules import mask_nip
from sigap.rollcall import services
from sigap.rollcall.models import UnitReport, UnitReportCorrection
from tests.factories import EmployeeFactory, UnitFactory
from tests.rollcall.fixtures import MONDAY

pytestmark = pytest.mark.django_db

REASONS = {"DL", "leave", "sick", "permission", "TK", "not_yet"}


def bearer(user) -> dict:
    token = token_issue(user=user, device_id="hp", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def prefilled(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    return rollcall


def test_board_contract(client, small, prefilled):
    services.unit_report_confirm(rollcall=prefilled, unit=small.opd_a, by=small.head_a, note="ok")
    response = client.get(f"/api/v1/rollcalls/{prefilled.pk}/board", **bearer(small.leader))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"rollcall", "units", "total"}
    assert body["rollcall"]["id"] == prefilled.pk
    assert body["rollcall"]["date"] == MONDAY.isoformat()
    assert [u["unit"]["name"] for u in body["units"]] == ["Dinas Alfa", "Badan Beta"]
    alfa = body["units"][0]
    assert {
        "unit",
        "expected",
        "present",
        "absent_by_reason",
        "rate",
        "confirmed_by",
        "confirmed_at",
    } <= set(alfa)
    assert (alfa["expected"], alfa["present"], alfa["rate"]) == (14, 3, round(3 / 14, 4))
    assert set(alfa["absent_by_reason"]) == REASONS
    # the leader is not in the NIP's audience (sigap.privacy.rules.AUDIENCE): masked
    assert alfa["confirmed_by"] == {"nip": mask_nip(small.head_a.nip), "name": "Kepala Alfa"}
    assert alfa["confirmed_at"] is not None
    beta = body["units"][1]
    assert (beta["confirmed_by"], beta["confirmed_at"], beta["state"]) == (None, None, "prefilled")
    total = body["total"]
    assert (total["expected"], total["present"], total["confirmed"], total["units"]) == (
        17,
        3,
        1,
        2,
    )
    assert total["absent_by_reason"]["not_yet"] == 2 + 3


def test_board_query_count_does_not_grow_with_units(client, small, prefilled):
    auth = bearer(small.leader)
    client.get(f"/api/v1/rollcalls/{prefilled.pk}/board", **auth)
    with CaptureQueriesContext(connection) as first:
        client.get(f"/api/v1/rollcalls/{prefilled.pk}/board", **auth)
    for n in range(5):
        UnitFactory(agency=small.agency, code=f"Z{n}")
    with CaptureQueriesContext(connection) as second:
        response = client.get(f"/api/v1/rollcalls/{prefilled.pk}/board", **auth)
    assert len(response.json()["units"]) == 7
    assert len(second) == len(first) <= 12


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("leader", 200),
        ("hr", 200),
        ("head_b", 200),
        ("employee", 403),
        ("stranger", 404),
    ],
)
def test_board_scope(client, small, prefilled, who, status):
    users = {
        "leader": small.leader,
        "hr": small.hr.user,
        "head_b": small.head_b.user,
        "employee": small.people["tk"].user,
        "stranger": EmployeeFactory().user,  # another agency
    }
    response = client.get(f"/api/v1/rollcalls/{prefilled.pk}/board", **bearer(users[who]))
    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "forbidden"


def test_list_by_date(client, small, prefilled):
    auth = bearer(small.people["tk"].user)
    response = client.get("/api/v1/rollcalls?date=2026-11-23", **auth)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["rollcalls"]] == [prefilled.pk]
    assert client.get("/api/v1/rollcalls?date=2026-11-24", **auth).json() == {"rollcalls": []}
    assert [r["id"] for r in client.get("/api/v1/rollcalls", **auth).json()["rollcalls"]] == [
        prefilled.pk
    ]


def test_confirm_by_the_head(client, small, prefilled):
    url = f"/api/v1/rollcalls/{prefilled.pk}/units/{small.opd_a.pk}/confirm"
    response = client.post(
        url, {"note": "Lengkap"}, content_type="application/json", **bearer(small.head_a.user)
    )
    assert response.status_code == 200
    assert response.json()["state"] == "confirmed"
    assert response.json()["note"] == "Lengkap"


@pytest.mark.parametrize("who", ["head_b", "employee", "hr", "leader"])
def test_confirm_by_anyone_else_is_403(client, small, prefilled, who):
    users = {
        "head_b": small.head_b.user,
        "employee": small.people["tk"].user,
        "hr": small.hr.user,
        "leader": small.leader,
    }
    url = f"/api/v1/rollcalls/{prefilled.pk}/units/{small.opd_a.pk}/confirm"
    response = client.post(url, {}, content_type="application/json", **bearer(users[who]))
    assert response.status_code == 403
    assert not UnitReport.objects.filter(confirmed_at__isnull=False).exists()


def good_correction(**change) -> dict:
    absent = {"DL": 1, "leave": 1, "sick": 2, "permission": 1, "TK": 2, "not_yet": 1}
    return {
        "present": 6,
        "absent_by_reason": absent,
        "reason": "Apel di halaman belakang",
        **change,
    }


def test_correct_by_the_head(client, small, prefilled):
    url = f"/api/v1/rollcalls/{prefilled.pk}/units/{small.opd_a.pk}/correct"
    response = client.post(
        url, good_correction(), content_type="application/json", **bearer(small.head_a.user)
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["present"], body["state"], body["corrected"]) == (6, "corrected", True)
    assert UnitReportCorrection.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        good_correction(present=-1),
        good_correction(
            absent_by_reason={
                "DL": -1,
                "leave": 2,
                "sick": 2,
                "permission": 1,
                "TK": 3,
                "not_yet": 1,
            }
        ),
        {k: v for k, v in good_correction().items() if k != "reason"},
        good_correction(reason=""),
        good_correction(present=7),  # does not add up to 14
        good_correction(absent_by_reason={"DL": 8}),
    ],
)
def test_bad_correction_is_422_and_changes_nothing(client, small, prefilled, payload):
    url = f"/api/v1/rollcalls/{prefilled.pk}/units/{small.opd_a.pk}/correct"
    response = client.post(
        url, payload, content_type="application/json", **bearer(small.head_a.user)
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    report = UnitReport.objects.get(rollcall=prefilled, unit=small.opd_a)
    assert (report.present, report.corrected, report.confirmed_at) == (3, False, None)
    assert not UnitReportCorrection.objects.exists()


def test_correct_another_opd_is_403(client, small, prefilled):
    url = f"/api/v1/rollcalls/{prefilled.pk}/units/{small.opd_a.pk}/correct"
    response = client.post(
        url, good_correction(), content_type="application/json", **bearer(small.head_b.user)
    )
    assert response.status_code == 403


def test_confirm_before_prefill_is_409(client, small):
    rollcall = small.rollcall()
    url = f"/api/v1/rollcalls/{rollcall.pk}/units/{small.opd_a.pk}/confirm"
    response = client.post(url, {}, content_type="application/json", **bearer(small.head_a.user))
    assert (response.status_code, response.json()["code"]) == (409, "not_prefilled")


def test_create_ad_hoc(client, small):
    payload = {
        "title": "Apel siaga bencana",
        "date": "2026-11-25",
        "start_time": "07:30",
        "cutoff_time": "08:00",
        "kind": "virtual",
        "meeting_link": "https://meet.example.id/siaga",
    }
    response = client.post(
        "/api/v1/rollcalls", payload, content_type="application/json", **bearer(small.hr.user)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["ad_hoc"] is True
    assert response.json()["place"] is None
    refused = client.post(
        "/api/v1/rollcalls",
        payload,
        content_type="application/json",
        **bearer(small.people["tk"].user),
    )
    assert refused.status_code == 403
    no_link = client.post(
        "/api/v1/rollcalls",
        {**payload, "meeting_link": ""},
        content_type="application/json",
        **bearer(small.hr.user),
    )
    assert no_link.status_code == 422
    assert "meeting_link" in no_link.json()["detail"]["fields"]


def test_mark_participation(client, small, prefilled):
    url = f"/api/v1/rollcalls/{prefilled.pk}/participations"
    person = small.people["tk"]
    response = client.post(
        url,
        {"employee": person.nip, "present": True},
        content_type="application/json",
        **bearer(small.head_a.user),
    )
    assert response.status_code == 200
    assert response.json()["source"] == "marked"
    other = client.post(
        url,
        {"employee": person.nip, "present": True},
        content_type="application/json",
        **bearer(small.head_b.user),
    )
    assert other.status_code == 404
