"""The office QR kiosk: HR's links (create, rotate), the public kiosk page and its polled
code, the code's verdict in the background verification (frozen clock), and the refusal
at check-in when the agency requires the code for WFO."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.attendance.context import arrangement_for
from sigap.attendance.models import CheckIn, RefusedCheckIn
from sigap.attendance.services.check_in import CheckInCommand
from sigap.core import clock
from sigap.core.geo import Point
from sigap.org.models import Employee, Office, Role
from sigap.verification import kiosk, rules, services
from sigap.verification.settings import verification_settings
from tests.factories import EmployeeFactory, OfficeFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
SECRET = "a" * 64
STEP = dt.timedelta(seconds=rules.QR_STEP_SECONDS)


@pytest.fixture
def office(office_worker):
    office = Office.objects.get(agency=office_worker.agency)
    office.qr_secret = SECRET
    office.save(update_fields=["qr_secret"])
    return office


@pytest.fixture
def hr(office_worker):
    user = UserFactory()
    RoleFactory(user=user, agency=office_worker.agency, role=Role.HR_ADMIN)
    return user


def kiosk_path(office: Office, suffix: str = "") -> str:
    return f"/kios/{office.pk}/{kiosk.kiosk_key(office)}/{suffix}"


def require_qr(agency, on: bool = True) -> None:
    agency.settings = {**(agency.settings or {}), "verification": {"require_qr_for_wfo": on}}
    agency.save(update_fields=["settings"])


# --- HR's kiosk links ------------------------------------------------------------------


def test_creating_a_link_gives_the_office_a_secret_once(client, hr, office_worker):
    office = Office.objects.get(agency=office_worker.agency)
    assert office.qr_secret == ""
    client.force_login(hr)
    page = client.get("/verifikasi/kios/")
    assert page.status_code == 200
    assert f'id="office-{office.pk}"' in page.content.decode()
    response = client.post(f"/verifikasi/kios/{office.pk}/tautan/", {"action": "create"})
    assert response.status_code == 302
    office.refresh_from_db()
    assert re.fullmatch(r"[0-9a-f]{64}", office.qr_secret)
    first = office.qr_secret
    client.post(f"/verifikasi/kios/{office.pk}/tautan/", {"action": "create"})
    office.refresh_from_db()
    assert office.qr_secret == first  # creating again keeps the link
    html = client.get("/verifikasi/kios/").content.decode()
    assert kiosk_path(office) in html
    assert "nav-kiosks" in html


def test_rotating_makes_old_links_and_codes_stop_working(client, hr, office, freeze):
    at = freeze(2026, 11, 23, 7, 20)
    old_path = kiosk_path(office)
    old_token = rules.qr_token(office.qr_secret, office.pk, at)
    assert client.get(old_path).status_code == 200
    client.force_login(hr)
    client.post(f"/verifikasi/kios/{office.pk}/tautan/", {"action": "rotate"})
    office.refresh_from_db()
    assert office.qr_secret != SECRET
    assert client.get(old_path).status_code == 404
    gone = client.get(old_path + "kode/")
    assert gone.status_code == 404
    assert "hx-trigger" not in gone.content.decode()  # the old screen stops polling
    assert client.get(kiosk_path(office)).status_code == 200
    assert not rules.qr_valid(old_token, office.qr_secret, office.pk, at)


def test_kiosk_links_are_for_hr_admins_of_the_agency(client, office_worker, office):
    assert client.get("/verifikasi/kios/").status_code == 302  # to the sign-in page
    client.force_login(office_worker.user)
    assert client.get("/verifikasi/kios/").status_code == 403
    url = f"/verifikasi/kios/{office.pk}/tautan/"
    assert client.post(url, {"action": "rotate"}).status_code == 403
    other_hr = UserFactory()
    RoleFactory(user=other_hr, agency=EmployeeFactory().agency, role=Role.HR_ADMIN)
    client.force_login(other_hr)
    assert client.post(url, {"action": "rotate"}).status_code == 404
    assert client.get("/verifikasi/kios/").context["rows"] == []
    office.refresh_from_db()
    assert office.qr_secret == SECRET


# --- the kiosk screen ------------------------------------------------------------------


def test_kiosk_page_shows_the_current_code(client, office, freeze):
    at = freeze(2026, 11, 23, 7, 20, 10)
    response = client.get(kiosk_path(office))
    assert response.status_code == 200
    html = response.content.decode()
    token = rules.qr_token(SECRET, office.pk, at)
    assert f'id="kiosk-token">{token}<' in html
    assert '<svg viewBox="0 0 ' in html and 'class="kiosk-qr"' in html
    assert 'id="kiosk-seconds">20<' in html  # 30 - 10
    assert f'hx-get="{kiosk_path(office, "kode/")}"' in html
    assert 'hx-trigger="every 3s"' in html
    # CSP: no inline script or style
    assert "style=" not in html and "<style" not in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert response["Cache-Control"].startswith("max-age=0")


def test_kiosk_fragment_follows_the_clock(client, office, freeze):
    freeze(2026, 11, 23, 7, 20, 10)
    first = client.get(kiosk_path(office, "kode/"))
    later = freeze(2026, 11, 23, 7, 20, 31)
    second = client.get(kiosk_path(office, "kode/"))
    assert first.status_code == second.status_code == 200
    assert "<html" not in second.content.decode()
    token = rules.qr_token(SECRET, office.pk, later)
    assert token in second.content.decode()
    assert token not in first.content.decode()


@pytest.mark.parametrize("suffix", ["", "kode/"])
def test_wrong_key_is_404(client, office, suffix):
    assert client.get(f"/kios/{office.pk}/salah/{suffix}").status_code == 404
    other = OfficeFactory(agency=office.agency, qr_secret=SECRET)
    # a key is valid for its own office only
    assert client.get(f"/kios/{other.pk}/{kiosk.kiosk_key(office)}/{suffix}").status_code == 404
    assert client.get(f"/kios/{other.pk}/{kiosk.kiosk_key(other)}/{suffix}").status_code == 200


def test_inactive_office_or_without_secret_has_no_kiosk(client, office):
    path = kiosk_path(office)
    office.active = False
    office.save(update_fields=["active"])
    assert client.get(path).status_code == 404
    with pytest.raises(ValueError):
        kiosk.kiosk_key(OfficeFactory(qr_secret=""))


# --- the code in the background verification -------------------------------------------


def stored_check_in(post_check_in, **kwargs) -> CheckIn:
    response = post_check_in(**kwargs)
    assert response.status_code == 201, response.content
    return CheckIn.objects.get(pk=response.json()["id"])


def qr_codes(post_check_in, qr_token: str) -> list[tuple[str, dict]]:
    event = stored_check_in(post_check_in, qr_token=qr_token)
    settings = verification_settings(event.employee.agency)
    return [(r.code, r.detail) for r in services.qr_reasons(event, settings)]


@pytest.mark.parametrize(("steps_back", "valid"), [(0, True), (1, True), (2, False)])
def test_qr_reasons_accept_this_and_the_previous_step(
    office, post_check_in, freeze, steps_back, valid
):
    at = freeze(2026, 11, 23, 7, 20)
    token = rules.qr_token(SECRET, office.pk, at - steps_back * STEP)
    found = qr_codes(post_check_in, token)
    if valid:
        assert found == [("qr_verified", {"office": office.name})]
    else:
        assert found == [("qr_invalid", {"why": "expired_or_forged"})]


def test_qr_reasons_flag_a_forged_code(office, post_check_in, freeze):
    at = freeze(2026, 11, 23, 7, 20)
    forged = rules.qr_token("b" * 64, office.pk, at)
    assert qr_codes(post_check_in, forged) == [("qr_invalid", {"why": "expired_or_forged"})]


def test_qr_reasons_flag_another_offices_code(office, post_check_in, freeze):
    at = freeze(2026, 11, 23, 7, 20)
    other = OfficeFactory(agency=office.agency, latitude=-2.7, longitude=118.95, qr_secret=SECRET)
    token = rules.qr_token(SECRET, other.pk, at)
    assert qr_codes(post_check_in, token) == [("qr_invalid", {"why": "other_office"})]


def test_qr_reasons_flag_an_unknown_office(office, post_check_in, freeze):
    freeze(2026, 11, 23, 7, 20)
    assert qr_codes(post_check_in, "999999.ABCDEFGHIJ") == [("qr_invalid", {"why": "unknown"})]


# --- required at check-in ----------------------------------------------------------------


def refused(post_check_in, code: str, **kwargs) -> dict:
    stored = CheckIn.objects.count()
    response = post_check_in(**kwargs)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert CheckIn.objects.count() == stored
    assert RefusedCheckIn.objects.filter(code=code).exists()
    return body


def test_required_qr_refuses_a_wfo_check_in_without_code(office, post_check_in, freeze):
    require_qr(office.agency)
    freeze(2026, 11, 23, 7, 20)
    refused(post_check_in, "qr_required")


@pytest.mark.parametrize("case", ["expired", "forged", "garbage", "other_office", "unknown"])
def test_required_qr_refuses_a_wrong_code(office, post_check_in, freeze, case):
    require_qr(office.agency)
    at = freeze(2026, 11, 23, 7, 20)
    other = OfficeFactory(agency=office.agency, latitude=-2.7, longitude=118.95, qr_secret=SECRET)
    token = {
        "expired": rules.qr_token(SECRET, office.pk, at - 2 * STEP),
        "forged": rules.qr_token("b" * 64, office.pk, at),
        "garbage": "kode-palsu",
        "other_office": rules.qr_token(SECRET, other.pk, at),
        "unknown": rules.qr_token(SECRET, 999999, at),
    }[case]
    body = refused(post_check_in, "qr_invalid", qr_token=token)
    assert body["detail"]["why"] in {"expired_or_forged", "other_office", "unknown"}


def test_required_qr_accepts_a_current_code_with_one_more_query(office, post_check_in, freeze):
    require_qr(office.agency)
    at = freeze(2026, 11, 23, 7, 20)
    stored_check_in(post_check_in, qr_token=rules.qr_token(SECRET, office.pk, at))
    freeze(2026, 11, 23, 16, 5)
    late = clock.now()
    previous_step = rules.qr_token(SECRET, office.pk, late - STEP)
    with CaptureQueriesContext(connection) as captured:
        response = post_check_in(kind="out", qr_token=previous_step)
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 6, statements
    assert sum('"org_office"' in s for s in statements) == 1


def test_required_qr_accepts_a_queued_check_in_by_its_capture_time(office, post_check_in, freeze):
    require_qr(office.agency)
    captured = freeze(2026, 11, 23, 7, 20)
    token = rules.qr_token(SECRET, office.pk, captured)
    freeze(2026, 11, 23, 7, 25)  # sent five minutes later, from the offline queue
    stored_check_in(post_check_in, qr_token=token, captured_at=captured, queued="true")
    # the same code sent live five minutes later is expired
    refused(post_check_in, "qr_invalid", qr_token=token)


def test_not_required_reads_nothing_and_accepts_any_code(office, post_check_in, freeze):
    freeze(2026, 11, 23, 7, 20)
    stored_check_in(post_check_in)  # warms the caches
    freeze(2026, 11, 23, 16, 5)
    with CaptureQueriesContext(connection) as captured:
        response = post_check_in(kind="out", qr_token="kode-palsu")
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 5, statements
    assert not any('"org_office"' in s for s in statements)


def test_required_qr_concerns_wfo_only(office_worker, office, freeze, django_assert_num_queries):
    require_qr(office_worker.agency)
    at = freeze(2026, 11, 23, 7, 20)
    employee = Employee.objects.select_related("agency", "unit").get(pk=office_worker.pk)
    arrangement = arrangement_for(employee=employee, at=at)
    command = CheckInCommand(
        request_id=uuid.uuid4(),
        kind="in",
        point=Point(-2.7, 118.9),
        accuracy_m=10.0,
        captured_at=at,
        selfie=b"",
    )
    assert kiosk.qr_check(employee, command, arrangement, at).code == "qr_required"
    home = dataclasses.replace(arrangement, mode="WFH")
    with django_assert_num_queries(0):
        assert kiosk.qr_check(employee, command, home, at) is None
