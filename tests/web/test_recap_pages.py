"""The performance recap pages (/kinerja/rekap/): who sees what (employee 403/404,
supervisor: direct subordinates only, unit head: the subtree, HR: the agency), the XLSX
export, the employee's month with the TK days in plain words, bounded queries."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from sigap.arrangements.models import Mode
from sigap.org.models import Role
from sigap.performance.exports import recap_header
from sigap.performance.models import DailyReport
from tests.arrangements.conftest import plan
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RECAP = "/kinerja/rekap/"
NOV = "2026-11"


def employee_url(employee, month=NOV):
    return f"{reverse('web:performance_employee', args=[employee.nip])}?month={month}"


@pytest.fixture
def org(freeze, office_worker):
    """A unit with a head, a supervisor of two (one in a sub-unit), and a colleague."""
    freeze(2026, 12, 10, 9, 0)
    unit = office_worker.unit
    agency = unit.agency
    head = EmployeeFactory(agency=agency, unit=unit, name="Kepala Dinas")
    unit.head = head
    unit.save(update_fields=["head"])
    sub = UnitFactory(agency=agency, parent=unit, name="Bidang Data")
    boss = EmployeeFactory(agency=agency, unit=unit, supervisor=head, name="Atasan Langsung")
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    staff2 = EmployeeFactory(agency=agency, unit=sub, supervisor=boss, name="Bawahan Dua")
    colleague = EmployeeFactory(agency=agency, unit=sub, supervisor=head, name="Rekan Lain")
    hr = UserFactory()
    RoleFactory(user=hr, agency=agency, role=Role.HR_ADMIN)
    DailyReport.objects.create(
        employee=office_worker,
        date=dt.date(2026, 11, 2),
        status="approved",
        total_minutes=450,
        submitted_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
    )
    plan(office_worker, dt.date(2026, 11, 9), Mode.WFH)  # no report: TK once November closes
    return {
        "staff": office_worker,
        "staff2": staff2,
        "boss": boss,
        "head": head,
        "colleague": colleague,
        "sub": sub,
        "hr": hr,
    }


def names(response) -> set[str]:
    body = response.content.decode()
    table = body[body.index('id="recap-employees"') :]
    return set(
        re.findall(r'<a href="/kinerja/rekap/pegawai/\d+/\?month=[\d-]+">([^<]+)</a>', table)
    )


def test_an_employee_sees_only_their_own_month(client, org):
    client.force_login(org["staff"].user)
    assert client.get(RECAP).status_code == 403
    assert client.get(f"{RECAP}?unit={org['staff'].unit_id}").status_code == 403
    assert client.get(f"{RECAP}?unit=team").status_code == 403
    assert client.get(f"{RECAP}?unit=agency").status_code == 403
    assert client.get(employee_url(org["colleague"])).status_code == 404
    own = client.get(employee_url(org["staff"]))
    assert own.status_code == 200
    assert client.get(reverse("web:performance_me")).url == reverse(
        "web:performance_employee", args=[org["staff"].nip]
    )
    assert f'href="{RECAP}"' not in client.get("/").content.decode()  # no nav link


def test_the_employee_page_shows_the_tk_days_in_plain_words(client, org):
    client.force_login(org["staff"].user)
    body = client.get(employee_url(org["staff"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("id"):
        assert str(translation.gettext("Days counted as absent without notice (TK)")) in body
        reason = translation.gettext("%(mode)s without an approved report (no report filed)")
    assert reason % {"mode": "WFH"} in body
    config = json.loads(re.search(r'id="recap-config"[^>]*>(.*?)</script>', body, re.S)[1])
    assert config["kind"] == "days" and len(config["labels"]) == 30
    assert config["approved"][1] == 450 and config["scheduled"][1] == 450
    assert "<script>" not in body  # CSP: no inline script
    early = client.get(employee_url(org["staff"], "2026-12")).content.decode()
    with translation.override("id"):
        assert translation.gettext("Days that will count as absent without notice (TK)") in early


def test_a_supervisor_sees_only_direct_subordinates(client, org):
    client.force_login(org["boss"].user)
    page = client.get(RECAP + f"?month={NOV}")
    assert page.status_code == 200
    assert names(page) == {org["staff"].name, org["staff2"].name}
    assert f'href="{RECAP}"' in page.content.decode()  # the nav link
    assert client.get(employee_url(org["staff2"])).status_code == 200
    assert client.get(employee_url(org["colleague"])).status_code == 404
    assert client.get(f"{RECAP}?unit={org['sub'].pk}").status_code == 403


def test_a_unit_head_sees_the_subtree_and_nothing_else(client, org):
    client.force_login(org["head"].user)
    page = client.get(RECAP + f"?month={NOV}")
    everyone = {org[k].name for k in ("staff", "staff2", "boss", "colleague", "head")}
    assert names(page) == everyone
    body = page.content.decode()
    assert org["sub"].name in body and 'id="recap-groups"' in body
    sub = client.get(f"{RECAP}?unit={org['sub'].pk}&month={NOV}")
    assert names(sub) == {org["staff2"].name, org["colleague"].name}
    other_unit = UnitFactory(agency=org["head"].agency)
    assert client.get(f"{RECAP}?unit={other_unit.pk}").status_code == 403
    foreign = UnitFactory(agency=AgencyFactory())
    assert client.get(f"{RECAP}?unit={foreign.pk}").status_code == 404
    assert client.get(f"{RECAP}?month=2026-13").status_code == 400


def test_hr_sees_the_whole_agency(client, org):
    outside = EmployeeFactory(agency=org["head"].agency, name="Dinas Lain")
    client.force_login(org["hr"])
    page = client.get(RECAP + f"?month={NOV}")
    assert page.status_code == 200
    assert outside.name in names(page) and org["staff"].name in names(page)
    assert client.get(employee_url(outside)).status_code == 200
    assert client.get(f"{RECAP}?unit={org['sub'].pk}").status_code == 200


def test_the_xlsx_export_has_a_header_and_a_row_per_employee(client, org):
    client.force_login(org["head"].user)
    response = client.get(f"{RECAP}?unit={org['staff'].unit_id}&month={NOV}&format=xlsx")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"-{NOV}.xlsx" in disposition
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == recap_header()
    assert len(rows) == 1 + 5
    first = rows[1]
    assert first[0] == org["staff"].nip and first[1] == org["staff"].name  # ranked first
    assert (first[5], first[8], first[9], first[12]) == (7.5, 1, 1, 1)


def test_a_name_that_looks_like_a_formula_stays_text(client, org):
    org["staff2"].name = "=1+1"
    org["staff2"].save(update_fields=["name"])
    client.force_login(org["boss"].user)
    response = client.get(f"{RECAP}?unit=team&month={NOV}&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "=1+1" in [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_unit_page_takes_a_bounded_number_of_queries(
    client, org, django_assert_max_num_queries
):
    client.force_login(org["head"].user)
    url = f"{RECAP}?unit={org['staff'].unit_id}&month={NOV}"
    client.get(url)
    with django_assert_max_num_queries(20):
        first = client.get(url)
    for n in range(10):
        EmployeeFactory(agency=org["head"].agency, unit=org["sub"], name=f"Tambahan {n}")
    with django_assert_max_num_queries(20):
        more = client.get(url)
    assert len(names(more)) == len(names(first)) + 10
