"""Shared fixtures of the performance tests: a supervisor with two subordinates."""

from __future__ import annotations

import pytest

from sigap.core.tokens import token_issue
from tests.factories import EmployeeFactory


def bearer(employee) -> dict:
    token = token_issue(user=employee.user, device_id="hp", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def team(office_worker):
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="Atasan")
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    other = EmployeeFactory(
        agency=office_worker.agency, unit=office_worker.unit, supervisor=boss, name="Budi"
    )
    return {"boss": boss, "staff": office_worker, "other": other}
