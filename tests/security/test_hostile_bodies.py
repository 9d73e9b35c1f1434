"""Oversized, endless and NUL-laden request bodies (issue 10, "Hostile input").

Bodies past SIGAP_MAX_REQUEST_BYTES are 413 before a byte is read; bodies Django refuses
to parse (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS) are 413 too, in
API.md's shape for the API; a body without a Content-Length is never read; a NUL
character anywhere is 422, never a PostgreSQL error. In production nginx bounds slow
bodies first (client_body_timeout, client_max_body_size: docs/deploy.md)."""

from __future__ import annotations

import io
import json
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.test.client import ClientHandler

from sigap.attendance.models import AttendanceRequest as Request
from sigap.attendance.models import CheckIn, RefusedCheckIn
from tests.attendance.fixtures import form, jpeg_bytes
from tests.security.conftest import API, assert_error_shape, media_files, upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class EndlessStream:
    """A request body that never ends; counts what the app reads of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else size
        self.read_bytes += size
        return b"x" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def raw_request(path: str, stream: EndlessStream, **headers: str):
    """Through the whole middleware stack with a hand-made WSGI environ."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        **headers,
    }
    response = ClientHandler(enforce_csrf_checks=False)(environ)
    response.json = lambda: json.loads(response.content)
    return response


# --- sizes ----------------------------------------------------------------------------


def test_json_body_past_django_limit_is_413_in_api_shape(client, auth):
    """4 MB of JSON: below the request cap, above DATA_UPLOAD_MAX_MEMORY_SIZE (a 500 before)."""
    huge = json.dumps({"username": "x" * (4 * MB), "password": "p", "device_id": "d"})
    response = client.post(f"{API}/auth/token", huge, content_type="application/json")
    assert_error_shape(response, 413, "payload_too_large")
    response = client.put(
        f"{API}/daily-reports/2026-11-23", huge, content_type="application/json", **auth
    )
    assert_error_shape(response, 413, "payload_too_large")


def test_multipart_field_past_django_limit_is_413(client, auth, freeze):
    freeze(2026, 11, 23, 7, 20)
    data = form(qr_token="q" * (4 * MB))
    response = client.post(f"{API}/attendance/check-ins", data, **auth)
    assert_error_shape(response, 413, "payload_too_large")
    assert not CheckIn.objects.exists()


def test_too_many_form_fields_is_413(client, auth, freeze):
    freeze(2026, 11, 23, 7, 20)
    data = {**form(), **{f"f{i}": "1" for i in range(1500)}}
    response = client.post(f"{API}/attendance/check-ins", data, **auth)
    assert_error_shape(response, 413, "payload_too_large")


def test_declared_length_past_cap_is_413_before_any_byte_is_read(office_worker, auth):
    stream = EndlessStream()
    response = raw_request(
        f"{API}/attendance/check-ins",
        stream,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(django_settings.SIGAP_MAX_REQUEST_BYTES + 1),
        **auth,
    )
    assert_error_shape(response, 413, "payload_too_large")
    assert stream.read_bytes == 0


def test_page_body_past_cap_is_413_without_reading(db):
    stream = EndlessStream()
    response = raw_request(
        "/masuk/",
        stream,
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(500 * MB),
    )
    assert response.status_code == 413
    assert stream.read_bytes == 0


def test_page_form_past_django_limit_is_413_not_400(client, db):
    response = client.post("/masuk/", {"username": "x" * (4 * MB), "password": "p"})
    assert response.status_code == 413


def test_chunked_body_without_length_is_never_read(office_worker, auth):
    """gunicorn hands a chunked body over without CONTENT_LENGTH: Django reads none of it
    (an endless upload cannot fill memory or disk); the check-in lacks its fields: 422."""
    stream = EndlessStream()
    response = raw_request(
        f"{API}/attendance/check-ins",
        stream,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        HTTP_TRANSFER_ENCODING="chunked",
        **auth,
    )
    assert_error_shape(response, 422, "invalid_input")
    assert stream.read_bytes == 0
    assert not CheckIn.objects.exists()


def test_selfie_over_2_mb_is_413_and_nothing_is_stored(client, auth, freeze, settings):
    """API.md: selfie at most 2 MB; the refusal is kept for audit, no event, no file."""
    freeze(2026, 11, 23, 7, 20)
    big = jpeg_bytes() + b"\0" * (2 * MB)  # a real JPEG padded past 2 MB (under the cap)
    response = client.post(
        f"{API}/attendance/check-ins", form(selfie=upload(big, "selfie.jpg")), **auth
    )
    body = assert_error_shape(response, 413, "payload_too_large")
    assert body["detail"]["max_bytes"] == 2 * MB
    assert not CheckIn.objects.exists()
    assert media_files(settings) == []
    assert RefusedCheckIn.objects.get().code == "payload_too_large"


def test_upload_limits_are_configured():
    """The app-side bounds (nginx's are in docs/deploy.md)."""
    cap = django_settings.SIGAP_MAX_REQUEST_BYTES
    assert 5 * MB < cap <= 10 * MB  # a 5 MB attachment fits, nothing much larger does
    assert cap >= django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert cap >= django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    middleware = django_settings.MIDDLEWARE
    limits = middleware.index("sigap.core.request_limits.RequestLimitsMiddleware")
    assert limits < middleware.index("django.middleware.csrf.CsrfViewMiddleware")


# --- NUL characters ---------------------------------------------------------------------


def _request_json(reason: str) -> str:
    return json.dumps(
        {"type": "IZIN", "start": "2026-11-24", "end": "2026-11-24", "reason": reason}
    )


def test_nul_in_json_string_is_422(client, auth, freeze):
    freeze(2026, 11, 23, 7, 20)
    response = client.post(
        f"{API}/requests", _request_json("sakit\x00"), content_type="application/json", **auth
    )
    assert_error_shape(response, 422, "invalid_input")
    assert not Request.objects.exists()


def test_escaped_backslash_u0000_is_text_not_nul(client, auth, freeze):
    """`\\\\u0000` in JSON is a backslash and the text "u0000": allowed."""
    freeze(2026, 11, 23, 7, 20)
    response = client.post(
        f"{API}/requests", _request_json("C:\\u0000"), content_type="application/json", **auth
    )
    assert response.status_code == 201, response.content
    assert Request.objects.get().reason == "C:\\u0000"


def test_nul_in_multipart_form_field_is_422(client, auth, freeze):
    freeze(2026, 11, 23, 7, 20)
    response = client.post(f"{API}/attendance/check-ins", form(qr_token="a\x00b"), **auth)
    assert_error_shape(response, 422, "invalid_input")
    data = {"type": "IZIN", "start": "2026-11-24", "end": "2026-11-24", "reason": "a\x00"}
    response = client.post(f"{API}/requests", data, **auth)  # multipart, own parsing
    assert_error_shape(response, 422, "invalid_input")
    assert not CheckIn.objects.exists() and not Request.objects.exists()


def test_nul_in_query_and_path_is_422(client, auth, boss):
    response = client.get(f"{API}/attendance/check-ins?employee=1%00", **auth)
    assert_error_shape(response, 422, "invalid_input")
    response = client.get(f"{API}/me/data-export/ab%00cd", **auth)
    assert_error_shape(response, 422, "invalid_input")


def test_nul_in_page_form_and_page_path_is_422(client, office_worker):
    response = client.post("/masuk/", {"username": "a\x00", "password": "p"})
    assert response.status_code == 422
    client.force_login(office_worker.user)
    response = client.get(f"/kinerja/rekap/pegawai/{office_worker.nip}%00/")
    assert response.status_code == 422


def test_file_contents_may_hold_nul(client, auth, freeze):
    """Binary uploads are not text: a JPEG (full of NUL bytes) is a normal check-in."""
    freeze(2026, 11, 23, 7, 20)
    response = client.post(f"{API}/attendance/check-ins", form(request_id=uuid.uuid4()), **auth)
    assert response.status_code == 201, response.content
    assert b"\x00" in io.BytesIO(jpeg_bytes()).getvalue()
