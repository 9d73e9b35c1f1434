"""Surprise inspections (/sidak/): each person's status at the inspection time and the
finding for each case, closing flags the absent's check-ins (re-scored, to review, into the
inspector's queue), a closed inspection is frozen, and who may inspect."""

from __future__ import annotations

import uuid

import pytest
from django.utils import translation
from django.utils.translation import gettext

from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.attendance.services import attendance_day_recompute
from sigap.org.selectors import scope_for
from sigap.verification import rules
from sigap.verification.inspections import (
    AtInspection,
    inspection_close,
    inspection_finding,
    inspection_open,
    inspection_record,
)
from sigap.verification.models import Finding, Inspection, InspectionEntry, ReviewDecision
from tests.factories import EmployeeFactory
from tests.rollcall.fixtures import check_in
from tests.verification.test_review import MONDAY, api_decision, at, flagged
from tests.verification.test_review import world as review_world

world = review_world  # the same agency as the review tests


def event(employee, when, *, kind="in", mode="WFO", review=Review.NONE) -> CheckIn:
    made = check_in(employee, when, review=review)
    CheckIn.objects.filter(pk=made.pk).update(kind=kind, mode=mode, request_id=uuid.uuid4())
    made.refresh_from_db()
    attendance_day_recompute(employee=employee, date=made.work_date)
    return made


@pytest.fixture
def office(world):
    """Dinas Alfa with one person per case (and the division's staff); opd B aside."""
    w = world
    people = {
        name: EmployeeFactory(agency=w.agency, unit=w.opd_a, supervisor=w.head_a, name=name)
        for name in [
            "absent_wfo",
            "present_wfo",
            "walk_in",
            "nobody",
            "wfh",
            "gone",
            "late",
            "voided",
        ]
    }
    people["division"] = w.staff_div
    people["head"] = w.head_a
    people["staff"] = w.staff_a
    event(people["absent_wfo"], at(7, 10))
    event(people["present_wfo"], at(7, 5))
    event(people["wfh"], at(7, 20), mode="WFH")
    event(people["gone"], at(7, 0))
    event(people["gone"], at(9, 0), kind="out")
    event(people["late"], at(10, 30))  # after the inspection
    event(people["voided"], at(7, 15), review=Review.REJECTED)
    event(w.staff_div, at(7, 25))
    event(w.head_a, at(7, 0))
    event(w.staff_a, at(7, 12), mode="WFA")
    event(w.staff_b, at(7, 0))  # another OPD: not inspected
    return people


def open_inspection(client, user, unit, **extra):
    client.force_login(user)
    answer = client.post("/sidak/baru/", {"unit": unit.pk, **extra})
    assert answer.status_code == 302, answer.content.decode()[:500]
    return Inspection.objects.latest("pk")


@pytest.mark.parametrize(
    ("status", "present", "finding"),
    [
        (AtInspection.WFO_IN, True, Finding.OK),
        (AtInspection.WFO_IN, False, Finding.ABSENT_BUT_CHECKED_IN),
        (AtInspection.NONE, True, Finding.PRESENT_WITHOUT_CHECK_IN),
        (AtInspection.NONE, False, Finding.ABSENT),
        (AtInspection.WFH, False, Finding.OK),
        (AtInspection.WFA, True, Finding.OK),
        (AtInspection.CHECKED_OUT, False, Finding.OK),
        (AtInspection.DL, False, Finding.OK),
    ],
)
def test_finding(status, present, finding):
    assert inspection_finding(status, present) == finding


def test_the_page_lists_each_status_at_the_inspection_time(client, world, office):
    w = world
    inspection = open_inspection(client, w.inspector, w.opd_a, at="2026-11-23T10:00")
    assert inspection.at == at(10, 0) and inspection.inspector == w.inspector
    page = client.get(f"/sidak/{inspection.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    expected = {
        "absent_wfo": "wfo_in",
        "present_wfo": "wfo_in",
        "walk_in": "none",
        "wfh": "wfh",
        "gone": "checked_out",
        "late": "none",
        "voided": "none",
        "division": "wfo_in",
        "staff": "wfa",
    }
    for name, status in expected.items():
        assert f'id="person-{office[name].pk}" data-status="{status}"' in html, name
    assert w.staff_b.name not in html
    with translation.override("id"):
        assert gettext("People of the unit") in html


def test_findings_for_each_case_and_closing_flags_the_absent(
    client, world, office, django_capture_on_commit_callbacks
):
    w, p = world, office
    inspection = open_inspection(client, w.inspector, w.opd_a)  # now: 10:00
    there = [p["present_wfo"], p["walk_in"], p["head"], p["wfh"]]
    answer = client.post(f"/sidak/{inspection.pk}/simpan/", {"present": [str(e.pk) for e in there]})
    assert answer.status_code == 302
    findings = dict(
        InspectionEntry.objects.filter(inspection=inspection).values_list("employee_id", "finding")
    )
    assert findings[p["absent_wfo"].pk] == Finding.ABSENT_BUT_CHECKED_IN
    assert findings[p["division"].pk] == Finding.ABSENT_BUT_CHECKED_IN  # the subtree counts
    assert findings[p["present_wfo"].pk] == Finding.OK
    assert findings[p["walk_in"].pk] == Finding.PRESENT_WITHOUT_CHECK_IN
    assert findings[p["nobody"].pk] == Finding.ABSENT
    assert findings[p["late"].pk] == Finding.ABSENT
    assert findings[p["wfh"].pk] == findings[p["gone"].pk] == findings[p["staff"].pk] == Finding.OK
    assert w.staff_b.pk not in findings
    html = client.get(f"/sidak/{inspection.pk}/").content.decode()
    assert f'id="absent-{p["absent_wfo"].pk}"' in html and f'id="present-{p["walk_in"].pk}"' in html
    absent_event = CheckIn.objects.get(employee=p["absent_wfo"])
    assert absent_event.review == Review.NONE  # saving alone flags nobody yet
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/sidak/{inspection.pk}/tutup/")
    assert answer.status_code == 302
    inspection.refresh_from_db()
    assert inspection.closed_at is not None
    absent_event.refresh_from_db()
    assert absent_event.risk_reasons == ["absent_at_inspection"]
    assert absent_event.risk_score == 80
    assert absent_event.review == Review.PENDING and "verification" in absent_event.review_reasons
    day = AttendanceDay.objects.get(employee=p["absent_wfo"], date=MONDAY)
    assert "review_pending" in day.flags
    present_event = CheckIn.objects.get(employee=p["present_wfo"])
    assert present_event.review == Review.NONE and present_event.risk_reasons == []
    queue = client.get("/api/v1/verification/queue").json()["check_ins"]
    flagged_ids = {row["id"] for row in queue}
    division_event = CheckIn.objects.get(employee=p["division"])
    assert flagged_ids == {absent_event.pk, division_event.pk}
    reasons = next(r for r in queue if r["id"] == absent_event.pk)["risk"]["reasons"]
    assert reasons[0]["code"] == "absent_at_inspection"
    assert "10:00" in reasons[0]["text"]


def test_the_score_adds_to_the_stored_reasons(client, world):
    w = world
    proven = flagged(
        w.staff_a,
        at(7, 10),
        reasons=[{"code": "qr_verified", "weight": -30}],
        review=Review.NONE,
        review_reasons=(),
    )
    faked = flagged(w.staff_div, at(7, 11), reasons=[{"code": "mock_location", "weight": 50}])
    scope = scope_for(w.inspector)
    inspection = inspection_open(scope=scope, by=w.inspector, unit_id=w.opd_a.pk)
    inspection_record(inspection=inspection, present=[w.head_a.pk])
    inspection_close(inspection=inspection)
    proven.refresh_from_db()
    faked.refresh_from_db()
    assert proven.risk_reasons == ["qr_verified", "absent_at_inspection"]
    assert (
        proven.risk_score
        == rules.risk_score([rules.Reason("qr_verified"), rules.Reason("absent_at_inspection")])
        == 50
    )
    assert faked.risk_score == 100  # clamped
    assert proven.review == faked.review == Review.PENDING


def test_a_cleared_check_in_found_absent_is_reviewed_again(client, world):
    w = world
    cleared = flagged(w.staff_a, at(7, 10))
    client.force_login(w.inspector)
    first = client.post(
        api_decision(cleared.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert first.status_code == 201
    inspection = inspection_open(scope=scope_for(w.inspector), by=w.inspector, unit_id=w.opd_a.pk)
    inspection_record(inspection=inspection, present=[])
    inspection_close(inspection=inspection)
    assert cleared.pk in {
        r["id"] for r in client.get("/api/v1/verification/queue").json()["check_ins"]
    }
    again = client.post(
        api_decision(cleared.pk),
        {"decision": "confirm", "note": "Tidak ada di kantor saat sidak"},
        content_type="application/json",
    )
    assert again.status_code == 201
    assert ReviewDecision.objects.filter(check_in=cleared).count() == 2
    decision = ReviewDecision.objects.filter(check_in=cleared).latest("pk")
    assert "absent_at_inspection" in [r["code"] for r in decision.reasons]


def test_a_closed_inspection_is_frozen(client, world, office):
    w = world
    inspection = open_inspection(client, w.hr.user, w.opd_a)
    assert client.post(f"/sidak/{inspection.pk}/tutup/").status_code == 409  # nothing saved yet
    answer = client.post(f"/sidak/{inspection.pk}/simpan/", {"present": [], "then": "close"})
    assert answer.status_code == 302
    inspection.refresh_from_db()
    assert inspection.closed_at is not None
    entries = list(
        InspectionEntry.objects.filter(inspection=inspection).values_list("pk", "present")
    )
    again = client.post(f"/sidak/{inspection.pk}/simpan/", {"present": [str(office["nobody"].pk)]})
    assert again.status_code == 409
    assert client.post(f"/sidak/{inspection.pk}/tutup/").status_code == 409
    assert (
        list(InspectionEntry.objects.filter(inspection=inspection).values_list("pk", "present"))
        == entries
    )
    html = client.get(f"/sidak/{inspection.pk}/").content.decode()
    assert 'id="presence-form"' not in html and 'data-closed="1"' in html
    assert client.get("/sidak/").status_code == 200


def test_an_inspection_cannot_be_in_the_future(client, world):
    client.force_login(world.inspector)
    answer = client.post("/sidak/baru/", {"unit": world.opd_a.pk, "at": "2026-11-23T12:00"})
    assert answer.status_code == 422 and 'id="inspection-error"' in answer.content.decode()
    assert not Inspection.objects.exists()


# --- who may inspect ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_a", "head_a", "leader"])
def test_others_get_403(client, world, who):
    w = world
    inspection = inspection_open(scope=scope_for(w.inspector), by=w.inspector, unit_id=w.opd_a.pk)
    user = getattr(w, who)
    client.force_login(getattr(user, "user", user))
    assert client.get("/sidak/").status_code == 403
    assert client.post("/sidak/baru/", {"unit": w.opd_a.pk}).status_code == 403
    assert client.get(f"/sidak/{inspection.pk}/").status_code == 403
    assert client.post(f"/sidak/{inspection.pk}/simpan/", {"present": []}).status_code == 403
    assert not InspectionEntry.objects.exists()


def test_another_agency_is_404(client, world):
    w = world
    inspection = inspection_open(scope=scope_for(w.inspector), by=w.inspector, unit_id=w.opd_a.pk)
    client.force_login(w.other_inspector)
    assert client.get("/sidak/").status_code == 200
    assert client.post("/sidak/baru/", {"unit": w.opd_a.pk}).status_code == 404
    assert client.get(f"/sidak/{inspection.pk}/").status_code == 404
    assert client.post(f"/sidak/{inspection.pk}/tutup/").status_code == 404
    assert Inspection.objects.count() == 1


def test_the_list_shows_counts(client, world, office):
    w = world
    inspection = open_inspection(client, w.inspector, w.opd_a)
    client.post(f"/sidak/{inspection.pk}/simpan/", {"present": [str(office["walk_in"].pk)]})
    html = client.get("/sidak/").content.decode()
    assert f'id="inspection-{inspection.pk}"' in html
    row = html.split(f'id="inspection-{inspection.pk}"')[1].split("</tr>")[0]
    assert '<td class="num">4</td>' in row  # WFO check-ins not ticked: two staff, division, head
    assert '<td class="num">1</td>' in row  # the walk-in
    with translation.override("id"):
        assert gettext("Surprise inspections") in html
