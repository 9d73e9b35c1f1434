"""An office worker in WITA with a 100 m geofence, and helpers to send check-ins."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from PIL import Image

from sigap.core.tokens import token_issue
from sigap.worktime.services import holidays_seed
from tests.factories import EmployeeFactory, OfficeFactory, UnitFactory

OFFICE_LAT, OFFICE_LON = -2.68, 118.89


def jpeg_bytes(width: int = 480, height: int = 640, colour=(180, 140, 120)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, "JPEG", quality=85)
    return buf.getvalue()


@pytest.fixture
def office_worker(db):
    unit = UnitFactory()
    office = OfficeFactory(
        agency=unit.agency, latitude=OFFICE_LAT, longitude=OFFICE_LON, radius_m=100
    )
    office.units.add(unit)
    holidays_seed(agency=unit.agency, year=2026)
    return EmployeeFactory(agency=unit.agency, unit=unit, name="Andi Pegawai")


@pytest.fixture
def auth(office_worker):
    token = token_issue(user=office_worker.user, device_id="hp-1", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def form(
    *,
    kind="in",
    lat=OFFICE_LAT,
    lon=OFFICE_LON,
    accuracy=10.0,
    captured_at=None,
    request_id=None,
    **extra,
) -> dict:
    from sigap.core import clock

    data = {
        "request_id": str(request_id or uuid.uuid4()),
        "kind": kind,
        "latitude": str(lat),
        "longitude": str(lon),
        "accuracy_m": str(accuracy),
        "captured_at": (captured_at or clock.now()).isoformat(),
        "selfie": io.BytesIO(jpeg_bytes()),
    }
    data["selfie"].name = "selfie.jpg"
    data.update(extra)
    return data


@pytest.fixture
def post_check_in(client, auth):
    def _post(**kwargs):
        return client.post("/api/v1/attendance/check-ins", form(**kwargs), **auth)

    return _post


MONDAY = dt.date(2026, 11, 23)
