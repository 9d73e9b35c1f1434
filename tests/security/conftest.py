"""Shared fixtures of the hostile-input tests: an office worker (tests.attendance.fixtures)
with a supervisor who heads the unit, an HR admin, their bearer tokens, and media in a
temporary directory."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sigap.core.tokens import token_issue
from sigap.org.models import Role
from tests.factories import EmployeeFactory, RoleFactory

API = "/api/v1"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture
def boss(office_worker):
    """The office worker's supervisor, who also heads the unit."""
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="Atasan")
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    unit = office_worker.unit
    unit.head = boss
    unit.save(update_fields=["head"])
    return boss


@pytest.fixture
def hr_admin(office_worker):
    person = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="HR")
    RoleFactory(user=person.user, agency=office_worker.agency, role=Role.HR_ADMIN)
    return person


def bearer(employee, device: str = "hp-sec") -> dict[str, str]:
    token = token_issue(user=employee.user, device_id=device, device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def png_bytes(width: int = 200, height: int = 200) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 150)).save(buf, "PNG")
    return buf.getvalue()


def upload(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def media_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"code", "message", "detail"}, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body
