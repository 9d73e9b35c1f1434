"""POST/GET /attendance/check-ins, /me, /me/attendance: the API.md contract."""

import io
import uuid

import pytest

from sigap.attendance.models import AttendanceDay, CheckIn, RefusedCheckIn
from sigap.core import clock
from tests.attendance.fixtures import OFFICE_LAT, form, jpeg_bytes
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_on_time_check_in_is_201_and_hadir(freeze, post_check_in, office_worker):
    freeze(2026, 11, 23, 7, 20)
    response = post_check_in()
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "in"
    assert body["mode"] == "WFO"
    assert body["place"]["kind"] == "office"
    assert body["distance_m"] == 0
    assert body["day"]["status"] == "HADIR"
    assert body["day"]["date"] == "2026-11-23"
    assert body["review"] == "none"
    assert body["verification"] in {"pending", "matched", "mismatch", "no_reference"}
    assert body["risk"] == {"score": 0, "reasons": []}
    assert body["recorded_at"].endswith("+08:00")
    event = CheckIn.objects.get()
    assert event.selfie.name.startswith("selfies/2026/11/")
    assert event.work_date.isoformat() == "2026-11-23"


def test_late_check_in_shows_tl_at_once(freeze, post_check_in):
    freeze(2026, 11, 23, 7, 42)
    body = post_check_in().json()
    assert body["day"]["status"] == "TL1"
    assert body["day"]["late_minutes"] == 12


def test_check_out_early_adds_psw(freeze, post_check_in):
    freeze(2026, 11, 23, 8, 5)
    post_check_in()
    freeze(2026, 11, 23, 15, 45)
    body = post_check_in(kind="out").json()
    assert body["day"]["codes"] == ["TL2", "PSW1"]
    assert body["day"]["status"] == "TL2"


def test_same_request_id_is_idempotent(freeze, post_check_in):
    freeze(2026, 11, 23, 7, 20)
    rid = uuid.uuid4()
    first = post_check_in(request_id=rid)
    freeze(2026, 11, 23, 7, 25)
    second = post_check_in(request_id=rid)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert CheckIn.objects.count() == 1


def test_check_in_query_budget(freeze, post_check_in):
    """DESIGN.md: at most ~6 SQL statements per check-in. The test's own transaction
    turns the service's BEGIN/COMMIT into SAVEPOINT/RELEASE, which are not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    freeze(2026, 11, 23, 7, 20)
    post_check_in()  # warms the caches (token, employee, arrangement)
    freeze(2026, 11, 23, 16, 5)
    with CaptureQueriesContext(connection) as captured:
        assert post_check_in(kind="out").status_code == 201
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    # budget 6 (DESIGN.md); today 5: the idempotency look-up, the roster entry, the event
    # INSERT, the day's locked read and its UPDATE. Keep it.
    assert len(statements) <= 5, statements
    assert sum("arrangements_rosterentry" in s for s in statements) == 1


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"lat": OFFICE_LAT + 0.002}, "outside_geofence"),
        ({"accuracy": 150}, "accuracy_too_low"),
    ],
)
def test_refusals_store_only_the_attempt(freeze, post_check_in, kwargs, code):
    freeze(2026, 11, 23, 7, 20)
    response = post_check_in(**kwargs)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert CheckIn.objects.count() == 0
    assert AttendanceDay.objects.count() == 0
    refused = RefusedCheckIn.objects.get()
    assert refused.code == code


def test_outside_geofence_detail(freeze, post_check_in):
    freeze(2026, 11, 23, 7, 20)
    detail = post_check_in(lat=OFFICE_LAT + 0.002).json()["detail"]
    assert detail["radius_m"] == 100
    assert detail["distance_m"] == pytest.approx(222, abs=2)


def test_clock_skew_refused(freeze, post_check_in):
    now = freeze(2026, 11, 23, 7, 20)
    import datetime as dt

    response = post_check_in(captured_at=now - dt.timedelta(minutes=6))
    assert response.json()["code"] == "clock_skew"
    assert post_check_in(captured_at=now - dt.timedelta(minutes=4)).status_code == 201


def test_queued_offline_check_in_uses_receive_time_and_is_flagged(freeze, post_check_in):
    import datetime as dt

    now = freeze(2026, 11, 23, 7, 50)
    body = post_check_in(captured_at=now - dt.timedelta(minutes=30), queued="true").json()
    assert body["day"]["status"] == "TL1"  # the server's clock decides
    assert "offline_delayed" in body["day"]["flags"]
    assert CheckIn.objects.get().delay_seconds == 1800


def test_weekend_is_not_a_working_day(freeze, post_check_in):
    freeze(2026, 11, 22, 8, 0)  # Sunday
    assert post_check_in().json()["code"] == "not_a_working_day"


def test_holiday_is_not_a_working_day(freeze, client, office_worker):
    from sigap.core.tokens import token_issue

    freeze(2026, 12, 25, 8, 0)
    token = token_issue(user=office_worker.user, device_id="x", device_name="x").token
    response = client.post(
        "/api/v1/attendance/check-ins", form(), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.json()["code"] == "not_a_working_day"
    assert response.json()["detail"] == {"reason": "holiday"}


def test_outside_the_time_window(freeze, post_check_in):
    freeze(2026, 11, 23, 4, 59)
    assert post_check_in().json()["code"] == "outside_time_window"


def test_no_office_is_no_arrangement(freeze, client, db):
    person = EmployeeFactory()
    from sigap.core.tokens import token_issue

    token = token_issue(user=person.user, device_id="x", device_name="x").token
    freeze(2026, 11, 23, 7, 20)
    response = client.post(
        "/api/v1/attendance/check-ins", form(), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.json()["code"] == "no_arrangement"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("request_id", "not-a-uuid"),
        ("kind", "lunch"),
        ("latitude", "91"),
        ("longitude", "-180.5"),
        ("latitude", "nan"),
        ("accuracy_m", "0"),
        ("accuracy_m", "-3"),
        ("captured_at", "kemarin"),
        ("captured_at", "2026-11-23T07:20:00"),
    ],
)
def test_bad_fields_are_422_invalid_input(freeze, client, auth, field, value):
    freeze(2026, 11, 23, 7, 20)
    data = form()
    data[field] = value
    response = client.post("/api/v1/attendance/check-ins", data, **auth)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert field in body["detail"]["fields"]
    assert CheckIn.objects.count() == 0


def test_missing_selfie_is_422(freeze, client, auth):
    freeze(2026, 11, 23, 7, 20)
    data = form()
    del data["selfie"]
    response = client.post("/api/v1/attendance/check-ins", data, **auth)
    assert response.status_code == 422
    assert "selfie" in response.json()["detail"]["fields"]


@pytest.mark.parametrize(
    "content",
    [b"bukan gambar", b"GIF89a" + b"\x00" * 100, b""],
)
def test_not_an_image_is_invalid_image(freeze, client, auth, content):
    freeze(2026, 11, 23, 7, 20)
    data = form()
    data["selfie"] = io.BytesIO(content)
    data["selfie"].name = "selfie.jpg"
    response = client.post("/api/v1/attendance/check-ins", data, **auth)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_image"
    assert CheckIn.objects.count() == 0
    assert RefusedCheckIn.objects.get().code == "invalid_image"


def test_selfie_over_2_mb_is_413(freeze, client, auth):
    freeze(2026, 11, 23, 7, 20)
    data = form()
    data["selfie"] = io.BytesIO(jpeg_bytes() + b"\x00" * (2 * 1024 * 1024))
    data["selfie"].name = "selfie.jpg"
    response = client.post("/api/v1/attendance/check-ins", data, **auth)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert RefusedCheckIn.objects.get().code == "payload_too_large"
    assert CheckIn.objects.count() == 0


def test_unauthenticated_check_in_is_401(client, db):
    response = client.post("/api/v1/attendance/check-ins", form())
    assert response.status_code == 401


def test_me_today_is_filled(freeze, client, auth, post_check_in):
    freeze(2026, 11, 23, 7, 45)
    post_check_in()
    today = client.get("/api/v1/me", **auth).json()["today"]
    assert today["date"] == "2026-11-23"
    assert today["mode"] == "WFO"
    assert today["place"]["radius_m"] == 100
    assert today["schedule"] == {"start": "07:30", "end": "16:00"}
    assert today["status"] == "TL1"
    assert today["check_in"].startswith("2026-11-23T07:45")
    assert today["check_out"] is None


def test_me_today_on_a_weekend(freeze, client, auth):
    freeze(2026, 11, 21, 9, 0)
    today = client.get("/api/v1/me", **auth).json()["today"]
    assert today["mode"] is None
    assert today["status"] == "LIBUR"
    assert today["schedule"] is None


def test_me_attendance_range(freeze, client, auth, post_check_in, django_assert_max_num_queries):
    freeze(2026, 11, 23, 7, 20)
    post_check_in()
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/me/attendance?from=2026-11-16&to=2026-11-24", **auth)
    days = {d["date"]: d for d in response.json()["days"]}
    assert len(days) == 9
    assert days["2026-11-21"]["status"] == "LIBUR"
    assert days["2026-11-20"]["status"] == "TK"  # a past working day without events
    assert days["2026-11-23"]["status"] == "HADIR"
    assert days["2026-11-24"]["status"] == "BELUM"


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-01-01&to=2026-06-30",
        "from=2026-11-24&to=2026-11-01",
        "from=x&to=2026-11-01",
        "to=2026-11-01",
    ],
)
def test_me_attendance_bad_ranges(client, auth, query):
    response = client.get(f"/api/v1/me/attendance?{query}", **auth)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_list_own_check_ins(freeze, client, auth, post_check_in):
    freeze(2026, 11, 23, 7, 20)
    post_check_in()
    freeze(2026, 11, 23, 16, 10)
    post_check_in(kind="out")
    items = client.get("/api/v1/attendance/check-ins?date=2026-11-23", **auth).json()["check_ins"]
    assert [i["kind"] for i in items] == ["in", "out"]
    assert items[1]["day"]["status"] == "HADIR"


def test_supervisor_lists_subordinate_but_not_outsider(
    freeze, client, office_worker, post_check_in
):
    from sigap.core.tokens import token_issue

    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    outsider = EmployeeFactory(agency=office_worker.agency)
    freeze(2026, 11, 23, 7, 20)
    post_check_in()
    boss_auth = {
        "HTTP_AUTHORIZATION": "Bearer "
        + token_issue(user=boss.user, device_id="b", device_name="b").token
    }
    ok = client.get(
        f"/api/v1/attendance/check-ins?date=2026-11-23&employee={office_worker.nip}", **boss_auth
    )
    assert ok.status_code == 200
    assert len(ok.json()["check_ins"]) == 1
    outsider_auth = {
        "HTTP_AUTHORIZATION": "Bearer "
        + token_issue(user=outsider.user, device_id="o", device_name="o").token
    }
    denied = client.get(
        f"/api/v1/attendance/check-ins?date=2026-11-23&employee={office_worker.nip}",
        **outsider_auth,
    )
    assert denied.status_code == 404
    assert denied.json()["code"] == "not_found"


def test_english_refusal_message(freeze, post_check_in, client, auth):
    freeze(2026, 11, 23, 7, 20)
    data = form(lat=OFFICE_LAT + 0.01)
    response = client.post("/api/v1/attendance/check-ins", data, HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert "outside its geofence" in response.json()["message"]


def test_clock_is_server_authoritative(freeze, post_check_in):
    freeze(2026, 11, 23, 7, 20)
    body = post_check_in().json()
    assert body["recorded_at"].startswith("2026-11-23T07:20")
    assert clock.now().hour == 23  # 07:20 WITA is 23:20 UTC the day before
