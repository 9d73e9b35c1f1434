"""Daily reports and tasks over the API (API.md "Daily reports"): contract, scope, bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from sigap.arrangements.models import EntryReason, Mode
from sigap.performance.models import Activity, DailyReport, ReportEvent
from tests.arrangements.conftest import plan
from tests.attendance.fixtures import MONDAY
from tests.performance.conftest import bearer

URL = "/api/v1/daily-reports"


def activity(**overrides) -> dict:
    return {
        "description": "Menyusun draf SOP layanan",
        "output_qty": 1,
        "output_unit": "dokumen",
        "minutes": 240,
        "evidence_url": None,
        "task_id": None,
    } | overrides


def put(client, who, day="2026-11-23", activities=None):
    return client.put(
        f"{URL}/{day}",
        {"activities": activities if activities is not None else [activity()]},
        content_type="application/json",
        **bearer(who),
    )


def test_put_creates_then_replaces_a_report(freeze, client, team):
    freeze(2026, 11, 23, 17, 0)
    first = put(client, team["staff"])
    assert first.status_code == 200, first.json()
    body = first.json()
    assert (body["status"], body["total_minutes"], body["late"]) == ("submitted", 240, False)
    assert body["employee"]["nip"] == team["staff"].nip
    assert body["activities"][0]["output_unit"] == "dokumen"
    second = put(client, team["staff"], activities=[activity(), activity(minutes=60)])
    assert second.json()["id"] == body["id"]
    assert second.json()["total_minutes"] == 300
    assert Activity.objects.count() == 2
    assert list(ReportEvent.objects.values_list("action", flat=True)) == [
        "submitted",
        "resubmitted",
    ]


def test_a_report_after_the_deadline_is_accepted_but_late(freeze, client, team):
    freeze(2026, 11, 24, 10, 0, 1)  # Tuesday 10:00:01, the day after
    response = put(client, team["staff"])
    assert response.status_code == 200
    assert response.json()["late"] is True


@pytest.mark.parametrize(
    ("activities", "code"),
    [
        ([], "no_activities"),
        ([activity(description="  ")], "empty_description"),
        ([activity(minutes=0)], "minutes_not_positive"),
        ([activity(minutes=-5)], "minutes_not_positive"),
        ([activity(minutes=1000), activity(minutes=441)], "day_over_24h"),
        ([activity(output_qty=-1)], "negative_output"),
        ([activity(output_unit="")], "output_unit_required"),
        ([activity(evidence_url="javascript:alert(1)")], "evidence_url_invalid"),
        ([activity(task_id=999)], "unknown_task"),
        ([activity(evidence_url="/kinerja/bukti/999/")], "unknown_evidence"),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_stored(freeze, client, team, activities, code):
    freeze(2026, 11, 23, 17, 0)
    response = put(client, team["staff"], activities=activities)
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    assert not DailyReport.objects.exists()


def test_future_dates_and_malformed_bodies(freeze, client, team):
    freeze(2026, 11, 23, 17, 0)
    assert put(client, team["staff"], day="2026-11-24").json()["code"] == "in_the_future"
    response = client.put(
        f"{URL}/2026-11-23",
        {"activities": [{"minutes": "x"}]},
        content_type="application/json",
        **bearer(team["staff"]),
    )
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    assert client.put(f"{URL}/2026-11-23", {}, content_type="application/json").status_code == 401
    assert not DailyReport.objects.exists()


def test_supervisor_approves_and_an_approved_report_is_frozen(freeze, client, team):
    freeze(2026, 11, 23, 17, 0)
    report_id = put(client, team["staff"]).json()["id"]
    approved = client.post(f"{URL}/{report_id}/approve", **bearer(team["boss"]))
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    again = put(client, team["staff"])
    assert (again.status_code, again.json()["code"]) == (409, "already_approved")
    twice = client.post(f"{URL}/{report_id}/approve", **bearer(team["boss"]))
    assert twice.status_code == 409


def test_return_with_a_note_then_resubmit(freeze, client, team):
    freeze(2026, 11, 23, 17, 0)
    report_id = put(client, team["staff"]).json()["id"]
    no_note = client.post(
        f"{URL}/{report_id}/return",
        {"note": " "},
        content_type="application/json",
        **bearer(team["boss"]),
    )
    assert no_note.status_code == 422
    returned = client.post(
        f"{URL}/{report_id}/return",
        {"note": "Lampirkan draf"},
        content_type="application/json",
        **bearer(team["boss"]),
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["note"] == "Lampirkan draf"
    resubmitted = put(client, team["staff"])
    assert resubmitted.json()["status"] == "submitted"


def test_scope_of_review_and_lists(freeze, client, team):
    freeze(2026, 11, 23, 17, 0)
    report_id = put(client, team["staff"]).json()["id"]
    # a peer sees the report only through scope: not at all -> 404; cannot approve
    peer = client.post(f"{URL}/{report_id}/approve", **bearer(team["other"]))
    assert peer.status_code == 404
    own = client.post(f"{URL}/{report_id}/approve", **bearer(team["staff"]))
    assert own.status_code == 403  # nobody approves their own report
    listed = client.get(
        URL,
        {"from": "2026-11-01", "to": "2026-11-30", "employee": team["staff"].nip},
        **bearer(team["boss"]),
    )
    assert [r["id"] for r in listed.json()["reports"]] == [report_id]
    hidden = client.get(
        URL,
        {"from": "2026-11-01", "to": "2026-11-30", "employee": team["staff"].nip},
        **bearer(team["other"]),
    )
    assert hidden.status_code == 404
    assert DailyReport.objects.get().status == "submitted"


def test_bulk_approve_reports_what_it_skipped(freeze, client, team):
    freeze(2026, 11, 23, 17, 0)
    mine = put(client, team["staff"]).json()["id"]
    theirs = put(client, team["other"]).json()["id"]
    client.post(f"{URL}/{theirs}/approve", **bearer(team["boss"]))
    response = client.post(
        f"{URL}/bulk-approve",
        {"ids": [mine, theirs, 999]},
        content_type="application/json",
        **bearer(team["boss"]),
    )
    assert response.json() == {"approved": [mine], "skipped": sorted([theirs, 999])}


def test_list_query_count_is_bounded(freeze, client, team, django_assert_max_num_queries):
    freeze(2026, 11, 30, 17, 0)
    for offset in range(5):
        freeze(2026, 11, 23 + offset, 17, 0)
        put(client, team["staff"], day=f"2026-11-{23 + offset}", activities=[activity()] * 3)
    headers = bearer(team["staff"])
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"from": "2026-11-01", "to": "2026-11-30"}, **headers)
    assert len(response.json()["reports"]) == 5


def test_evidence_upload_is_checked_by_content(freeze, client, team):
    freeze(2026, 11, 23, 17, 0)
    image = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 30)).save(image, "PNG")
    image.seek(0)
    image.name = "bukti.png"
    ok = client.post("/api/v1/evidence", {"file": image}, **bearer(team["staff"]))
    assert ok.status_code == 201, ok.json()
    fake = io.BytesIO(b"MZ\x90\x00 not a picture")
    fake.name = "bukti.jpg"
    refused = client.post("/api/v1/evidence", {"file": fake}, **bearer(team["staff"]))
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_attachment")
    url = ok.json()["url"]
    report = put(client, team["staff"], activities=[activity(evidence_url=url)])
    assert report.json()["activities"][0]["evidence_url"] == url
    other = put(client, team["other"], activities=[activity(evidence_url=url)])
    assert other.json()["code"] == "unknown_evidence"


def test_tasks_assign_list_and_me_summary(freeze, client, team):
    freeze(2026, 11, 23, 9, 0)
    body = {
        "nip": team["staff"].nip,
        "title": "Kajian SPBE",
        "target_qty": 4,
        "target_unit": "dokumen",
        "due": "2026-11-27",
    }
    created = client.post(
        "/api/v1/tasks", body, content_type="application/json", **bearer(team["boss"])
    )
    assert created.status_code == 201, created.json()
    task_id = created.json()["id"]
    peer = client.post(
        "/api/v1/tasks", body, content_type="application/json", **bearer(team["other"])
    )
    assert peer.status_code == 404  # the staff member is outside a peer's scope
    past = client.post(
        "/api/v1/tasks",
        body | {"due": "2026-11-01"},
        content_type="application/json",
        **bearer(team["boss"]),
    )
    assert past.status_code == 422
    tasks = client.get("/api/v1/tasks", **bearer(team["staff"])).json()["tasks"]
    assert [t["title"] for t in tasks] == ["Kajian SPBE"]
    me = client.get("/api/v1/me", **bearer(team["staff"])).json()
    assert me["tasks"] == {"open": 1, "overdue": 0, "due_soon": 1}
    report = put(client, team["staff"], activities=[activity(task_id=task_id)])
    assert report.json()["activities"][0]["task_id"] == task_id


def test_me_today_report_duty_follows_the_mode(freeze, client, team):
    freeze(2026, 11, 23, 9, 0)
    plan(team["staff"], MONDAY, Mode.WFH, reason=EntryReason.POLICY)
    today = client.get("/api/v1/me", **bearer(team["staff"])).json()["today"]
    assert (today["report_required"], today["report_submitted"]) == (True, False)
    freeze(2026, 11, 23, 17, 0)
    put(client, team["staff"])
    today = client.get("/api/v1/me", **bearer(team["staff"])).json()["today"]
    assert today["report_submitted"] is True
    wfo = client.get("/api/v1/me", **bearer(team["other"])).json()["today"]
    assert wfo["report_required"] is False
    assert dt.date.fromisoformat(wfo["date"]) == MONDAY


def test_missing_reports_appear_in_the_supervisors_list(freeze, client, team):
    from sigap.attendance.models import AttendanceDay

    freeze(2026, 11, 24, 11, 0)
    for who, flags in ((team["staff"], ["report_missing"]), (team["other"], [])):
        AttendanceDay.objects.create(
            employee=who,
            date=MONDAY,
            status="HADIR",
            codes=["HADIR"],
            flags=flags,
            mode="WFH",
            rule_version="t",
            updated_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
        )
    query = {"from": "2026-11-01", "to": "2026-11-30"}
    listed = client.get(f"{URL}/missing", query, **bearer(team["boss"])).json()["missing"]
    assert [(m["employee"]["nip"], m["date"], m["mode"]) for m in listed] == [
        (team["staff"].nip, "2026-11-23", "WFH")
    ]
    assert client.get(f"{URL}/missing", query, **bearer(team["other"])).json() == {"missing": []}
    # `employee=<nip>` narrows the list to one person (within the caller's scope)
    one = {**query, "employee": team["staff"].nip}
    assert len(client.get(f"{URL}/missing", one, **bearer(team["boss"])).json()["missing"]) == 1
    nobody = {**query, "employee": team["other"].nip}
    assert client.get(f"{URL}/missing", nobody, **bearer(team["boss"])).json() == {"missing": []}
    client.force_login(team["boss"].user)
    page = client.get("/kinerja/tinjauan/").content.decode()
    assert 'id="missing-reports"' in page and team["staff"].name in page


def test_a_task_can_count_towards_the_assignees_skp_target(freeze, client, team):
    from sigap.performance.models import SkpTarget

    freeze(2026, 11, 23, 9, 0)
    skp = SkpTarget.objects.create(
        employee=team["staff"], year=2026, title="Kajian kebijakan", quantity=12, unit="dokumen"
    )
    foreign = SkpTarget.objects.create(
        employee=team["other"], year=2026, title="Lain", quantity=1, unit="dokumen"
    )
    body = {
        "nip": team["staff"].nip,
        "title": "Kajian SPBE",
        "target_qty": 2,
        "target_unit": "dokumen",
        "due": "2026-11-30",
    }
    ok = client.post(
        "/api/v1/tasks",
        body | {"skp_target_id": skp.pk},
        content_type="application/json",
        **bearer(team["boss"]),
    )
    assert (ok.status_code, ok.json()["skp_target_id"]) == (201, skp.pk)
    wrong = client.post(
        "/api/v1/tasks",
        body | {"skp_target_id": foreign.pk},
        content_type="application/json",
        **bearer(team["boss"]),
    )
    assert wrong.status_code == 404


def test_the_phone_page_lists_open_tasks(freeze, client, team):
    from sigap.performance.models import Task

    freeze(2026, 11, 23, 7, 0)
    Task.objects.create(
        assignee=team["staff"],
        assigned_by=team["boss"],
        title="Kajian SPBE",
        target_qty=4,
        target_unit="dokumen",
        due=dt.date(2026, 11, 27),
        created_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )
    client.force_login(team["staff"].user)
    page = client.get("/presensi/").content.decode()
    assert 'id="my-tasks"' in page and "Kajian SPBE" in page
    client.force_login(team["other"].user)
    assert 'id="my-tasks"' not in client.get("/presensi/").content.decode()
