"""The arrangement endpoints: the caller's plan and a recall (contract, scope, bad input)."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.arrangements.models import EntryReason, Mode, RosterEntry
from sigap.core.tokens import token_issue
from tests.arrangements.conftest import plan
from tests.attendance.fixtures import MONDAY
from tests.factories import EmployeeFactory


def bearer(employee) -> dict:
    token = token_issue(user=employee.user, device_id="hp", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_my_roster_lists_each_day_with_its_mode(freeze, client, auth, office_worker):
    freeze(2026, 11, 23, 7, 0)
    plan(office_worker, MONDAY, Mode.WFH, reason=EntryReason.POLICY)
    plan(office_worker, MONDAY + dt.timedelta(1), Mode.OFF, EntryReason.REQUEST, absence_code="CT")
    response = client.get("/api/v1/me/roster", {"from": "2026-11-23", "to": "2026-11-29"}, **auth)
    assert response.status_code == 200
    days = response.json()["days"]
    assert [(d["mode"], d["reason"]) for d in days[:3]] == [
        ("WFH", "policy"),
        ("OFF", "request"),
        ("WFO", "default"),
    ]
    assert days[1]["absence_code"] == "CT"
    assert [d["working"] for d in days[5:]] == [False, False]


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-11-30", "to": "2026-11-23"},
        {"from": "2026-01-01", "to": "2026-12-31"},
        {"from": "x", "to": "2026-11-23"},
        {},
    ],
)
def test_my_roster_bad_ranges_are_422(freeze, client, auth, query):
    freeze(2026, 11, 23, 7, 0)
    response = client.get("/api/v1/me/roster", query, **auth)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_my_roster_needs_authentication(client, db):
    assert (
        client.get("/api/v1/me/roster", {"from": "2026-11-23", "to": "2026-11-24"}).status_code
        == 401
    )


def test_recall_by_the_supervisor(freeze, client, head, office_worker):
    freeze(2026, 11, 23, 6, 0)
    plan(office_worker, MONDAY, Mode.WFA, reason=EntryReason.FLEXIBLE)
    response = client.post(
        "/api/v1/roster/recalls",
        {"nip": office_worker.nip, "date": "2026-11-23", "note": "Rapat"},
        content_type="application/json",
        **bearer(head),
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "nip": office_worker.nip,
        "date": "2026-11-23",
        "mode": "WFO",
        "reason": "recall",
    }


def test_recall_scope_and_bad_input(freeze, client, head, office_worker):
    freeze(2026, 11, 24, 6, 0)
    plan(office_worker, MONDAY, Mode.WFH)
    plan(office_worker, MONDAY + dt.timedelta(2), Mode.WFH)
    outsider = EmployeeFactory(agency=office_worker.agency)
    peer = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    cases = [
        (outsider, {"nip": office_worker.nip, "date": "2026-11-25"}, 404, "not_found"),
        (office_worker, {"nip": office_worker.nip, "date": "2026-11-25"}, 403, "forbidden"),
        (head, {"nip": office_worker.nip, "date": "2026-11-23"}, 422, "in_the_past"),
        (head, {"nip": office_worker.nip, "date": "2026-11-26"}, 409, "not_remote"),
        (head, {"nip": "123", "date": "2026-11-25"}, 422, "invalid_input"),
        (head, {"nip": peer.nip}, 422, "invalid_input"),
    ]
    for who, body, status, code in cases:
        response = client.post(
            "/api/v1/roster/recalls", body, content_type="application/json", **bearer(who)
        )
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert RosterEntry.objects.filter(reason=EntryReason.RECALL).count() == 0
