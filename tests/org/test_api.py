"""API.md sign-in contract: /auth/token, /me, the error shape."""

import datetime as dt

import pytest

from sigap.core import clock
from sigap.core.models import ApiToken
from tests.factories import PASSWORD, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token"


def get_token(client, username, password=PASSWORD, device="phone-1", **headers):
    return client.post(
        URL,
        {"username": username, "password": password, "device_id": device, "device_name": "HP"},
        content_type="application/json",
        **headers,
    )


def assert_error_shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.fixture
def person():
    return EmployeeFactory(name="Siti Rahmawati")


def test_token_by_username_returns_employee(client, person):
    response = get_token(client, person.user.username)
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("sgp_")
    assert body["employee"] == {
        "nip": person.nip,
        "name": "Siti Rahmawati",
        "unit": {"id": person.unit_id, "name": person.unit.name},
    }
    assert dt.datetime.fromisoformat(body["expires_at"]) > clock.now()


def test_token_by_nip(client, person):
    assert get_token(client, person.nip).status_code == 200


def test_token_is_stored_hashed(client, person):
    raw = get_token(client, person.nip).json()["token"]
    record = ApiToken.objects.get()
    assert raw not in record.key_hash
    assert len(record.key_hash) == 64


def test_wrong_password_is_401_invalid_credentials(client, person):
    body = assert_error_shape(get_token(client, person.nip, "salah"), 401, "invalid_credentials")
    assert "salah" in body["message"].lower() or "wrong" in body["message"].lower()


def test_messages_are_indonesian_by_default_and_english_on_request(client, person):
    indonesian = get_token(client, person.nip, "salah").json()["message"]
    english = get_token(client, person.nip, "salah", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert english == "The NIP/username or password is wrong."
    assert indonesian != english
    assert "kata sandi" in indonesian.lower()


def test_unknown_user_is_401_too(client, db):
    assert_error_shape(get_token(client, "tidak-ada"), 401, "invalid_credentials")


def test_lockout_after_repeated_failures_with_retry_after(client, person, settings):
    settings.SIGAP_LOGIN_MAX_FAILURES_ACCOUNT = 3
    for _ in range(3):
        assert get_token(client, person.nip, "salah").status_code == 401
    response = get_token(client, person.nip)  # even the right password is refused now
    assert_error_shape(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_lockout_per_ip_across_accounts(client, db, settings):
    settings.SIGAP_LOGIN_MAX_FAILURES_IP = 4
    for n in range(4):
        get_token(client, f"orang{n}", "salah")
    assert get_token(client, "orang-lain", "salah").status_code == 429


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": "x", "device_id": "d"}, "username"),
        ({"username": "u", "device_id": "d"}, "password"),
        ({"username": "u", "password": "x"}, "device_id"),
        ({"username": "", "password": "x", "device_id": "d"}, "username"),
        ({"username": "u", "password": "x", "device_id": "d" * 200}, "device_id"),
    ],
)
def test_invalid_input_is_422_with_fields(client, db, payload, field):
    response = client.post(URL, payload, content_type="application/json")
    body = assert_error_shape(response, 422, "invalid_input")
    assert field in body["detail"]["fields"]


def test_malformed_json_is_4xx_not_500(client, db):
    response = client.post(URL, "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in {"invalid_input", "bad_request"}


def test_me_with_token(client, person):
    boss = EmployeeFactory(agency=person.agency, unit=person.unit, name="Andi Saputra")
    person.supervisor = boss
    person.save(update_fields=["supervisor"])
    token = get_token(client, person.nip).json()["token"]
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    body = response.json()
    assert body["nip"] == person.nip
    assert body["unit"] == {"id": person.unit_id, "name": person.unit.name}
    assert body["supervisor"] == {"nip": boss.nip, "name": "Andi Saputra"}
    assert body["roles"] == ["employee"]
    assert "today" in body
    assert body["position"]["name"] == person.position.name


@pytest.mark.parametrize("header", [None, "Bearer sgp_nope", "Bearer ", "Basic abc", "sgp_x"])
def test_me_without_valid_token_is_401(client, db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    assert_error_shape(client.get("/api/v1/me", **extra), 401, "not_authenticated")


def test_me_for_an_account_without_employee_is_404(client, db):
    user = UserFactory()
    token = get_token(client, user.username).json()["token"]
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_error_shape(response, 404, "not_an_employee")


def test_delete_token_revokes_it(client, person):
    token = get_token(client, person.nip).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.delete(URL, **auth).status_code == 204
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_new_token_for_same_device_revokes_the_old_one(client, person):
    first = get_token(client, person.nip).json()["token"]
    second = get_token(client, person.nip).json()["token"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    # a second device gets a token at once only under the agency's "flag" setting
    person.agency.settings = {"verification": {"new_device": "flag"}}
    person.agency.save(update_fields=["settings"])
    other_device = get_token(client, person.nip, device="tablet").json()["token"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {other_device}").status_code == 200


def test_expired_token_is_refused(client, person, freeze):
    token = get_token(client, person.nip).json()["token"]
    freeze(2030, 1, 1, 8, 0)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_deactivated_user_token_is_refused(client, person):
    token = get_token(client, person.nip).json()["token"]
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    from django.core.cache import cache

    cache.clear()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_openapi_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/auth/token" in paths
    assert "/api/v1/me" in paths
