"""The official reports page (/laporan/): scope, background jobs, downloads."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from sigap.org.models import Role
from sigap.reports import tasks
from tests.factories import EmployeeFactory, RoleFactory, UnitFactory, UserFactory
from tests.reports.test_monthly import build_people, build_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def org(freeze):
    freeze(2026, 12, 10, 9, 0)
    unit = build_unit()
    head, absent, _below, other = build_people(unit)
    return {"unit": unit, "head": head, "staff": absent, "other_opd": other.unit}


@pytest.fixture
def hr(org):
    user = UserFactory()
    RoleFactory(user=user, agency=org["unit"].agency, role=Role.HR_ADMIN)
    return user


def start(client, **data):
    return client.post(reverse("web:export_start"), data, **HTMX)


def job_id_of(response) -> str:
    return response.context["job"]["job_id"]


def test_a_plain_employee_gets_403(client, org):
    client.force_login(org["staff"].user)
    assert client.get(reverse("web:exports")).status_code == 403
    unit = org["unit"].pk
    response = start(client, kind="monthly_xlsx", unit=unit, month="2026-11")
    assert response.status_code == 403


def test_hr_sees_every_unit_and_the_daily_recap(client, org, hr):
    client.force_login(hr)
    response = client.get(reverse("web:exports"))
    assert response.status_code == 200
    units = {u.pk for u in response.context["units"]}
    assert {org["unit"].pk, org["other_opd"].pk} <= units
    page = response.content.decode()
    assert 'id="export-daily"' in page and 'id="nav-exports-agency"' in page


def test_a_unit_head_exports_their_unit_and_downloads_it(client, org):
    client.force_login(org["head"].user)
    page = client.get(reverse("web:exports"))
    assert {u.pk for u in page.context["units"]} == {u.pk for u in org["unit"].children.all()} | {
        org["unit"].pk
    }
    assert 'id="export-daily"' not in page.content.decode()

    response = start(client, kind="monthly_xlsx", unit=org["unit"].pk, month="2026-11")

    assert response.status_code == 200
    job_id = job_id_of(response)
    assert 'id="export-download"' in response.content.decode()
    status = client.get(reverse("web:export_job", args=[job_id]), **HTMX)
    assert status.context["job"]["state"] == "done"
    download = client.get(reverse("web:export_download", args=[job_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="kehadiran-du-2026-11.xlsx"' in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.worksheets[0].max_row == 5 + 3  # the title block, the header, three people


def test_someone_else_cannot_see_or_download_the_job(client, org, hr):
    client.force_login(org["head"].user)
    job_id = job_id_of(start(client, kind="monthly_pdf", unit=org["unit"].pk, month="2026-11"))
    client.force_login(hr)
    assert client.get(reverse("web:export_download", args=[job_id])).status_code == 404
    assert client.get(reverse("web:export_job", args=[job_id])).status_code == 404
    assert client.get(reverse("web:export_download", args=["nope"])).status_code == 404


def test_a_unit_head_cannot_export_another_opd_or_the_agency(client, org):
    client.force_login(org["head"].user)
    other = org["other_opd"].pk
    assert start(client, kind="monthly_xlsx", unit=other, month="2026-11").status_code == 403
    assert start(client, kind="daily_xlsx", date="2026-11-24").status_code == 403
    elsewhere = UnitFactory()  # another agency
    assert start(client, kind="monthly_pdf", unit=elsewhere.pk, month="2026-11").status_code == 404


def test_bad_input_is_400(client, org, hr):
    client.force_login(hr)
    unit = org["unit"].pk
    assert start(client, kind="monthly_xlsx", unit=unit, month="2026-13").status_code == 400
    assert start(client, kind="weekly", unit=unit, month="2026-11").status_code == 400
    assert start(client, kind="daily_xlsx", date="kemarin").status_code == 400


def test_hr_exports_the_pdf_and_the_daily_recap(client, org, hr):
    client.force_login(hr)
    pdf_job = job_id_of(start(client, kind="monthly_pdf", unit=org["unit"].pk, month="2026-11"))
    pdf = client.get(reverse("web:export_download", args=[pdf_job]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    daily_job = job_id_of(start(client, kind="daily_xlsx", date="2026-11-24"))
    daily = client.get(reverse("web:export_download", args=[daily_job]))
    assert "rekap-harian-" in daily["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(daily.streaming_content)))
    assert len(book.worksheets) == 3


def test_files_older_than_a_day_are_removed(org):
    old = default_storage.save("exports/old.xlsx", ContentFile(b"x"))
    new = default_storage.save("exports/new.xlsx", ContentFile(b"y"))
    past = time.time() - tasks.KEEP_SECONDS - 60
    os.utime(default_storage.path(old), (past, past))
    assert tasks.exports_purge() == 1
    assert not default_storage.exists(old) and default_storage.exists(new)


def test_a_unit_head_sees_the_menu_link(client, org):
    EmployeeFactory(agency=org["unit"].agency, unit=org["unit"])
    client.force_login(org["head"].user)
    assert 'id="nav-exports"' in client.get(reverse("web:home")).content.decode()
