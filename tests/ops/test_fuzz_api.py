"""Schemathesis against /api/v1/openapi.json (issue 10): every operation, generated
inputs, as an employee and as a supervisor. No 5xx, and every response conforms to what
the schema documents. The number of examples per operation is bounded for CI
(SIGAP_FUZZ_EXAMPLES, default 12); run more locally: SIGAP_FUZZ_EXAMPLES=200 pytest -k fuzz."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from sigap.core.tokens import token_issue
from tests.factories import EmployeeFactory

EXAMPLES = int(os.environ.get("SIGAP_FUZZ_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]


# loaded at collection through the app itself (the schema view needs no database)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler()).exclude(
    path_regex="health|data-export"
)


@pytest.fixture
def keep_test_connection():
    """The requests run in-process inside the test's transaction: like Django's test
    client, stop the end-of-request clean-up from closing the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(keep_test_connection, office_worker) -> dict[str, str]:
    """Tokens of an office worker and of his direct supervisor (same unit)."""
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="Atasan")
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    return {
        who: token_issue(user=person.user, device_id=f"fuzz-{who}", device_name="fuzz").token
        for who, person in (("employee", office_worker), ("supervisor", boss))
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a CI failure can be replayed
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_fuzz(case, bearer) -> None:
    for role in ("employee", "supervisor"):
        response = case.call(headers={"Authorization": f"Bearer {bearer[role]}"})
        case.validate_response(response, checks=CHECKS)
