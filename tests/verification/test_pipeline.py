"""The whole verification path, for real: a check-in through `attendance_check_in` with a
fixture portrait as the selfie, `check_in_recorded` after the commit, the receiver
queueing `verification.verify` (run in-process: `celery_eager`), dlib on the stored
selfie, and the outcome written on the check-in, its day and the verification row."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import threading
import uuid
from functools import cache

import pytest
from PIL import Image, ImageDraw

from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.attendance.services import CheckInCommand, attendance_check_in
from sigap.core import clock
from sigap.core.geo import Point
from sigap.core.tokens import token_issue
from sigap.verification import face, rules, services, tasks
from sigap.verification.models import (
    CheckVerification,
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
)
from sigap.verification.tasks import verify
from tests.attendance.fixtures import OFFICE_LAT, OFFICE_LON, form
from tests.factories import EmployeeFactory
from tests.verification.conftest import (
    ASTRONAUT,
    HOPPER,
    blank,
    jpeg,
    portrait,
    side_by_side,
    smiley,
    tiny_face,
)

pytestmark = [pytest.mark.django_db, pytest.mark.verification]

REVIEW_THRESHOLD = rules.Settings().review_threshold
_spread = itertools.count()


@pytest.fixture(autouse=True)
def _worker(celery_eager, media):
    """Tasks run in-process; selfies go to a private media directory."""


@pytest.fixture
def monday(freeze):
    return freeze(2026, 11, 23, 7, 20)


@cache
def selfie_of(name: str) -> bytes:
    return jpeg(portrait(name), 90)


@cache
def template_of(name: str) -> tuple[float, ...]:
    found = face.analyse(portrait(name))
    assert found.embedding is not None
    return found.embedding


def enrol(employee, name: str) -> FaceReference:
    """An active reference of the portrait `name` (as if HR had uploaded it)."""
    return FaceReference.objects.create(
        employee=employee,
        image=f"faces/{name}",
        template=list(template_of(name)),
        face_px=100,
        status=ReferenceStatus.ACTIVE,
        source=ReferenceSource.HR_UPLOAD,
        model_version=face.MODEL_VERSION,
        created_at=clock.now(),
    )


def command(selfie: bytes, **overrides) -> CheckInCommand:
    """A check-in at the office; each one a metre or so from the last with its own
    accuracy, so that no two are the same fix unless a test says so."""
    n = next(_spread) % 60
    values = {
        "request_id": uuid.uuid4(),
        "kind": "in",
        "point": Point(OFFICE_LAT + n * 1e-5, OFFICE_LON),
        "accuracy_m": 10.0 + n / 10,
        "captured_at": clock.now(),
        "selfie": selfie,
    }
    return CheckInCommand(**(values | overrides))


def checked_in(capture, employee, selfie: bytes, **overrides) -> CheckIn:
    """Check in, commit (the receiver queues the task, which runs at once), reload."""
    with capture(execute=True):
        event = attendance_check_in(employee=employee, command=command(selfie, **overrides)).event
    return CheckIn.objects.select_related("checked").get(pk=event.pk)


def codes(event: CheckIn) -> list[str]:
    return [reason["code"] for reason in event.checked.reasons]


# --- the face -----------------------------------------------------------------------------


def test_the_enrolled_person_is_matched_with_no_risk(
    monday, office_worker, django_capture_on_commit_callbacks
):
    enrol(office_worker, ASTRONAUT)
    event = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert event.verification == "matched"
    assert event.risk_score == 0
    assert event.risk_reasons == []
    assert event.review == Review.NONE
    result = event.checked
    assert result.face == "matched"
    assert result.distance <= face.DEFAULT_THRESHOLD
    assert result.face_px >= face.DEFAULT_MIN_FACE_PX
    assert result.model_version == face.MODEL_VERSION
    assert result.phash is not None
    day = AttendanceDay.objects.get(employee=office_worker, date=event.work_date)
    assert "review_pending" not in day.flags


def test_another_person_is_a_mismatch_and_the_day_goes_to_review(
    monday, office_worker, django_capture_on_commit_callbacks
):
    enrol(office_worker, HOPPER)
    event = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert event.verification == "mismatch"
    assert event.risk_score >= REVIEW_THRESHOLD
    assert event.risk_reasons == ["face_mismatch"]
    assert event.review == Review.PENDING
    assert "verification" in event.review_reasons
    (reason,) = event.checked.reasons
    assert reason["code"] == "face_mismatch"
    assert reason["distance"] > reason["threshold"] == face.DEFAULT_THRESHOLD
    day = AttendanceDay.objects.get(employee=office_worker, date=event.work_date)
    assert "review_pending" in day.flags
    assert day.status == "HADIR"  # the check-in still counts until someone decides


def test_the_agency_threshold_decides(monday, office_worker, django_capture_on_commit_callbacks):
    agency = office_worker.agency
    agency.settings = {"verification": {"face_threshold": 0.75}}
    agency.save(update_fields=["settings"])
    enrol(office_worker, HOPPER)  # the two portraits are about 0.69 apart
    event = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert event.verification == "matched"


def test_without_a_reference_the_selfie_is_proposed(
    monday, office_worker, django_capture_on_commit_callbacks
):
    event = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert event.verification == "no_reference"
    assert event.risk_score == 0
    assert event.review == Review.NONE
    proposed = FaceReference.objects.get(employee=office_worker)
    assert proposed.status == ReferenceStatus.PROPOSED  # counts only once HR approves
    assert proposed.source == ReferenceSource.SELFIE
    assert proposed.check_in_id == event.pk
    assert proposed.image.name == event.selfie.name
    assert len(proposed.template) == 128
    assert face.distance(proposed.template, template_of(ASTRONAUT)) <= face.DEFAULT_THRESHOLD


def test_a_proposed_reference_is_not_used_for_matching(
    freeze, office_worker, django_capture_on_commit_callbacks
):
    freeze(2026, 11, 23, 7, 20)
    checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(HOPPER))
    freeze(2026, 11, 24, 7, 20)
    event = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert event.verification == "no_reference"
    assert FaceReference.objects.filter(employee=office_worker).count() == 2


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (blank, "no_face"),
        (smiley, "no_face"),
        (side_by_side, "several_faces"),
        (tiny_face, "face_too_small"),
    ],
)
def test_an_unusable_selfie_is_a_mismatch_with_its_reason(
    monday, office_worker, django_capture_on_commit_callbacks, make, problem
):
    enrol(office_worker, ASTRONAUT)
    event = checked_in(django_capture_on_commit_callbacks, office_worker, jpeg(make()))
    assert event.checked.face == problem
    assert event.verification == "mismatch"  # API.md's enum: not a match
    assert problem in event.risk_reasons
    assert event.risk_score == rules.WEIGHTS[problem]
    assert event.checked.distance is None
    assert not FaceReference.objects.filter(status=ReferenceStatus.PROPOSED).exists()


# --- reused and shared selfies ------------------------------------------------------------


def test_the_same_selfie_the_next_day_is_reused(
    freeze, office_worker, django_capture_on_commit_callbacks
):
    enrol(office_worker, ASTRONAUT)
    freeze(2026, 11, 23, 7, 20)
    first = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert "selfie_reused" not in codes(first)
    freeze(2026, 11, 24, 7, 20)
    again = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert again.verification == "matched"  # it is her face, but the very same photo
    assert "selfie_reused" in again.risk_reasons
    (reused,) = [r for r in again.checked.reasons if r["code"] == "selfie_reused"]
    assert reused["check_ins"] == [first.pk]
    assert again.risk_score >= REVIEW_THRESHOLD
    assert again.review == Review.PENDING


def test_a_re_encoded_copy_is_reused_too(freeze, office_worker, django_capture_on_commit_callbacks):
    freeze(2026, 11, 23, 7, 20)
    checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(HOPPER))
    freeze(2026, 11, 24, 7, 20)
    copy = jpeg(portrait(HOPPER).resize((384, 450)), 40)
    again = checked_in(django_capture_on_commit_callbacks, office_worker, copy)
    assert "selfie_reused" in again.risk_reasons


def test_a_screenshot_of_an_earlier_selfie_is_reused(
    freeze, office_worker, django_capture_on_commit_callbacks
):
    """A screen capture of yesterday's selfie (upscaled to the screen, saved as PNG, a thin
    status bar on top) is caught by the perceptual hash. Screenshots with large UI chrome
    around a small photo are not: the hash compares whole images."""
    freeze(2026, 11, 23, 7, 20)
    checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(HOPPER))
    freeze(2026, 11, 24, 7, 20)
    photo = Image.open(io.BytesIO(selfie_of(HOPPER))).convert("RGB")
    screen = Image.new("RGB", (720, 720 * photo.height // photo.width + 24), "black")
    screen.paste(photo.resize((720, 720 * photo.height // photo.width)), (0, 24))
    ImageDraw.Draw(screen).text((8, 6), "07:19  4G  85%", fill="white")
    png = io.BytesIO()
    screen.save(png, "PNG")
    again = checked_in(django_capture_on_commit_callbacks, office_worker, png.getvalue())
    assert "selfie_reused" in again.risk_reasons


def test_a_different_selfie_is_not_reused(
    freeze, office_worker, django_capture_on_commit_callbacks
):
    freeze(2026, 11, 23, 7, 20)
    checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(HOPPER))
    freeze(2026, 11, 24, 7, 20)
    other = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    assert "selfie_reused" not in other.risk_reasons


def test_another_employee_s_same_selfie_the_same_day_is_shared(
    monday, office_worker, django_capture_on_commit_callbacks
):
    colleague = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    first = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    second = checked_in(django_capture_on_commit_callbacks, colleague, selfie_of(ASTRONAUT))
    assert "selfie_shared" not in first.risk_reasons
    assert "selfie_shared" in second.risk_reasons
    (shared,) = [r for r in second.checked.reasons if r["code"] == "selfie_shared"]
    assert shared["check_ins"] == [first.pk]
    assert second.review == Review.PENDING


# --- location, time -----------------------------------------------------------------------


def test_a_mock_location_is_a_reason(monday, office_worker, django_capture_on_commit_callbacks):
    enrol(office_worker, ASTRONAUT)
    event = checked_in(
        django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT), mock_location=True
    )
    assert event.verification == "matched"
    assert event.risk_reasons == ["mock_location"]
    assert event.risk_score == rules.WEIGHTS["mock_location"]


def test_two_employees_at_identical_coordinates_are_flagged(
    monday, office_worker, django_capture_on_commit_callbacks
):
    colleague = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    spot = Point(-2.680123, 118.890456)
    first = checked_in(
        django_capture_on_commit_callbacks,
        office_worker,
        selfie_of(ASTRONAUT),
        point=spot,
        accuracy_m=12.0,
    )
    second = checked_in(
        django_capture_on_commit_callbacks,
        colleague,
        selfie_of(HOPPER),
        point=Point(-2.6801234, 118.8904561),  # the same point to 6 decimals
        accuracy_m=12.0,  # and the same accuracy: a fake-GPS app's fixed point
    )
    assert "shared_coordinates" not in first.risk_reasons
    (shared,) = [r for r in second.checked.reasons if r["code"] == "shared_coordinates"]
    assert shared["employees"] == 2
    elsewhere = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    third = checked_in(
        django_capture_on_commit_callbacks,
        elsewhere,
        jpeg(blank(colour=(10, 90, 40))),
        point=Point(-2.680124, 118.890456),  # one millionth of a degree away
    )
    assert "shared_coordinates" not in third.risk_reasons


def test_impossible_travel(freeze, office_worker, django_capture_on_commit_callbacks):
    """In at the office, then out 300 km away ten minutes later (the agency flags check-ins
    outside the geofence instead of refusing them, so the far one is stored)."""
    agency = office_worker.agency
    agency.settings = {"attendance": {"outside_geofence": "flag"}}
    agency.save(update_fields=["settings"])
    enrol(office_worker, ASTRONAUT)
    freeze(2026, 11, 23, 7, 20)
    checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    freeze(2026, 11, 23, 7, 30)
    far = Point(OFFICE_LAT + 300 / 111.195, OFFICE_LON)
    event = checked_in(
        django_capture_on_commit_callbacks,
        office_worker,
        jpeg(portrait(ASTRONAUT).rotate(5)),
        kind="out",
        point=far,
    )
    (travel,) = [r for r in event.checked.reasons if r["code"] == "impossible_travel"]
    assert travel["km"] == pytest.approx(300, abs=1)
    assert travel["km_h"] == pytest.approx(1800, abs=10)
    assert event.review == Review.PENDING


def test_a_repeated_fix(freeze, office_worker, django_capture_on_commit_callbacks):
    spot = {"point": Point(-2.680071, 118.890032), "accuracy_m": 7.3}
    freeze(2026, 11, 23, 7, 20)
    first = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(HOPPER), **spot)
    freeze(2026, 11, 24, 7, 20)
    again = checked_in(
        django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT), **spot
    )
    assert "repeated_fix" not in first.risk_reasons
    (repeated,) = [r for r in again.checked.reasons if r["code"] == "repeated_fix"]
    assert repeated["first_seen"] == first.recorded_at.isoformat()


def test_a_device_clock_five_minutes_off(monday, office_worker, django_capture_on_commit_callbacks):
    enrol(office_worker, ASTRONAUT)
    event = checked_in(
        django_capture_on_commit_callbacks,
        office_worker,
        selfie_of(ASTRONAUT),
        captured_at=monday - dt.timedelta(minutes=5),
    )
    (skew,) = [r for r in event.checked.reasons if r["code"] == "clock_skew"]
    assert skew["seconds"] == 300
    assert event.risk_score == rules.WEIGHTS["clock_skew"]
    assert event.review == Review.NONE  # a weak sign alone does not reach review


def test_an_offline_check_in_sent_late_is_not_clock_skew(
    monday, office_worker, django_capture_on_commit_callbacks
):
    enrol(office_worker, ASTRONAUT)
    event = checked_in(
        django_capture_on_commit_callbacks,
        office_worker,
        selfie_of(ASTRONAUT),
        captured_at=monday - dt.timedelta(minutes=40),
        queued=True,
    )
    assert event.source == "offline"
    assert "clock_skew" not in event.risk_reasons


# --- the API, and running twice -------------------------------------------------------


def test_the_api_says_pending_then_shows_the_verified_result(
    monday, settings, client, office_worker, django_capture_on_commit_callbacks
):
    settings.SIGAP_VERIFICATION = False  # no worker has run yet
    enrol(office_worker, HOPPER)
    token = token_issue(user=office_worker.user, device_id="hp-1", device_name="HP").token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    selfie = io.BytesIO(selfie_of(ASTRONAUT))
    selfie.name = "selfie.jpg"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/attendance/check-ins", form(selfie=selfie), **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verification"] == "pending"
    assert body["risk"] == {"score": 0, "reasons": []}
    assert not CheckVerification.objects.exists()

    event = CheckIn.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        verify.delay(event.pk)  # the worker gets to it
    listed = client.get("/api/v1/attendance/check-ins?date=2026-11-23", **auth)
    assert listed.status_code == 200
    (item,) = listed.json()["check_ins"]
    assert item["verification"] == "mismatch"
    assert "face_mismatch" in item["risk"]["reasons"]
    assert item["risk"]["score"] >= REVIEW_THRESHOLD
    assert item["review"] == "pending"


def test_verifying_twice_changes_nothing(monday, office_worker, django_capture_on_commit_callbacks):
    event = checked_in(django_capture_on_commit_callbacks, office_worker, selfie_of(ASTRONAUT))
    first = event.checked
    before = CheckIn.objects.values().get(pk=event.pk)
    again = services.verify_check_in(check_in_id=event.pk)
    assert again.pk == first.pk
    assert again.processed_at == first.processed_at
    assert CheckVerification.objects.count() == 1
    assert CheckIn.objects.values().get(pk=event.pk) == before
    assert FaceReference.objects.count() == 1  # proposed once, not twice
    assert verify(event.pk) == {"check_in": event.pk, "face": "no_reference", "score": 0}


def test_a_vanished_check_in_is_reported_missing(db):
    assert services.verify_check_in(check_in_id=987654) is None
    assert verify(987654) == {"check_in": 987654, "missing": True}


# --- dispatch: the request never waits for the broker; a lost publish is swept -------------


def test_with_a_broker_the_request_only_hands_the_id_to_the_publisher(
    monday, office_worker, django_capture_on_commit_callbacks, settings, monkeypatch
):
    """Not eager (a real broker): the check-in's commit hands the id to the per-process
    publisher thread, which calls `verify.delay` (the broker is the edge: recorded here)."""
    tasks.verify.app.conf.task_always_eager = False  # restored by the celery_eager fixture
    published: list[int] = []
    arrived = threading.Event()

    def record(check_in_id):
        published.append(check_in_id)
        arrived.set()

    monkeypatch.setattr(tasks.verify, "delay", record)
    with django_capture_on_commit_callbacks(execute=True):
        event = attendance_check_in(
            employee=office_worker, command=command(selfie_of(ASTRONAUT))
        ).event
    assert arrived.wait(5) and published == [event.pk]
    assert not CheckVerification.objects.filter(check_in=event).exists()  # not inline


def test_the_sweep_verifies_check_ins_whose_publish_was_lost(
    freeze, office_worker, django_capture_on_commit_callbacks, settings
):
    enrol(office_worker, ASTRONAUT)
    freeze(2026, 11, 23, 7, 20)
    settings.SIGAP_VERIFICATION = False  # the publish is lost
    with django_capture_on_commit_callbacks(execute=True):
        event = attendance_check_in(
            employee=office_worker, command=command(selfie_of(ASTRONAUT))
        ).event
    settings.SIGAP_VERIFICATION = True
    freeze(2026, 11, 23, 7, 21)
    assert tasks.sweep() == 0  # too early: it may still be on its way
    freeze(2026, 11, 23, 7, 23)
    assert tasks.sweep() == 1
    assert CheckIn.objects.get(pk=event.pk).verification == "matched"
    assert tasks.sweep() == 0
