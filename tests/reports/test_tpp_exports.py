"""The monthly TPP deduction report (the payroll file) of a unit and of a whole agency:
rows, numbers, title block and legend; bounded queries; the /laporan/ page per role.

Tuesday 24 November 2026 (WITA): October is locked (its statements are frozen when the
file is made), November is open (provisional)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from sigap.discipline.models import TppStatement
from sigap.discipline.tables import default_version
from sigap.org.models import Role
from sigap.reports import tasks, tpp_xlsx
from tests.discipline.conftest import day, missed_rollcall
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TIMES = "\u00d7"
FIRST_ROW = tpp_xlsx.HEADER_ROW + 1


def oct_(n: int) -> dt.date:
    return dt.date(2026, 10, n)


@pytest.fixture
def org(freeze):
    """OPD A (Ani the head, Budi) with the section A1 (Citra), OPD B (Dewi the head, Eko);
    Fajar in another agency; an HR admin and a leader."""
    freeze(2026, 11, 24, 9, 0)
    agency = AgencyFactory(code="gaji", name="Pemkab Gaji")
    a = UnitFactory(agency=agency, code="A", name="Dinas A")
    a1 = UnitFactory(agency=agency, code="A-1", name="Bidang A1", parent=a)
    b = UnitFactory(agency=agency, code="B", name="Dinas B")
    OfficeFactory(agency=agency).units.add(a, a1, b)
    names = [("ani", a), ("budi", a), ("citra", a1), ("dewi", b), ("eko", b)]
    p = {n: EmployeeFactory(agency=agency, unit=u, name=n.title()) for n, u in names}
    a.head, b.head = p["ani"], p["dewi"]
    a.save(update_fields=["head"])
    b.save(update_fields=["head"])
    p["fajar"] = EmployeeFactory(name="Fajar Lain")
    day(p["budi"], oct_(1), "TL1", late=10)
    day(p["budi"], oct_(2), "TL1", late=20)
    day(p["budi"], oct_(5), "TK")
    day(p["citra"], oct_(12), "HADIR")
    missed_rollcall(p["citra"], oct_(12))
    day(p["dewi"], oct_(6), "TL2", late=45)
    day(p["fajar"], oct_(5), "TK")
    hr, leader = UserFactory(), UserFactory()
    RoleFactory(user=hr, agency=agency, role=Role.HR_ADMIN)
    RoleFactory(user=leader, agency=agency, role=Role.LEADER)
    return {"agency": agency, "a": a, "a1": a1, "b": b, "hr": hr, "leader": leader, **p}


def sheet_rows(content: bytes) -> tuple:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[tpp_xlsx.HEADER_ROW]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=FIRST_ROW)]
    return book, sheet, header, rows


def test_the_unit_file_has_a_row_per_employee_of_the_subtree(org):
    with translation.override("id"):
        report = tpp_xlsx.unit_tpp_report(unit=org["a"], year=2026, month=10)
        book, sheet, header, rows = sheet_rows(tpp_xlsx.tpp_xlsx(report))
        deduction, discipline, performance, final = header[5:9]
        assert header[:5] == ["No", _("NIP"), _("Name"), _("Position"), _("Unit")]
        assert header[9] == _("Deduction lines")
        assert [sheet[f"A{n}"].value for n in (1, 3)] == ["Pemkab Gaji", "Oktober 2026"]
        assert sheet["A2"].value == f"{_('TPP deduction report')} · Dinas A"
        assert _("frozen (the month is locked)") in sheet["A4"].value
        assert _("SIGAP default table") in sheet["A4"].value

    assert [r["No"].value for r in rows] == [1, 2, 3]
    by_name = {r[header[2]].value: r for r in rows}
    assert list(by_name) == ["Ani", "Budi", "Citra"]  # unit code, then name
    budi = by_name["Budi"]
    nip = budi[header[1]]
    assert nip.value == org["budi"].nip and nip.data_type == "s" and len(nip.value) == 18
    assert budi[header[4]].value == "Dinas A" and by_name["Citra"][header[4]].value == "Bidang A1"
    assert budi[deduction].value == 5  # TL1 0.5 x 2 + TK 4
    assert budi[discipline].value == 57  # 60 % x (100 - 5) %
    assert budi[deduction].number_format == "0.00"
    statement = TppStatement.objects.get(employee=org["budi"], year=2026, month=10)
    assert budi[performance].value == statement.performance_pct
    assert budi[final].value == statement.final_pct == Decimal(57) + statement.performance_pct
    assert budi[header[9]].value == f"TK{TIMES}1, TL1{TIMES}2"
    assert by_name["Citra"][deduction].value == 2 and by_name["Citra"][header[9]].value == (
        f"APEL{TIMES}1"
    )
    assert by_name["Ani"][deduction].value == 0 and by_name["Ani"][header[9]].value in ("", None)
    assert sheet.freeze_panes == f"D{FIRST_ROW}"
    assert not TppStatement.objects.filter(year=2026, month=10, frozen_at__isnull=True).exists()
    assert tpp_xlsx.tpp_filename(report) == "tpp-a-2026-10.xlsx"


def test_the_legend_lists_the_codes_and_rates_of_the_table_used(org):
    version = default_version(agency=org["agency"], effective_from=oct_(1), name="Perbup 7/2026")
    version.absent_rate = Decimal("5")
    version.save(update_fields=["absent_rate"])
    version.leave_rates.create(code="CS", rate=Decimal("0.75"))
    with translation.override("en"):
        report = tpp_xlsx.unit_tpp_report(unit=org["a"], year=2026, month=10)
        book, sheet, header, rows = sheet_rows(tpp_xlsx.tpp_xlsx(report))
    assert "Perbup 7/2026" in sheet["A4"].value
    legend = {r[0]: r for r in book["Legend"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert legend["TL1"][2] == Decimal("0.5") and "1-30 minutes" in legend["TL1"][1]
    assert legend["PSW4"][2] == Decimal("1.5") and "91 minutes or more" in legend["PSW4"][1]
    assert legend["TK"][2] == 5 and legend["APEL"][2] == 2 and legend["CS"][2] == Decimal("0.75")
    budi = next(r for r in rows if r["Name"].value == "Budi")
    assert budi[header[5]].value == 6  # the version's TK rate: 0.5 x 2 + 5


def test_an_open_month_is_provisional(org):
    day(org["eko"], dt.date(2026, 11, 2), "TK")
    with translation.override("en"):
        report = tpp_xlsx.unit_tpp_report(unit=org["b"], year=2026, month=11)
        _book, sheet, header, rows = sheet_rows(tpp_xlsx.tpp_xlsx(report))
    assert report.status == tpp_xlsx.PROVISIONAL
    assert "provisional (the month is open)" in sheet["A4"].value
    assert sheet["A3"].value == "November 2026"
    assert [(r["Name"].value, r[header[5]].value) for r in rows] == [("Dewi", 0), ("Eko", 4)]
    assert not TppStatement.objects.filter(frozen_at__isnull=False).exists()


def test_the_agency_file_has_every_opd_and_nobody_else(org):
    seen = []
    with translation.override("en"):
        report = tpp_xlsx.agency_tpp_report(
            agency=org["agency"], year=2026, month=10, progress=lambda *a: seen.append(a)
        )
        _book, sheet, header, rows = sheet_rows(tpp_xlsx.tpp_xlsx(report))
    assert "all OPDs" in sheet["A2"].value
    assert header[4:6] == ["OPD", "Unit"]
    table = [(r["OPD"].value, r["Unit"].value, r["Name"].value, r[header[6]].value) for r in rows]
    assert table == [
        ("Dinas A", "Dinas A", "Ani", 0),
        ("Dinas A", "Dinas A", "Budi", 5),
        ("Dinas A", "Bidang A1", "Citra", 2),
        ("Dinas B", "Dinas B", "Dewi", 1),
        ("Dinas B", "Dinas B", "Eko", 0),
    ]
    assert org["fajar"].nip not in {r["NIP"].value for r in rows}
    assert seen[-1][0] == seen[-1][1] and len(seen) == seen[-1][1] >= 2  # OPD by OPD
    assert tpp_xlsx.tpp_filename(report) == "tpp-gaji-semua-opd-2026-10.xlsx"


def test_the_unit_file_is_made_in_bounded_queries(org):
    def count() -> int:
        TppStatement.objects.all().delete()
        with CaptureQueriesContext(connection) as cold:
            tpp_xlsx.unit_tpp_report(unit=org["a"], year=2026, month=11)
        with CaptureQueriesContext(connection) as warm:
            tpp_xlsx.unit_tpp_report(unit=org["a"], year=2026, month=11)
        return len(cold.captured_queries), len(warm.captured_queries)

    tpp_xlsx.unit_tpp_report(unit=org["a"], year=2026, month=11)  # warm the caches
    few = count()
    for n in range(6):
        extra = EmployeeFactory(agency=org["agency"], unit=org["a1"], user=None)
        day(extra, dt.date(2026, 11, 2 + n), "TL1", late=5)
    many = count()
    assert many == few and few[1] <= 10


# --- the /laporan/ page -------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def start(client, **data):
    return client.post(reverse("web:export_start"), data, **HTMX)


def download(client, response) -> bytes:
    job = response.context["job"]
    assert job["state"] == "done", job
    got = client.get(reverse("web:export_download", args=[job["job_id"]]))
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment")
    return b"".join(got.streaming_content)


@pytest.mark.usefixtures("celery_eager", "media")
def test_hr_is_offered_both_tpp_files_and_makes_them(client, org):
    client.force_login(org["hr"])
    page = client.get(reverse("web:exports"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="export-tpp-unit"' in html and 'id="export-tpp-agency"' in html
    assert {u.pk for u in page.context["tpp_units"]} == {org["a"].pk, org["a1"].pk, org["b"].pk}

    unit = start(client, kind="tpp_unit_xlsx", unit=org["b"].pk, month="2026-10")
    assert unit.status_code == 200
    _book, _sheet, header, rows = sheet_rows(download(client, unit))
    assert [r[header[2]].value for r in rows] == ["Dewi", "Eko"]

    whole = start(client, kind="tpp_agency_xlsx", month="2026-10")
    assert whole.status_code == 200
    job = tasks.export_job(whole.context["job"]["job_id"])
    assert job["counting"] == tasks.OPDS and job["done"] == job["total"] == 1  # the file stored
    _book, _sheet, header, rows = sheet_rows(download(client, whole))
    assert len(rows) == 5
    assert "tpp-gaji-semua-opd-2026-10.xlsx" in job["filename"]


@pytest.mark.usefixtures("celery_eager", "media")
def test_a_unit_head_gets_their_units_only(client, org):
    client.force_login(org["dewi"].user)
    page = client.get(reverse("web:exports"))
    html = page.content.decode()
    assert 'id="export-tpp-unit"' in html and 'id="export-tpp-agency"' not in html
    assert [u.pk for u in page.context["tpp_units"]] == [org["b"].pk]

    assert start(client, kind="tpp_unit_xlsx", unit=org["a"].pk, month="2026-10").status_code == 403
    assert start(client, kind="tpp_agency_xlsx", month="2026-10").status_code == 403
    elsewhere = org["fajar"].unit.pk
    assert start(client, kind="tpp_unit_xlsx", unit=elsewhere, month="2026-10").status_code == 404
    own = start(client, kind="tpp_unit_xlsx", unit=org["b"].pk, month="2026-10")
    assert own.status_code == 200 and own.context["job"]["state"] == "done"


@pytest.mark.usefixtures("celery_eager", "media")
def test_a_leader_is_refused_the_payroll_files(client, org):
    client.force_login(org["leader"])
    page = client.get(reverse("web:exports"))
    assert page.status_code == 200  # the attendance reports stay
    html = page.content.decode()
    assert 'id="export-tpp-agency"' not in html and 'id="export-tpp-unit"' not in html
    assert start(client, kind="tpp_agency_xlsx", month="2026-10").status_code == 403
    assert start(client, kind="tpp_unit_xlsx", unit=org["a"].pk, month="2026-10").status_code == 403
    assert start(client, kind="monthly_xlsx", unit=org["a"].pk, month="2026-10").status_code == 200


@pytest.mark.usefixtures("celery_eager", "media")
def test_a_month_not_begun_is_400(client, org):
    client.force_login(org["hr"])
    assert start(client, kind="tpp_agency_xlsx", month="2026-12").status_code == 400
    assert start(client, kind="tpp_unit_xlsx", unit=org["a"].pk, month="2026-12").status_code == 400
    assert start(client, kind="tpp_unit_xlsx", unit=org["a"].pk, month="nope").status_code == 400
    assert not TppStatement.objects.exists()
