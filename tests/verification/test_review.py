"""The inspector's review queue (/verifikasi/, GET /api/v1/verification/queue) and its
decisions (POST .../putusan/, POST /api/v1/verification/check-ins/{id}/decision): what is
listed and how it filters, confirm voids the check-in and recomputes the day, clear lets it
stand, notifications, 409 on a second decision, who may see and decide, a bounded number of
queries, the decisions log and the reference photos."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.attendance.services import attendance_day_recompute
from sigap.core import clock
from sigap.core.models import Notification
from sigap.org.models import Employee, Role, Unit, UnitKind
from sigap.verification import rules
from sigap.verification.models import (
    CheckVerification,
    Decision,
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
    ReviewDecision,
)
from sigap.verification.reasons import REASON_LABELS, reason_line
from sigap.worktime.services import holidays_seed
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, RoleFactory, UnitFactory
from tests.rollcall.fixtures import check_in

WITA = ZoneInfo("Asia/Makassar")
MONDAY = dt.date(2026, 11, 23)
QUEUE = "/verifikasi/"
API_QUEUE = "/api/v1/verification/queue"


def at(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


def api_decision(check_in_id: int) -> str:
    return f"/api/v1/verification/check-ins/{check_in_id}/decision"


def decide_url(check_in_id: int) -> str:
    return f"/verifikasi/{check_in_id}/putusan/"


@dataclass
class World:
    agency: object
    opd_a: Unit
    division: Unit
    opd_b: Unit
    head_a: Employee
    head_b: Employee
    staff_a: Employee
    staff_div: Employee
    staff_b: Employee
    hr: Employee
    inspector: object  # a user with the inspector role and no employee record
    leader: object
    other_inspector: object
    other_staff: Employee
    people: list[Employee] = field(default_factory=list)


@pytest.fixture
def world(db, freeze, settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    freeze(2026, 11, 23, 10, 0)
    agency = AgencyFactory(time_zone="Asia/Makassar")
    holidays_seed(agency=agency, year=2026)
    opd_a = UnitFactory(agency=agency, code="A", name="Dinas Alfa")
    division = UnitFactory(
        agency=agency, code="A1", name="Bidang Alfa Satu", parent=opd_a, kind=UnitKind.BIDANG
    )
    opd_b = UnitFactory(agency=agency, code="B", name="Badan Beta")
    office_a = OfficeFactory(agency=agency, latitude=-2.68, longitude=118.89, radius_m=100)
    office_a.units.add(opd_a)
    office_b = OfficeFactory(agency=agency, latitude=-2.69, longitude=118.90, radius_m=100)
    office_b.units.add(opd_b)
    head_a = EmployeeFactory(agency=agency, unit=opd_a, name="Kepala Alfa")
    head_b = EmployeeFactory(agency=agency, unit=opd_b, name="Kepala Beta")
    Unit.objects.filter(pk=opd_a.pk).update(head=head_a)
    Unit.objects.filter(pk=opd_b.pk).update(head=head_b)
    staff_a = EmployeeFactory(agency=agency, unit=opd_a, supervisor=head_a, name="Andi Alfa")
    staff_div = EmployeeFactory(agency=agency, unit=division, supervisor=head_a, name="Dewi Bidang")
    staff_b = EmployeeFactory(agency=agency, unit=opd_b, supervisor=head_b, name="Budi Beta")
    hr = EmployeeFactory(agency=agency, unit=opd_b, name="Admin BKPSDM")
    RoleFactory(user=hr.user, agency=agency, role=Role.HR_ADMIN)
    inspector = RoleFactory(agency=agency, role=Role.INSPECTOR).user
    leader = RoleFactory(agency=agency, role=Role.LEADER).user
    other_unit = UnitFactory(code="X", name="Dinas Lain")
    other_staff = EmployeeFactory(agency=other_unit.agency, unit=other_unit)
    other_inspector = RoleFactory(agency=other_unit.agency, role=Role.INSPECTOR).user
    return World(
        agency,
        opd_a,
        division,
        opd_b,
        head_a,
        head_b,
        staff_a,
        staff_div,
        staff_b,
        hr,
        inspector,
        leader,
        other_inspector,
        other_staff,
    )


MISMATCH = [
    {"code": "face_mismatch", "weight": 70, "distance": 0.72, "threshold": 0.6},
    {"code": "clock_skew", "weight": 15, "seconds": 300},
]


def flagged(
    employee: Employee,
    when: dt.datetime,
    *,
    reasons: list[dict] | None = None,
    review: str = Review.PENDING,
    review_reasons: tuple[str, ...] = ("verification",),
    distance: float | None = 0.72,
    face: str = "mismatch",
) -> CheckIn:
    """A WFO check-in as verification leaves it: reasons, score, review, and its day."""
    reasons = MISMATCH if reasons is None else reasons
    event = check_in(employee, when)
    score = rules.risk_score(rules.Reason(r["code"]) for r in reasons)
    CheckIn.objects.filter(pk=event.pk).update(
        risk_score=score,
        risk_reasons=[r["code"] for r in reasons],
        review=review,
        review_reasons=list(review_reasons),
        verification="mismatch" if face == "mismatch" else "matched",
    )
    CheckVerification.objects.create(
        check_in=event,
        employee=employee,
        work_date=event.work_date,
        face=face,
        distance=distance,
        reasons=reasons,
        score=score,
        processed_at=when,
    )
    attendance_day_recompute(employee=employee, date=event.work_date)
    event.refresh_from_db()
    return event


def reference(employee: Employee, name: str = "faces/ref.jpg") -> FaceReference:
    return FaceReference.objects.create(
        employee=employee,
        image=name,
        template=[0.0] * 128,
        status=ReferenceStatus.ACTIVE,
        source=ReferenceSource.HR_UPLOAD,
        model_version="test",
        created_at=clock.now(),
    )


def ids_in(response) -> list[int]:
    return [row["id"] for row in response.json()["check_ins"]]


def day_of(employee: Employee) -> AttendanceDay:
    return AttendanceDay.objects.get(employee=employee, date=MONDAY)


# --- labels ------------------------------------------------------------------------------


def test_every_risk_code_has_a_label():
    assert set(rules.WEIGHTS) <= set(REASON_LABELS)


def test_reasons_in_words():
    with translation.override("id"):
        line = reason_line(MISMATCH[0], "Asia/Makassar")
    assert line.weight == 70
    assert "0,72" in line.text and "0,6" in line.text  # numbers in the language's format
    assert line.text.startswith(str(REASON_LABELS["face_mismatch"]))
    first = reason_line(
        {"code": "repeated_fix", "first_seen": "2026-11-20T23:05:00+00:00"}, "Asia/Makassar"
    )
    assert "21" in first.text and "07:05" in first.text  # shown in the place's zone
    odd = reason_line({"code": "impossible_travel"}, "Asia/Makassar")  # no detail: label only
    assert odd.text == str(REASON_LABELS["impossible_travel"])


# --- the queue --------------------------------------------------------------------------


def test_queue_lists_the_flagged_newest_first(client, world):
    w = world
    pending = flagged(w.staff_a, at(7, 10))
    accepted_risky = flagged(w.staff_b, at(7, 20), review=Review.ACCEPTED, review_reasons=())
    newest = flagged(w.staff_div, at(7, 25))
    flagged(
        w.head_b,
        at(7, 5),
        reasons=[{"code": "clock_skew", "weight": 15}],
        review=Review.NONE,
        review_reasons=(),
    )
    geofence_only = flagged(
        w.hr, at(7, 1), reasons=[], review=Review.PENDING, review_reasons=("outside_geofence",)
    )
    flagged(w.head_a, at(7, 2), review=Review.REJECTED)
    flagged(w.other_staff, at(7, 3))
    client.force_login(w.inspector)
    answer = client.get(API_QUEUE)
    assert answer.status_code == 200
    assert ids_in(answer) == [newest.pk, accepted_risky.pk, pending.pk]
    assert geofence_only.pk not in ids_in(answer)
    row = answer.json()["check_ins"][-1]
    assert row["employee"]["nip"] == w.staff_a.nip
    assert row["risk"]["score"] == 85
    assert [r["code"] for r in row["risk"]["reasons"]] == ["face_mismatch", "clock_skew"]
    assert row["face"] == {"outcome": "mismatch", "distance": 0.72, "references": 0}
    assert row["place"]["radius_m"] == 100


def test_queue_filters_by_unit_and_date(client, world):
    w = world
    today_a = flagged(w.staff_a, at(7, 10))
    today_div = flagged(w.staff_div, at(7, 12))
    friday = flagged(w.staff_div, at(7, 12, dt.date(2026, 11, 20)))
    flagged(w.staff_b, at(7, 14))
    client.force_login(w.hr.user)
    assert ids_in(client.get(API_QUEUE, {"unit": w.division.pk})) == [today_div.pk, friday.pk]
    assert ids_in(client.get(API_QUEUE, {"unit": w.opd_a.pk, "date": "2026-11-23"})) == [
        today_div.pk,
        today_a.pk,
    ]
    assert ids_in(client.get(API_QUEUE, {"date": "2026-11-20"})) == [friday.pk]
    page = client.get(QUEUE, {"unit": w.division.pk})
    html = page.content.decode()
    assert f'id="flagged-{today_div.pk}"' in html and f'id="flagged-{today_a.pk}"' not in html


def test_the_page_shows_selfie_references_map_reasons_in_indonesian(client, world, settings):
    w = world
    settings.SIGAP_MAP_TILE_URL = ""
    event = flagged(w.staff_a, at(7, 10))
    ref = reference(w.staff_a)
    client.force_login(w.inspector)
    page = client.get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override("id"):
        assert gettext("Flagged check-ins") in html
        label = gettext("The face does not match the reference photos")
    assert label in html and "0,72" in html  # the reason, with its detail
    assert f"/verifikasi/rujukan/{ref.pk}/" in html
    assert 'class="risk-score">85<' in html
    assert f'data-lat="{event.latitude}"' in html and 'data-radius="100' in html
    assert 'id="map-note"' in html and 'id="review-map-config"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'id="nav-verification-agency"' in html and 'id="nav-inspections"' in html


def test_tiles_only_when_configured(client, world, settings):
    settings.SIGAP_MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    flagged(world.staff_a, at(7, 10))
    client.force_login(world.inspector)
    html = client.get(QUEUE).content.decode()
    assert 'id="map-note"' not in html and "tiles.example.test" in html


def test_queue_queries_do_not_grow_with_the_rows(client, world):
    w = world
    people = [
        EmployeeFactory(agency=w.agency, unit=w.opd_a, supervisor=w.head_a) for _ in range(12)
    ]
    for n, person in enumerate(people[:3]):
        flagged(person, at(7, n))
        reference(person)
    client.force_login(w.inspector)
    client.get(QUEUE)  # warm the caches (the unit tree)
    with CaptureQueriesContext(connection) as three:
        assert client.get(QUEUE).status_code == 200
    for n, person in enumerate(people[3:], start=3):
        flagged(person, at(7, n))
        reference(person)
        reference(person, "faces/second.jpg")
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(QUEUE)
    assert page.content.decode().count('class="card review flagged"') == 12
    assert len(twelve) == len(three), [q["sql"] for q in twelve.captured_queries]
    with CaptureQueriesContext(connection) as api:
        assert len(client.get(API_QUEUE).json()["check_ins"]) == 12
    assert len(api) <= len(three)


# --- who may see ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_a", "leader"])
def test_employee_and_leader_get_403(client, world, who):
    event = flagged(world.staff_b, at(7, 10))
    user = getattr(world, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(QUEUE).status_code == 403
    answer = client.get(API_QUEUE)
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    answer = client.post(
        api_decision(event.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert answer.status_code == 403
    assert client.post(decide_url(event.pk), {"decision": "clear"}).status_code == 403
    assert client.get("/verifikasi/keputusan/").status_code == 403


def test_another_agency_is_404(client, world):
    w = world
    event = flagged(w.staff_a, at(7, 10))
    client.force_login(w.other_inspector)
    assert client.get(API_QUEUE).json()["check_ins"] == []
    answer = client.get(API_QUEUE, {"unit": w.opd_a.pk})
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    answer = client.post(
        api_decision(event.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert answer.status_code == 404
    assert client.post(decide_url(event.pk), {"decision": "clear"}).status_code == 404
    assert client.get(QUEUE, {"unit": w.opd_a.pk}).status_code == 404


def test_unit_heads_see_and_decide_for_their_subtree_only(client, world):
    w = world
    mine = flagged(w.staff_div, at(7, 10))
    theirs = flagged(w.staff_b, at(7, 12))
    client.force_login(w.head_b.user)
    assert ids_in(client.get(API_QUEUE)) == [theirs.pk]
    assert client.get(API_QUEUE, {"unit": w.opd_a.pk}).status_code == 403
    answer = client.post(
        api_decision(mine.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert client.post(decide_url(mine.pk), {"decision": "clear"}).status_code == 403
    client.force_login(w.head_a.user)
    page = client.get(QUEUE)
    assert page.status_code == 200 and 'id="nav-verification"' in page.content.decode()
    assert ids_in(client.get(API_QUEUE)) == [mine.pk]
    answer = client.post(
        api_decision(mine.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert answer.status_code == 201


def test_nobody_decides_on_their_own_check_in(client, world):
    own = flagged(world.hr, at(7, 10))
    client.force_login(world.hr.user)
    answer = client.post(
        api_decision(own.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert answer.status_code == 403


# --- decisions -------------------------------------------------------------------------


def test_confirm_voids_the_check_in_and_the_day_recomputes(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    event = flagged(w.staff_a, at(7, 10))
    assert day_of(w.staff_a).status == "HADIR"
    assert "review_pending" in day_of(w.staff_a).flags
    client.force_login(w.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            decide_url(event.pk), {"decision": "confirm", "note": "Foto orang lain di layar HP"}
        )
    assert answer.status_code == 302
    event.refresh_from_db()
    assert event.review == Review.REJECTED and not event.counts
    assert event.reviewed_by == w.inspector and event.review_note == "Foto orang lain di layar HP"
    day = day_of(w.staff_a)
    assert day.status == "BELUM" and day.check_in is None
    assert "review_pending" not in day.flags
    record = ReviewDecision.objects.get(check_in=event)
    assert record.decision == Decision.CONFIRMED and record.by == w.inspector
    assert record.score == 85 and record.note == "Foto orang lain di layar HP"
    assert record.reasons[0] == MISMATCH[0]
    assert record.at == clock.now()
    told = {n.user_id: n for n in Notification.objects.filter(kind="verification")}
    assert set(told) == {w.staff_a.user_id, w.head_a.user_id}
    assert "Foto orang lain" in told[w.staff_a.user_id].body
    assert event.pk not in ids_in(client.get(API_QUEUE))
    log = client.get("/verifikasi/keputusan/").content.decode()
    assert f'id="decision-{record.pk}"' in log and "Foto orang lain" in log


def test_confirm_on_a_closed_day_leaves_it_tk(client, world):
    w = world
    event = flagged(w.staff_a, at(7, 10))
    attendance_day_recompute(employee=w.staff_a, date=MONDAY, final=True)
    assert day_of(w.staff_a).status == "PSW4"  # checked in, never out
    client.force_login(w.inspector)
    answer = client.post(
        api_decision(event.pk),
        {"decision": "confirm", "note": "GPS palsu"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["decision"] == "confirmed" and body["review"] == "rejected"
    assert body["score"] == 85 and body["employee"] == w.staff_a.nip
    assert day_of(w.staff_a).status == "TK"


def test_clear_keeps_the_check_in(client, world, django_capture_on_commit_callbacks):
    w = world
    event = flagged(w.staff_a, at(7, 10))
    client.force_login(w.hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            api_decision(event.pk), {"decision": "clear"}, content_type="application/json"
        )
    assert answer.status_code == 201 and answer.json()["decision"] == "cleared"
    event.refresh_from_db()
    assert event.review == Review.ACCEPTED and event.counts
    day = day_of(w.staff_a)
    assert day.status == "HADIR" and "review_pending" not in day.flags
    assert ReviewDecision.objects.get(check_in=event).decision == Decision.CLEARED
    assert not Notification.objects.filter(kind="verification").exists()
    assert ids_in(client.get(API_QUEUE)) == []


def test_confirm_needs_a_note(client, world):
    event = flagged(world.staff_a, at(7, 10))
    client.force_login(world.inspector)
    answer = client.post(
        api_decision(event.pk),
        {"decision": "confirm", "note": "  "},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_input"
    assert "note" in answer.json()["detail"]["fields"]
    page = client.post(decide_url(event.pk), {"decision": "confirm", "note": ""})
    assert page.status_code == 422 and 'id="decide-error"' in page.content.decode()
    answer = client.post(
        api_decision(event.pk), {"decision": "maybe"}, content_type="application/json"
    )
    assert answer.status_code == 422
    event.refresh_from_db()
    assert event.review == Review.PENDING and not ReviewDecision.objects.exists()


def test_a_second_decision_is_409(client, world):
    event = flagged(world.staff_a, at(7, 10))
    client.force_login(world.inspector)
    first = client.post(
        api_decision(event.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert first.status_code == 201
    again = client.post(
        api_decision(event.pk),
        {"decision": "confirm", "note": "x"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert set(again.json()) == {"code", "message", "detail"}
    assert again.json()["code"] == "already_decided"
    page = client.post(decide_url(event.pk), {"decision": "confirm", "note": "x"})
    assert page.status_code == 409
    assert ReviewDecision.objects.filter(check_in=event).count() == 1


def test_an_unflagged_check_in_cannot_be_decided(client, world):
    plain = check_in(world.staff_a, at(7, 10))
    client.force_login(world.inspector)
    answer = client.post(
        api_decision(plain.pk), {"decision": "clear"}, content_type="application/json"
    )
    assert answer.status_code == 409 and answer.json()["code"] == "not_flagged"


def test_decisions_log_follows_the_scope(client, world):
    w = world
    a = flagged(w.staff_a, at(7, 10))
    b = flagged(w.staff_b, at(7, 11))
    client.force_login(w.inspector)
    for event in (a, b):
        client.post(api_decision(event.pk), {"decision": "clear"}, content_type="application/json")
    client.force_login(w.head_b.user)
    page = client.get("/verifikasi/keputusan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert w.staff_b.name in html and w.staff_a.name not in html
    client.force_login(w.inspector)
    html = client.get("/verifikasi/keputusan/", {"decision": "confirmed"}).content.decode()
    assert 'id="decisions-empty"' in html


# --- reference photos ---------------------------------------------------------------------


def test_reference_photo_is_scope_checked(client, world, settings, tmp_path):
    w = world
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("faces/andi.jpg", ContentFile(b"\xff\xd8\xff\xe0jpeg"))
    ref = reference(w.staff_a, name)
    url = f"/verifikasi/rujukan/{ref.pk}/"
    client.force_login(w.inspector)
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    assert b"".join(answer.streaming_content).startswith(b"\xff\xd8")
    client.force_login(w.head_b.user)
    assert client.get(url).status_code == 404  # outside the head's subtree
    client.force_login(w.other_inspector)
    assert client.get(url).status_code == 404
    client.force_login(w.staff_b.user)
    assert client.get(url).status_code == 403
