"""The health endpoints: API.md's PUT contract, reads of one's own and others' data (scope,
access log), tests with documents, the unit summary (counts only), suggestions."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from sigap.core.tokens import token_issue
from sigap.health import services
from sigap.health.models import Declaration, HealthTest, WfhSuggestion
from sigap.privacy.models import AccessLog
from tests.health.conftest import MONDAY, PDF

pytestmark = pytest.mark.django_db
URL = "/api/v1/health/declarations/2026-11-23"


def bearer(employee) -> dict:
    token = token_issue(user=employee.user, device_id="hp", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def put(client, employee, body, url=URL):
    return client.put(url, body, content_type="application/json", **bearer(employee))


def test_put_stores_and_returns_the_declaration(client, world):
    answer = put(
        client,
        world.staff,
        {"symptoms": ["fever", "cough"], "temperature_c": 38.1, "notes": "pusing"},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["date"] == "2026-11-23"
    assert body["symptoms"] == ["fever", "cough"]
    assert body["temperature_c"] == 38.1
    assert body["notes"] == "pusing" and body["flagged"] is True
    assert body["employee"]["nip"] == world.staff.nip


def test_put_again_replaces(client, world):
    put(client, world.staff, {"symptoms": ["fever"], "temperature_c": None, "notes": ""})
    again = put(client, world.staff, {"symptoms": [], "temperature_c": 36.5, "notes": ""})
    assert again.status_code == 200 and again.json()["flagged"] is False
    assert Declaration.objects.count() == 1
    assert not WfhSuggestion.objects.exists()


@pytest.mark.parametrize(
    ("body", "url", "field"),
    [
        ({"symptoms": ["flu"]}, URL, "symptoms.0"),
        ({"symptoms": [], "temperature_c": 33.0}, URL, "temperature_c"),
        ({"symptoms": [], "temperature_c": 44.0}, URL, "temperature_c"),
        ({"symptoms": [], "notes": "x" * 501}, URL, "notes"),
        ({"symptoms": []}, "/api/v1/health/declarations/2026-11-20", "date"),
        ({"symptoms": []}, "/api/v1/health/declarations/2026-11-24", "date"),
    ],
)
def test_bad_input_is_422_invalid_input(client, world, body, url, field):
    answer = put(client, world.staff, body, url)
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_input"
    assert field in answer.json()["detail"]["fields"]
    assert not Declaration.objects.exists()


def test_put_needs_a_token_and_an_employee(client, world):
    assert client.put(URL, {"symptoms": []}, content_type="application/json").status_code == 401


def test_openapi_documents_the_symptom_codes(client):
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema["components"]["schemas"]["DeclarationIn"])
    for code in (
        "fever",
        "cough",
        "sore_throat",
        "shortness_of_breath",
        "loss_of_smell_taste",
        "other",
    ):
        assert code in text


def test_get_own_declaration_and_today(client, world):
    assert client.get(URL, **bearer(world.staff)).status_code == 404
    today = client.get("/api/v1/health/today", **bearer(world.staff)).json()
    assert today == {"date": "2026-11-23", "requirement": "optional", "declaration": None}
    put(client, world.staff, {"symptoms": []})
    assert client.get(URL, **bearer(world.staff)).json()["flagged"] is False
    today = client.get("/api/v1/health/today", **bearer(world.staff)).json()
    assert today["declaration"]["date"] == "2026-11-23"
    assert not AccessLog.objects.exists()  # one's own data is not logged


def test_others_declaration_for_the_unit_head_and_hr_only_and_logged(client, world):
    put(client, world.staff, {"symptoms": ["cough"]})
    url = f"{URL}?employee={world.staff.nip}"
    for viewer in (world.head, world.hr):
        answer = client.get(url, **bearer(viewer))
        assert answer.status_code == 200 and answer.json()["symptoms"] == ["cough"]
    logged = AccessLog.objects.order_by("pk")
    assert [(a.actor_id, a.subject_id, a.category, a.channel) for a in logged] == [
        (world.head.user_id, world.staff.pk, "health", "api"),
        (world.hr.user_id, world.staff.pk, "health", "api"),
    ]
    for viewer in (world.supervisor, world.leader, world.inspector):  # in scope, not theirs
        assert client.get(url, **bearer(viewer)).status_code == 403
    for viewer in (world.colleague, world.desk_head, world.outsider):  # outside scope
        assert client.get(url, **bearer(viewer)).status_code == 404
    assert AccessLog.objects.count() == 2


def test_tests_list_upload_and_document(client, world):
    doc = io.BytesIO(PDF)
    doc.name = "hasil.pdf"
    answer = client.post(
        "/api/v1/health/tests",
        {"kind": "antigen", "taken_on": "2026-11-22", "result": "negative", "document": doc},
        **bearer(world.desk),
    )
    assert answer.status_code == 201, answer.content
    test_id = answer.json()["id"]
    assert answer.json()["document_url"] == f"/api/v1/health/tests/{test_id}/document"
    mine = client.get("/api/v1/health/tests", **bearer(world.desk)).json()
    assert mine["screening"] == {"state": "ok", "due_on": "2026-12-06", "last_on": "2026-11-22"}
    own = client.get(f"/api/v1/health/tests/{test_id}/document", **bearer(world.desk))
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    assert own["Cache-Control"] == "private, no-store"
    assert not AccessLog.objects.exists()
    theirs = client.get(
        f"/api/v1/health/tests?employee={world.desk.nip}", **bearer(world.desk_head)
    )
    assert theirs.status_code == 200 and len(theirs.json()["tests"]) == 1
    seen = client.get(f"/api/v1/health/tests/{test_id}/document", **bearer(world.hr))
    assert seen.status_code == 200
    assert list(AccessLog.objects.values_list("actor_id", "what")) == [
        (world.desk_head.user_id, "health test results"),
        (world.hr.user_id, f"health test document #{test_id}"),
    ]
    for viewer in (world.desk2, world.staff, world.leader, world.outsider):
        assert (
            client.get(f"/api/v1/health/tests/{test_id}/document", **bearer(viewer)).status_code
            == 404
        )
    assert AccessLog.objects.count() == 2


def test_an_employee_must_attach_a_real_document(client, world):
    fake = io.BytesIO(b"GIF89a not a pdf")
    fake.name = "hasil.pdf"
    answer = client.post(
        "/api/v1/health/tests",
        {"kind": "pcr", "taken_on": "2026-11-22", "result": "positive", "document": fake},
        **bearer(world.desk),
    )
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_document"
    assert not HealthTest.objects.exists() and not WfhSuggestion.objects.exists()


def test_unit_summary_counts_only_within_scope(client, world):
    services.declaration_submit(
        employee=world.staff, day=MONDAY, symptoms=["fever"], temperature_c=None
    )
    services.declaration_submit(
        employee=world.colleague, day=MONDAY, symptoms=[], temperature_c=None
    )
    services.health_test_record(
        user=world.hr.user,
        employee=world.desk,
        kind="pcr",
        taken_on=MONDAY - dt.timedelta(days=2),
        result="positive",
    )
    url = f"/api/v1/health/units/{world.opd.pk}/summary"
    for viewer in (world.leader, world.inspector, world.hr, world.head):
        body = client.get(url, **bearer(viewer)).json()
        assert (body["declared"], body["flagged"], body["positive"]) == (2, 1, 1), viewer.name
        assert body["overdue"] == 2  # the desk's head and desk2 have no test on record
        assert "symptoms" not in str(body)
    assert AccessLog.objects.count() == 0  # counts are not personal data
    for viewer in (world.staff, world.supervisor, world.outsider, world.desk_head):
        assert client.get(url, **bearer(viewer)).status_code == 404


def test_suggestion_accept_and_dismiss_over_the_api(client, world):
    services.declaration_submit(
        employee=world.staff, day=MONDAY, symptoms=["fever"], temperature_c=None
    )
    suggestion = WfhSuggestion.objects.get()
    url = f"/api/v1/health/suggestions/{suggestion.pk}"
    assert client.post(f"{url}/accept", **bearer(world.staff)).status_code == 404
    assert client.post(f"{url}/accept", **bearer(world.leader)).status_code == 404
    done = client.post(f"{url}/accept", **bearer(world.head)).json()
    assert done["status"] == "accepted" and done["applied_days"] == [
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
    ]
    again = client.post(f"{url}/dismiss", **bearer(world.head)).json()
    assert again["status"] == "accepted"
