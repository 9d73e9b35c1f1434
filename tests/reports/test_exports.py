"""The report files: the monthly XLSX and PDF of a unit, the daily XLSX of an agency."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zlib

import pytest
from django.utils import translation
from openpyxl import load_workbook

from sigap.org.models import Employee
from sigap.reports import daily, monthly, pdf, xlsx
from tests.factories import EmployeeFactory
from tests.reports.test_monthly import AT, build_people, build_unit, d, day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def report(freeze):
    freeze(2026, 12, 10, 9, 0)
    unit = build_unit()
    build_people(unit)
    EmployeeFactory(agency=unit.agency, unit=unit, name='=HYPERLINK("http://x")')
    return monthly.monthly_report(unit=unit, year=2026, month=11)


def test_monthly_xlsx_layout(report):
    book = load_workbook(io.BytesIO(xlsx.monthly_xlsx(report)))
    sheet = book["2026-11"]

    assert [r.name for r in report.rows][:2] == ['=HYPERLINK("http://x")', "Ani Lengkap"]
    assert sheet["A1"].value == report.agency.name
    assert "Dinas Uji" in sheet["A2"].value
    assert sheet.freeze_panes == "E6"
    header = [c.value for c in sheet[xlsx.HEADER_ROW]]
    assert header[:5] == ["No", "NIP", "Name", "Position", "1"]
    assert header[4 + 29] == "30" and header[34:36] == ["HK", "H"]
    assert all(c.font.b for c in sheet[xlsx.HEADER_ROW])
    rows = list(sheet.iter_rows(min_row=xlsx.HEADER_ROW + 1, values_only=True))
    assert len(rows) == len(report.rows) == 4
    first = rows[1]
    assert first[:3] == (2, report.rows[1].nip, "Ani Lengkap")
    assert isinstance(first[1], str) and len(first[1]) == 18
    assert first[4 + 3] == "TL2"  # 4 November
    assert first[4 + 16] == "-" and first[4] == "-"  # the holiday, Sunday 1st
    totals = dict(zip(header[34:], first[34:], strict=True))
    assert totals["H"] == 8 and totals["TK"] == 1 and totals["PSW1"] == 1
    assert totals["Late (min)"] == 220 and totals["Early (min)"] == 140
    assert totals["TPP discipline deduction %"] == 11  # the TPP statement's deduction
    pct = sheet.cell(row=xlsx.HEADER_ROW + 2, column=len(header))
    assert pct.number_format == "0.00"


def test_monthly_xlsx_colours_and_no_formulas(report):
    book = load_workbook(io.BytesIO(xlsx.monthly_xlsx(report)))
    sheet = book["2026-11"]
    row = xlsx.HEADER_ROW + 2  # Ani
    tk_cell = sheet.cell(row=row, column=4 + 12)  # TK on the 12th
    assert tk_cell.value == "TK" and tk_cell.fill.fgColor.rgb.endswith("FF7C80")
    holiday = sheet.cell(row=xlsx.HEADER_ROW, column=4 + 17)
    assert holiday.fill.fgColor.rgb.endswith("D9D9D9")
    names = [c.value for c in sheet["C"]]
    assert '=HYPERLINK("http://x")' in names
    assert all(c.data_type != "f" for line in sheet.iter_rows() for c in line)


def test_monthly_xlsx_legend(report):
    book = load_workbook(io.BytesIO(xlsx.monthly_xlsx(report)))
    legend = {row[0]: row[1] for row in book["Legend"].iter_rows(min_row=2, values_only=True)}
    assert legend["TK"] == "Absent without notice"
    assert legend["-"].startswith("Day off") and "CBER" in legend
    assert legend["TPP %"] == "TPP discipline deduction (% of the discipline part)"
    assert xlsx.monthly_filename(report, "xlsx") == "kehadiran-du-2026-11.xlsx"


def _pdf_text(content: bytes) -> bytes:
    """The decoded content streams (ASCII85 and/or Flate, as reportlab writes them)."""
    out = []
    for head, body in re.findall(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", content, re.S):
        data = body.strip()
        if b"ASCII85Decode" in head:
            data = base64.a85decode(b"<~" + data.removeprefix(b"<~"), adobe=True)
        if b"FlateDecode" in head:
            data = zlib.decompress(data)
        out.append(data)
    return b"\n".join(out)


def test_monthly_pdf(report):
    content = pdf.monthly_pdf(report)

    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert b"Ani Lengkap" in text  # the unit head signs (and is a row)
    assert report.head_nip.encode() in text
    assert b"Head of Dinas Uji" in text
    assert b"PEMKAB UJI" in text.upper()
    # Ani's row ends with her late and early minutes and her TPP discipline deduction
    assert re.search(rb"\(220\) Tj[^(]*\(140\) Tj[^(]*\(11\) Tj", text)
    assert b"% of the discipline part" in text and b"once discipline" not in text
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content  # A4 landscape


def test_monthly_pdf_paginates_with_the_header_repeated(freeze, report):
    for n in range(80):
        EmployeeFactory(agency=report.agency, unit=report.unit, name=f"Pegawai {n:03d}", user=None)
    big = monthly.monthly_report(unit=report.unit, year=2026, month=11)
    text = _pdf_text(pdf.monthly_pdf(big))
    assert text.count(b"(Page ") >= 2
    assert text.count(b"Name / NIP / position") >= 2


def test_daily_xlsx(freeze, report):
    budi = next(r for r in report.rows if r.name == "Budi Kosong")
    staff = Employee.objects.get(nip=budi.nip)
    row = day(staff, d(24), "TL1", late=12)
    row.check_in = dt.datetime(2026, 11, 23, 23, 42, tzinfo=dt.UTC)  # 07:42 WITA on the 24th
    row.status, row.codes, row.mode, row.flags = "TL1", ["TL1"], "WFO", ["no_check_out"]
    row.save()
    assert row.updated_at == AT

    recap = daily.daily_recap(agency=report.agency, date=dt.date(2026, 11, 24))
    book = load_workbook(io.BytesIO(xlsx.daily_xlsx(recap)))

    people = list(book["Per employee"].iter_rows(min_row=xlsx.HEADER_ROW + 1, values_only=True))
    by_nip = {r[2]: r for r in people}
    mine = by_nip[budi.nip]
    assert mine[5:11] == ("TL1", "TL1", dt.time(7, 42), None, "WFO", 12)
    assert mine[12] == "no_check_out"
    assert len(people) == 5  # the four of the unit and the one elsewhere
    assert by_nip[report.rows[0].nip][3] == '=HYPERLINK("http://x")'
    opds = list(book["Per OPD"].iter_rows(min_row=xlsx.HEADER_ROW + 1, values_only=True))
    dinas = next(r for r in opds if r[0] == "Dinas Uji")
    assert dinas[1:5] == (4, 4, 1, 25.0)  # headcount, expected, present, rate
    assert "Legend" in book.sheetnames
    assert xlsx.daily_filename(recap).endswith("-2026-11-24.xlsx")
