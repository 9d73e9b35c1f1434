"""Devices: recorded at sign-in, the first approved, a new one waiting for HR (or flagged),
a rejected one refused; tokens bound to their device (X-Device-Id); one device shared by
several employees flagged; the HR page."""

from __future__ import annotations

import pytest

from sigap.attendance.models import CheckIn, RefusedCheckIn
from sigap.core.models import ApiToken
from sigap.core.tokens import token_issue
from sigap.org.models import Role
from sigap.verification import services
from sigap.verification.models import Device, DeviceStatus
from tests.attendance.fixtures import form
from tests.factories import PASSWORD, EmployeeFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token"
CHECK_IN_URL = "/api/v1/attendance/check-ins"


def sign_in(client, login, device="hp-1", name="Samsung A15", **headers):
    return client.post(
        TOKEN_URL,
        {"username": login, "password": PASSWORD, "device_id": device, "device_name": name},
        content_type="application/json",
        **headers,
    )


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code
    assert body["message"]
    return body


def bearer(token: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", **extra}


def set_new_device(agency, value: str) -> None:
    agency.settings = {**(agency.settings or {}), "verification": {"new_device": value}}
    agency.save(update_fields=["settings"])


@pytest.fixture
def person():
    return EmployeeFactory(name="Siti Rahmawati")


@pytest.fixture
def hr(person):
    user = UserFactory()
    RoleFactory(user=user, agency=person.agency, role=Role.HR_ADMIN)
    return user


# --- signing in ------------------------------------------------------------------------


def test_first_device_is_recorded_and_approved(client, person, freeze):
    at = freeze(2026, 11, 23, 7, 0)
    assert sign_in(client, person.nip).status_code == 200
    device = Device.objects.get(employee=person)
    assert (device.device_id, device.device_name) == ("hp-1", "Samsung A15")
    assert device.status == DeviceStatus.APPROVED
    assert device.first_seen_at == device.last_seen_at == device.decided_at == at


def test_signing_in_again_updates_the_last_sighting(client, person, freeze):
    freeze(2026, 11, 23, 7, 0)
    sign_in(client, person.nip)
    later = freeze(2026, 11, 24, 7, 0)
    assert sign_in(client, person.nip, name="Samsung A15 (baru)").status_code == 200
    device = Device.objects.get(employee=person)
    assert device.last_seen_at == later
    assert device.device_name == "Samsung A15 (baru)"


def test_new_device_waits_for_hr_by_default(client, person, hr):
    assert sign_in(client, person.nip).status_code == 200
    body = error(sign_in(client, person.nip, device="hp-2"), 403, "device_not_approved")
    assert body["detail"] == {"device_id": "hp-2"}
    assert not ApiToken.objects.filter(device_id="hp-2").exists()
    device = Device.objects.get(employee=person, device_id="hp-2")
    assert device.status == DeviceStatus.PENDING
    # still pending (no second row) on a retry
    error(sign_in(client, person.nip, device="hp-2"), 403, "device_not_approved")
    assert Device.objects.filter(employee=person).count() == 2
    # HR approves on the devices page: signing in works
    client.force_login(hr)
    response = client.post(f"/verifikasi/perangkat/{device.pk}/putusan/", {"decision": "approve"})
    assert response.status_code == 302
    client.logout()
    device.refresh_from_db()
    assert (device.status, device.decided_by) == (DeviceStatus.APPROVED, hr)
    response = sign_in(client, person.nip, device="hp-2")
    assert response.status_code == 200
    assert client.get("/api/v1/me", **bearer(response.json()["token"])).status_code == 200


def test_refusal_message_is_english_on_request(client, person):
    sign_in(client, person.nip)
    english = sign_in(client, person.nip, device="hp-2", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["code"] == "device_not_approved"
    assert "not approved" in english["message"]


def test_flag_setting_issues_the_token_and_flags_the_check_ins(client, office_worker, freeze):
    set_new_device(office_worker.agency, "flag")
    freeze(2026, 11, 23, 7, 20)
    assert sign_in(client, office_worker.nip).status_code == 200
    response = sign_in(client, office_worker.nip, device="hp-baru")
    assert response.status_code == 200
    device = Device.objects.get(employee=office_worker, device_id="hp-baru")
    assert device.status == DeviceStatus.PENDING
    created = client.post(CHECK_IN_URL, form(), **bearer(response.json()["token"]))
    assert created.status_code == 201, created.content
    event = CheckIn.objects.get()
    assert event.device_id == "hp-baru"
    assert [r.code for r in services.device_reasons(event)] == ["new_device"]


def test_approved_device_check_ins_are_not_flagged(client, office_worker, freeze):
    freeze(2026, 11, 23, 7, 20)
    token = sign_in(client, office_worker.nip).json()["token"]
    assert client.post(CHECK_IN_URL, form(), **bearer(token)).status_code == 201
    assert services.device_reasons(CheckIn.objects.get()) == []


def test_rejected_device_is_refused_and_its_tokens_end(client, person, hr):
    sign_in(client, person.nip)
    set_new_device(person.agency, "flag")
    token = sign_in(client, person.nip, device="hp-2").json()["token"]
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    device = Device.objects.get(employee=person, device_id="hp-2")
    client.force_login(hr)
    client.post(f"/verifikasi/perangkat/{device.pk}/putusan/", {"decision": "reject"})
    client.logout()
    device.refresh_from_db()
    assert device.status == DeviceStatus.REJECTED
    error(client.get("/api/v1/me", **bearer(token)), 401, "not_authenticated")
    error(sign_in(client, person.nip, device="hp-2"), 403, "device_rejected")
    assert sign_in(client, person.nip).status_code == 200  # the first device still works


def test_wrong_password_records_no_device(client, person):
    response = client.post(
        TOKEN_URL,
        {"username": person.nip, "password": "salah", "device_id": "hp-1"},
        content_type="application/json",
    )
    error(response, 401, "invalid_credentials")
    assert not Device.objects.exists()


def test_account_without_employee_is_not_concerned(client, db):
    user = UserFactory()
    assert sign_in(client, user.username).status_code == 200
    assert sign_in(client, user.username, device="other").status_code == 200
    assert not Device.objects.exists()


def test_browser_sign_in_is_not_affected(client, person):
    sign_in(client, person.nip)
    sign_in(client, person.nip, device="hp-2")  # pending
    response = client.post("/masuk/", {"username": person.nip, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/presensi/").status_code == 200
    assert Device.objects.filter(employee=person).count() == 2


# --- the token bound to its device -----------------------------------------------------


def test_device_header_matching_or_absent_is_accepted(client, person):
    token = sign_in(client, person.nip).json()["token"]
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    assert client.get("/api/v1/me", **bearer(token, HTTP_X_DEVICE_ID="hp-1")).status_code == 200


def test_token_from_another_device_is_401_device_mismatch(client, person):
    token = sign_in(client, person.nip).json()["token"]
    response = client.get("/api/v1/me", **bearer(token, HTTP_X_DEVICE_ID="hp-lain"))
    error(response, 401, "device_mismatch")


def test_check_in_from_another_device_is_not_stored(client, office_worker, freeze):
    freeze(2026, 11, 23, 7, 20)
    token = sign_in(client, office_worker.nip).json()["token"]
    response = client.post(CHECK_IN_URL, form(), **bearer(token, HTTP_X_DEVICE_ID="hp-lain"))
    error(response, 401, "device_mismatch")
    assert not CheckIn.objects.exists()
    assert not RefusedCheckIn.objects.exists()
    response = client.post(CHECK_IN_URL, form(), **bearer(token, HTTP_X_DEVICE_ID="hp-1"))
    assert response.status_code == 201


# --- one device, several employees -----------------------------------------------------


def test_one_device_used_by_several_employees_on_one_day_is_flagged(client, office_worker, freeze):
    colleague = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    freeze(2026, 11, 23, 7, 20)
    for employee in (office_worker, colleague):
        token = token_issue(user=employee.user, device_id="hp-bersama", device_name="HP").token
        assert client.post(CHECK_IN_URL, form(), **bearer(token)).status_code == 201
    first, second = CheckIn.objects.order_by("pk")
    for event in (first, second):
        reasons = {r.code: r.detail for r in services.device_reasons(event)}
        assert reasons["shared_device"] == {"employees": 2}


def test_the_same_device_another_day_is_not_flagged(client, office_worker, freeze):
    colleague = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    freeze(2026, 11, 23, 7, 20)
    token = token_issue(user=office_worker.user, device_id="hp-bekas", device_name="HP").token
    client.post(CHECK_IN_URL, form(), **bearer(token))
    freeze(2026, 11, 24, 7, 20)
    token = token_issue(user=colleague.user, device_id="hp-bekas", device_name="HP").token
    client.post(CHECK_IN_URL, form(), **bearer(token))
    assert all(services.device_reasons(e) == [] for e in CheckIn.objects.all())


# --- the HR page -----------------------------------------------------------------------


@pytest.fixture
def devices_of_agency(client, person, freeze):
    freeze(2026, 11, 23, 7, 0)
    sign_in(client, person.nip)
    sign_in(client, person.nip, device="hp-2", name="Xiaomi")
    other = EmployeeFactory(agency=person.agency, name="Budi")
    sign_in(client, other.nip, device="hp-budi", name="Oppo")
    return person


def test_hr_page_lists_pending_first_and_per_employee(
    client, hr, devices_of_agency, django_assert_max_num_queries
):
    pending = Device.objects.get(device_id="hp-2")
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        response = client.get("/verifikasi/perangkat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'id="pending-{pending.pk}"') < html.index('id="all-devices"')
    assert [d.device_id for d in response.context["pending"]] == ["hp-2"]
    groups = [d.employee.name for d in response.context["page"].object_list]
    assert groups == ["Budi", "Siti Rahmawati", "Siti Rahmawati"]
    # within an employee: the pending device first
    assert [d.device_id for d in response.context["page"].object_list][1:] == ["hp-2", "hp-1"]
    assert 'name="csrfmiddlewaretoken"' in html
    assert "nav-devices" in html


def test_hr_page_search_by_nip_or_name(client, hr, devices_of_agency):
    client.force_login(hr)
    response = client.get("/verifikasi/perangkat/", {"q": "budi"})
    assert [d.device_id for d in response.context["page"].object_list] == ["hp-budi"]
    response = client.get("/verifikasi/perangkat/", {"q": devices_of_agency.nip})
    assert {d.device_id for d in response.context["page"].object_list} == {"hp-1", "hp-2"}


def test_hr_page_is_for_hr_admins_only(client, devices_of_agency):
    assert client.get("/verifikasi/perangkat/").status_code == 302  # to the sign-in page
    client.force_login(devices_of_agency.user)
    assert client.get("/verifikasi/perangkat/").status_code == 403
    device = Device.objects.get(device_id="hp-2")
    response = client.post(f"/verifikasi/perangkat/{device.pk}/putusan/", {"decision": "approve"})
    assert response.status_code == 403
    device.refresh_from_db()
    assert device.status == DeviceStatus.PENDING


def test_another_agencys_device_is_404(client, devices_of_agency):
    outsider = EmployeeFactory()
    other_hr = UserFactory()
    RoleFactory(user=other_hr, agency=outsider.agency, role=Role.HR_ADMIN)
    client.force_login(other_hr)
    device = Device.objects.get(device_id="hp-2")
    response = client.post(f"/verifikasi/perangkat/{device.pk}/putusan/", {"decision": "approve"})
    assert response.status_code == 404
    assert client.get("/verifikasi/perangkat/").context["pending"] == []


def test_decision_must_be_approve_or_reject_and_posted(client, hr, devices_of_agency):
    client.force_login(hr)
    device = Device.objects.get(device_id="hp-2")
    url = f"/verifikasi/perangkat/{device.pk}/putusan/"
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    assert client.get(url).status_code == 405
    device.refresh_from_db()
    assert device.status == DeviceStatus.PENDING
