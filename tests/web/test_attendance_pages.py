"""Attendance pages render, post and stay within scope."""

import uuid

import pytest
from django.urls import reverse

from sigap.attendance.models import CheckIn, Review
from sigap.attendance.services import CheckInCommand, attendance_check_in
from sigap.core import clock
from sigap.core.geo import Point
from tests.attendance.fixtures import OFFICE_LAT, OFFICE_LON, jpeg_bytes
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def flagged(freeze, office_worker):
    """An outside-the-fence check-in waiting for the supervisor (agency policy: flag)."""
    agency = office_worker.agency
    agency.settings = {"attendance": {"outside_geofence": "flag"}}
    agency.save(update_fields=["settings"])
    boss = EmployeeFactory(agency=agency, unit=office_worker.unit, name="Kepala Seksi")
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    freeze(2026, 11, 23, 7, 20)
    command = CheckInCommand(
        uuid.uuid4(), "in", Point(OFFICE_LAT + 0.01, OFFICE_LON), 10, clock.now(), jpeg_bytes()
    )
    event = attendance_check_in(employee=office_worker, command=command).event
    return event, boss


def test_check_in_page_shows_today(client, freeze, office_worker):
    freeze(2026, 11, 23, 7, 20)
    client.force_login(office_worker.user)
    html = client.get(reverse("web:check_in")).content.decode()
    assert 'id="checkin-config"' in html
    assert "07:30" in html
    assert 'id="submit"' in html
    assert "<script>" not in html  # configuration travels as JSON, never inline code


def test_check_in_page_on_a_weekend_has_no_button(client, freeze, office_worker):
    freeze(2026, 11, 22, 9, 0)
    client.force_login(office_worker.user)
    html = client.get(reverse("web:check_in")).content.decode()
    assert 'id="submit"' not in html
    assert "Libur" in html


def test_month_page_bounded_queries(client, freeze, office_worker, django_assert_max_num_queries):
    freeze(2026, 11, 23, 9, 0)
    client.force_login(office_worker.user)
    client.get(reverse("web:month"))
    with django_assert_max_num_queries(15):
        html = client.get(reverse("web:month") + "?m=2026-11").content.decode()
    assert 'data-date="2026-11-21"' in html
    assert html.count("code-LIBUR") >= 9


def test_month_page_ignores_a_garbled_month(client, freeze, office_worker):
    freeze(2026, 11, 23, 9, 0)
    client.force_login(office_worker.user)
    assert client.get(reverse("web:month") + "?m=2026-13").status_code == 200


def test_supervisor_sees_and_rejects_a_flagged_check_in(client, flagged):
    event, boss = flagged
    client.force_login(boss.user)
    html = client.get(reverse("web:reviews")).content.decode()
    assert f'id="review-{event.pk}"' in html
    response = client.post(
        reverse("web:review_decide", args=[event.pk]),
        {"decision": "reject", "note": "Tidak di kantor"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.review == Review.REJECTED


def test_outsider_cannot_review_or_see_the_selfie(client, flagged):
    event, _boss = flagged
    outsider = EmployeeFactory(agency=event.employee.agency)
    client.force_login(outsider.user)
    assert f'id="review-{event.pk}"' not in client.get(reverse("web:reviews")).content.decode()
    assert (
        client.post(
            reverse("web:review_decide", args=[event.pk]), {"decision": "accept"}
        ).status_code
        == 404
    )
    assert client.get(reverse("web:selfie", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.review == Review.PENDING


def test_employee_cannot_review_own_check_in(client, flagged):
    event, _boss = flagged
    client.force_login(event.employee.user)
    assert (
        client.post(
            reverse("web:review_decide", args=[event.pk]), {"decision": "accept"}
        ).status_code
        == 404
    )
    assert CheckIn.objects.get(pk=event.pk).review == Review.PENDING


def test_selfie_is_served_to_owner_and_supervisor_only_privately(client, flagged):
    event, boss = flagged
    for user in (event.employee.user, boss.user):
        client.force_login(user)
        response = client.get(reverse("web:selfie", args=[event.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_review_api_scope(client, flagged):
    from sigap.core.tokens import token_issue

    event, boss = flagged
    outsider = EmployeeFactory(agency=event.employee.agency)
    outsider_auth = {
        "HTTP_AUTHORIZATION": "Bearer "
        + token_issue(user=outsider.user, device_id="o", device_name="o").token
    }
    boss_auth = {
        "HTTP_AUTHORIZATION": "Bearer "
        + token_issue(user=boss.user, device_id="b", device_name="b").token
    }
    url = f"/api/v1/attendance/check-ins/{event.pk}/review"
    assert client.get("/api/v1/attendance/reviews", **outsider_auth).json()["check_ins"] == []
    denied = client.post(
        url, {"decision": "accept"}, content_type="application/json", **outsider_auth
    )
    assert denied.status_code == 404
    queue = client.get("/api/v1/attendance/reviews", **boss_auth).json()["check_ins"]
    assert [c["id"] for c in queue] == [event.pk]
    ok = client.post(
        url,
        {"decision": "accept", "note": "rapat di luar"},
        content_type="application/json",
        **boss_auth,
    )
    assert ok.status_code == 200
    assert ok.json()["review_state"] == "accepted"
    again = client.post(
        url, {"decision": "reject", "note": "x"}, content_type="application/json", **boss_auth
    )
    assert again.status_code == 409


def test_pwa_manifest_and_service_worker(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.json()["start_url"] == reverse("web:check_in")
    worker = client.get("/sw.js")
    assert worker["Content-Type"] == "application/javascript"
    assert worker["Service-Worker-Allowed"] == "/"
