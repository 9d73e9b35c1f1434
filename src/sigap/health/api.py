"""Health endpoints (API.md "Health").

- `PUT /health/declarations/{date}` `{"symptoms": [...], "temperature_c": float|null,
  "notes": ""}` -> 200 the stored declaration (a second PUT for the date replaces it).
  `date` is today or yesterday in the employee's office zone; otherwise, or with an
  unknown symptom or a temperature outside 34-43 °C, 422 `invalid_input`; 409
  `declarations_off` when the agency collects none.
- `GET /health/declarations/{date}[?employee=<nip>]` -> 200 the declaration, 404 when none
  (the phone asks whether it declared). Another person's: their unit head and HR only.
- `GET /health/today` -> whether the agency requires a declaration and today's, if made.
- `GET /health/tests[?employee=]`, `POST /health/tests` (multipart; own with a document,
  or HR for `employee`), `GET /health/tests/{id}/document`.
- `GET /health/units/{id}/summary?date=` -> counts only (anyone with the unit in scope).
- `POST /health/suggestions/{id}/accept` / `.../dismiss` (the unit head or HR; a second
  call changes nothing).

Every answer carrying another person's health data is recorded in the access log."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from sigap.core.exceptions import NotFound
from sigap.health import selectors, services
from sigap.health.documents import document_response
from sigap.health.models import Declaration, HealthTest, WfhSuggestion
from sigap.org.models import Employee
from sigap.org.schemas import EmployeeRef
from sigap.org.selectors import employee_for_user, scope_for
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory

router = Router(tags=["health"])
OPTIONAL_FILE = File(None)  # a multipart file that may be left out

SymptomCode = Literal[
    "fever", "cough", "sore_throat", "shortness_of_breath", "loss_of_smell_taste", "other"
]


class DeclarationIn(Schema):
    symptoms: list[SymptomCode] = Field(
        default_factory=list,
        max_length=6,
        description="Symptom codes: fever, cough, sore_throat, shortness_of_breath, "
        "loss_of_smell_taste, other. Empty: no symptoms.",
    )
    temperature_c: float | None = Field(
        default=None, ge=34.0, le=43.0, description="Body temperature in °C (34-43), optional."
    )
    notes: str = Field(default="", max_length=500)


class DeclarationOut(Schema):
    date: dt.date
    employee: EmployeeRef
    symptoms: list[str]
    temperature_c: float | None
    notes: str
    flagged: bool = Field(description="A symptom, or a temperature at/above the threshold.")
    declared_at: dt.datetime
    updated_at: dt.datetime


class HealthTodayOut(Schema):
    date: dt.date
    requirement: Literal["required", "optional", "off"]
    declaration: DeclarationOut | None


class ScreeningOut(Schema):
    state: Literal["ok", "due_soon", "overdue", "never"]
    due_on: dt.date | None
    last_on: dt.date | None


class TestOut(Schema):
    id: int
    employee: EmployeeRef
    kind: str
    taken_on: dt.date
    result: str
    document_url: str | None


class TestListOut(Schema):
    tests: list[TestOut]
    screening: ScreeningOut | None


class TestForm(Schema):
    kind: Literal["antigen", "pcr"]
    taken_on: dt.date
    result: Literal["negative", "positive", "invalid"]
    employee: str | None = Field(default=None, description="NIP (HR entering for someone)")


class SummaryOut(Schema):
    unit: int
    date: dt.date
    headcount: int
    declared: int
    flagged: int
    positive: int
    overdue: int


class SuggestionOut(Schema):
    id: int
    employee: EmployeeRef
    status: str
    days: list[dt.date]
    applied_days: list[dt.date]


def _me(request: HttpRequest) -> Employee:
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("This account is not an employee."), code="not_an_employee")
    return employee


def _whose(request: HttpRequest, nip: str | None) -> Employee:
    if not nip:
        return _me(request)
    return selectors.health_detail_access(user=request.user, nip=nip)


def _ref(e: Employee) -> dict:
    return {"nip": e.nip, "name": e.name, "unit": {"id": e.unit_id, "name": e.unit.name}}


def declaration_out(d: Declaration, employee: Employee) -> dict:
    return {
        "date": d.date,
        "employee": _ref(employee),
        "symptoms": d.symptoms,
        "temperature_c": float(d.temperature_c) if d.temperature_c is not None else None,
        "notes": d.notes,
        "flagged": d.flagged,
        "declared_at": d.created_at,
        "updated_at": d.updated_at,
    }


def health_test_out(t: HealthTest, employee: Employee) -> dict:
    url = f"/api/v1/health/tests/{t.pk}/document" if t.document else None
    return {
        "id": t.pk,
        "employee": _ref(employee),
        "kind": t.kind,
        "taken_on": t.taken_on,
        "result": t.result,
        "document_url": url,
    }


@router.get("/health/today", response=HealthTodayOut)
def today(request: HttpRequest):
    employee = _me(request)
    gate = selectors.check_in_gate(employee=employee)
    made = gate.declaration
    return {
        "date": gate.today,
        "requirement": str(gate.requirement),
        "declaration": declaration_out(made, employee) if made else None,
    }


@router.put("/health/declarations/{date}", response=DeclarationOut)
def put_declaration(request: HttpRequest, date: dt.date, payload: DeclarationIn):
    employee = _me(request)
    declaration = services.declaration_submit(
        employee=employee,
        day=date,
        symptoms=payload.symptoms,
        temperature_c=payload.temperature_c,
        notes=payload.notes,
    )
    return declaration_out(declaration, employee)


@router.get("/health/declarations/{date}", response=DeclarationOut)
def get_declaration(request: HttpRequest, date: dt.date, employee: str | None = None):
    person = _whose(request, employee)
    found = selectors.declaration_of(employee=person, day=date)
    if found is None:
        raise NotFound(_("No declaration for that date."), code="not_declared")
    access_record(
        viewer=request.user,
        subject_ids=[person.pk],
        category=DataCategory.HEALTH,
        what=f"health declaration {date.isoformat()}",
        request=request,
    )
    return declaration_out(found, person)


@router.get("/health/tests", response=TestListOut)
def list_tests(request: HttpRequest, employee: str | None = None):
    person = _whose(request, employee)
    tests = list(selectors.tests_of(employee=person)[:100])
    access_record(
        viewer=request.user,
        subject_ids=[person.pk],
        category=DataCategory.HEALTH,
        what="health test results",
        request=request,
    )
    status = selectors.screening_of(person, selectors.employee_today(person))
    return {
        "tests": [health_test_out(t, person) for t in tests],
        "screening": None
        if status is None
        else {"state": str(status.state), "due_on": status.due_on, "last_on": status.last_on},
    }


@router.post("/health/tests", response={201: TestOut})
def post_test(
    request: HttpRequest,
    payload: Form[TestForm],
    document: UploadedFile | None = OPTIONAL_FILE,
):
    person = _whose(request, payload.employee)
    test = services.health_test_record(
        user=request.user,
        employee=person,
        kind=payload.kind,
        taken_on=payload.taken_on,
        result=payload.result,
        document=document,
    )
    return Status(201, health_test_out(test, person))


@router.get("/health/tests/{test_id}/document")
def test_document(request: HttpRequest, test_id: int):
    test = selectors.health_test_visible(user=request.user, test_id=test_id)
    if test is None or not test.document:
        raise NotFound()
    access_record(
        viewer=request.user,
        subject_ids=[test.employee_id],
        category=DataCategory.HEALTH,
        what=f"health test document #{test.pk}",
        request=request,
    )
    return document_response(test)


class SummaryQuery(Schema):
    date: dt.date | None = None


@router.get("/health/units/{unit_id}/summary", response=SummaryOut)
def unit_summary(request: HttpRequest, unit_id: int, q: Query[SummaryQuery]):
    unit = scope_for(request.user).units().select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("No such unit in your scope."))
    day = q.date or selectors.agency_today(unit.agency)
    row = selectors.unit_counts(agency=unit.agency, units=[unit], day=day)[0]
    return {
        "unit": unit.pk,
        "date": day,
        "headcount": row.headcount,
        "declared": row.declared,
        "flagged": row.flagged,
        "positive": row.positive,
        "overdue": row.overdue,
    }


def suggestion_out(s: WfhSuggestion) -> dict:
    return {
        "id": s.pk,
        "employee": _ref(s.employee),
        "status": s.status,
        "days": s.days,
        "applied_days": s.applied_days,
    }


@router.post("/health/suggestions/{suggestion_id}/accept", response=SuggestionOut)
def accept_suggestion(request: HttpRequest, suggestion_id: int):
    done = services.suggestion_accept(user=request.user, suggestion_id=suggestion_id)
    return suggestion_out(done)


@router.post("/health/suggestions/{suggestion_id}/dismiss", response=SuggestionOut)
def dismiss_suggestion(request: HttpRequest, suggestion_id: int):
    done = services.suggestion_dismiss(user=request.user, suggestion_id=suggestion_id)
    return suggestion_out(done)
