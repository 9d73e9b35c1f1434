"""Roll-call pages: the list with HR's ad hoc form, the unit head's report (confirm,
correct, mark) and the projector board with its polled rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sigap.rollcall import services
from sigap.rollcall.models import Participation, Rollcall, UnitReport, UnitReportCorrection
from tests.factories import UnitFactory
from tests.rollcall.fixtures import build_small_agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small(db):
    return build_small_agency()


@pytest.fixture
def prefilled(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    return rollcall


def test_list_shows_sessions_and_hr_form(client, small, prefilled):
    client.force_login(small.hr.user)
    page = client.get("/apel/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="rollcall-{prefilled.pk}"' in html
    assert 'id="rollcall-new"' in html
    assert f"/apel/{prefilled.pk}/papan/" in html


def test_employee_sees_the_list_without_form_or_board(client, small, prefilled):
    client.force_login(small.people["tk"].user)
    html = client.get("/apel/").content.decode()
    assert f'id="rollcall-{prefilled.pk}"' in html
    assert 'id="rollcall-new"' not in html
    assert "/papan/" not in html


def test_hr_creates_an_ad_hoc_roll_call(client, small, freeze):
    freeze(2026, 11, 23, 9, 0)
    client.force_login(small.hr.user)
    data = {
        "title": "Apel siaga",
        "date": "2026-11-25",
        "start_time": "07:30",
        "cutoff_time": "08:00",
        "kind": "physical",
        "place_kind": "own_offices",
    }
    response = client.post("/apel/", data)
    created = Rollcall.objects.get(title="Apel siaga")
    assert response.status_code == 302
    assert response["Location"] == f"/apel/{created.pk}/"
    bad = client.post("/apel/", {**data, "cutoff_time": "07:00"})
    assert bad.status_code == 422
    with translation.override("id"):
        message = translation.gettext("The cut-off must be after the start.")
    assert message in bad.content.decode()


def test_employee_cannot_create(client, small):
    client.force_login(small.people["tk"].user)
    data = {
        "title": "x",
        "date": "2026-11-25",
        "start_time": "07:30",
        "cutoff_time": "08:00",
        "kind": "physical",
        "place_kind": "own_offices",
    }
    assert client.post("/apel/", data).status_code == 403
    assert not Rollcall.objects.exists()


def test_head_confirms_on_the_report_page(client, small, prefilled):
    client.force_login(small.head_a.user)
    page = client.get(f"/apel/{prefilled.pk}/")
    html = page.content.decode()
    assert f'id="report-{small.opd_a.pk}"' in html
    assert f'id="report-{small.opd_b.pk}"' not in html
    assert f'id="person-{small.people["tk"].pk}"' in html
    response = client.post(
        f"/apel/{prefilled.pk}/opd/{small.opd_a.pk}/konfirmasi/", {"note": "Tertib"}
    )
    assert response.status_code == 302
    report = UnitReport.objects.get(rollcall=prefilled, unit=small.opd_a)
    assert (report.confirmed_by, report.note) == (small.head_a, "Tertib")


def test_other_head_cannot_confirm(client, small, prefilled):
    client.force_login(small.head_b.user)
    response = client.post(f"/apel/{prefilled.pk}/opd/{small.opd_a.pk}/konfirmasi/", {})
    assert response.status_code == 403


def correction(prefix: str, **change) -> dict:
    data = {
        "present": 6,
        "DL": 1,
        "leave": 1,
        "sick": 2,
        "permission": 1,
        "TK": 2,
        "not_yet": 1,
        "reason": "Apel di halaman belakang",
        **change,
    }
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_head_corrects_and_a_bad_correction_is_refused(client, small, prefilled):
    client.force_login(small.head_a.user)
    url = f"/apel/{prefilled.pk}/opd/{small.opd_a.pk}/koreksi/"
    prefix = f"u{small.opd_a.pk}"
    response = client.post(url, correction(prefix, present=7))
    assert response.status_code == 422
    assert "must equal expected" in response.content.decode()
    assert not UnitReportCorrection.objects.exists()
    assert client.post(url, correction(prefix)).status_code == 302
    report = UnitReport.objects.get(rollcall=prefilled, unit=small.opd_a)
    assert (report.present, report.corrected) == (6, True)
    assert "Apel di halaman belakang" in client.get(f"/apel/{prefilled.pk}/").content.decode()


def test_head_marks_attendance(client, small, prefilled):
    client.force_login(small.head_a.user)
    person = small.people["tk"]
    response = client.post(f"/apel/{prefilled.pk}/hadir/", {"employee": person.pk, "present": "1"})
    assert response.status_code == 302
    assert Participation.objects.get(rollcall=prefilled, employee=person).present is True
    assert UnitReport.objects.get(rollcall=prefilled, unit=small.opd_a).present == 4
    client.force_login(small.head_b.user)
    assert (
        client.post(
            f"/apel/{prefilled.pk}/hadir/", {"employee": person.pk, "present": "0"}
        ).status_code
        == 404
    )


def test_hr_prefills_now(client, small, freeze):
    freeze(2026, 11, 23, 7, 45)
    rollcall = small.rollcall()
    client.force_login(small.hr.user)
    assert client.post(f"/apel/{rollcall.pk}/isi/").status_code == 302
    assert rollcall.reports.count() == 2
    client.force_login(small.head_a.user)
    assert client.post(f"/apel/{rollcall.pk}/isi/").status_code == 403


def test_board_page_and_rows(client, small, prefilled):
    services.unit_report_confirm(rollcall=prefilled, unit=small.opd_a, by=small.head_a)
    client.force_login(small.leader)
    page = client.get(f"/apel/{prefilled.pk}/papan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every 5s"' in html
    assert f'id="board-unit-{small.opd_a.pk}" data-state="confirmed"' in html
    assert f'id="board-unit-{small.opd_b.pk}" data-state="prefilled"' in html
    assert "<style" not in html and "<script>" not in html  # CSP: static files only
    rows = client.get(f"/apel/{prefilled.pk}/papan/baris/")
    assert rows.status_code == 200
    assert 'id="total-present">3<' in rows.content.decode()


def test_board_rows_query_count(client, small, prefilled):
    client.force_login(small.leader)
    url = f"/apel/{prefilled.pk}/papan/baris/"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(4):
        UnitFactory(agency=small.agency, code=f"Z{n}")
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first) <= 15


def test_employee_cannot_open_the_board(client, small, prefilled):
    client.force_login(small.people["tk"].user)
    assert client.get(f"/apel/{prefilled.pk}/papan/").status_code == 403
    assert client.get(f"/apel/{prefilled.pk}/papan/baris/").status_code == 403


def test_menu_links(client, small):
    client.force_login(small.head_a.user)
    assert 'id="nav-rollcall"' in client.get("/").content.decode()
    client.force_login(small.leader)
    assert 'id="nav-rollcall-agency"' in client.get("/").content.decode()
