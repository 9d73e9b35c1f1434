"""Employee import: every row validated first, all or nothing, clear reasons."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from sigap.org.importer import employees_import, read_rows, validate_rows
from sigap.org.models import Employee, Position
from sigap.org.rules import make_nip
from tests.factories import AgencyFactory, EmployeeFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Reasons are asserted in English (the msgids); users read them in Indonesian."""
    with translation.override("en"):
        yield


HEADER = [
    "NIP",
    "Nama",
    "Kode Unit",
    "Jabatan",
    "NIP Atasan",
    "Email",
    "Telepon",
    "Lat Rumah",
    "Lon Rumah",
]


def nip(i: int, gender: str = "M") -> str:
    import datetime as dt

    return make_nip(
        dt.date(1980, 1, 1) + dt.timedelta(days=i), (2015, 1 + i % 12), gender, 1 + i % 999
    )


@pytest.fixture
def agency():
    agency = AgencyFactory(code="pemkab")
    UnitFactory(agency=agency, code="DISKOMINFO")
    UnitFactory(agency=agency, code="BKPSDM")
    return agency


def write_csv(tmp_path: Path, rows: list[list], delimiter: str = ",") -> Path:
    path = tmp_path / "pegawai.csv"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def write_xlsx(tmp_path: Path, rows: list[list]) -> Path:
    path = tmp_path / "pegawai.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def good_rows() -> list[list]:
    return [
        [
            nip(1),
            "Andi Saputra",
            "DISKOMINFO",
            "Kepala Bidang",
            "",
            "andi@example.go.id",
            "0811",
            "-2.70",
            "118.90",
        ],
        [nip(2, "F"), "Siti Aminah", "DISKOMINFO", "Pranata Komputer", nip(1), "", "", "", ""],
        [nip(3), "Budi Hidayat", "BKPSDM", "Analis", nip(1), "", "", "-2,71", "118,91"],
    ]


def run_import(agency, path):
    clean, errors = validate_rows(agency, read_rows(path))
    assert errors == []
    return employees_import(agency=agency, rows=clean)


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_valid_file_imports_everything(agency, tmp_path, writer):
    result = run_import(agency, writer(tmp_path, good_rows()))
    assert (result.created, result.updated) == (3, 0)
    siti = Employee.objects.get(nip=nip(2, "F"))
    assert siti.supervisor.name == "Andi Saputra"
    assert siti.unit.code == "DISKOMINFO"
    budi = Employee.objects.get(nip=nip(3))
    assert budi.home_latitude == pytest.approx(-2.71)
    assert Position.objects.filter(agency=agency).count() == 3


def test_semicolon_csv_from_indonesian_excel(agency, tmp_path):
    result = run_import(agency, write_csv(tmp_path, good_rows(), delimiter=";"))
    assert result.created == 3


def test_reimport_updates_instead_of_duplicating(agency, tmp_path):
    path = write_csv(tmp_path, good_rows())
    run_import(agency, path)
    rows = good_rows()
    rows[0][1] = "Andi Saputra, S.Kom."
    result = run_import(agency, write_csv(tmp_path, rows))
    assert (result.created, result.updated) == (0, 3)
    assert Employee.objects.get(nip=nip(1)).name == "Andi Saputra, S.Kom."


BAD_CASES = [
    (lambda r: r[0].__setitem__(0, "123"), "18 digits"),
    (lambda r: r[0].__setitem__(0, "198513152010011002"), "birth date"),
    (lambda r: r[0].__setitem__(2, "DINAS-FIKTIF"), "unknown unit"),
    (lambda r: r[1].__setitem__(4, nip(99)), "unknown supervisor"),
    (lambda r: r[1].__setitem__(0, nip(1)), "duplicate NIP"),
    (lambda r: r[0].__setitem__(1, ""), "name is empty"),
    (lambda r: r[0].__setitem__(5, "bukan-email"), "email"),
    (lambda r: r[0].__setitem__(7, "95"), "latitude"),
    (lambda r: r[0].__setitem__(8, ""), "both home"),
    (lambda r: r[0].__setitem__(4, nip(1)), "own supervisor"),
    (lambda r: r[0].__setitem__(4, nip(2, "F")), "loops back"),
]


@pytest.mark.parametrize(("mutate", "reason"), BAD_CASES)
def test_one_bad_row_imports_nothing(agency, tmp_path, mutate, reason):
    rows = good_rows()
    mutate(rows)
    clean, errors = validate_rows(agency, read_rows(write_csv(tmp_path, rows)))
    assert errors, "the bad row must be reported"
    assert any(reason.lower() in "; ".join(e.reasons).lower() for e in errors), errors
    with pytest.raises(CommandError):
        call_command("import_employees", str(write_csv(tmp_path, rows)), "--no-progress")
    assert Employee.objects.count() == 0


def test_every_bad_row_is_reported_with_its_line(agency, tmp_path):
    rows = good_rows()
    rows[0][2] = "NOPE"
    rows[2][2] = "NOPE"
    _clean, errors = validate_rows(agency, read_rows(write_csv(tmp_path, rows)))
    assert [e.line for e in errors] == [2, 4]


def test_nip_stored_as_a_number_in_excel_is_refused(agency, tmp_path):
    rows = good_rows()
    rows[0][0] = float(rows[0][0])
    _clean, errors = validate_rows(agency, read_rows(write_xlsx(tmp_path, rows)))
    assert "format it as text" in errors[0].reasons[0]


def test_missing_required_column(agency, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("NIP,Nama\n123,Andi\n")
    with pytest.raises(CommandError, match="Kode Unit|unit_code"):
        call_command("import_employees", str(path), "--no-progress")


def test_nip_of_another_agency_is_refused(agency, tmp_path):
    EmployeeFactory(nip=nip(1))
    _clean, errors = validate_rows(agency, read_rows(write_csv(tmp_path, good_rows())))
    assert "another agency" in "; ".join(errors[0].reasons)


def test_command_imports_and_reports(agency, tmp_path, capsys):
    call_command("import_employees", str(write_xlsx(tmp_path, good_rows())), "--no-progress")
    assert Employee.objects.filter(agency=agency).count() == 3


def test_5000_rows_import_with_bounded_queries(agency, tmp_path, django_assert_max_num_queries):
    rows = [
        [
            nip(i),
            f"Pegawai {i}",
            "BKPSDM",
            f"Jabatan {i % 7}",
            nip(1) if i > 1 else "",
            "",
            "",
            "",
            "",
        ]
        for i in range(1, 5001)
    ]
    path = write_csv(tmp_path, rows)
    raw = list(read_rows(path))
    with django_assert_max_num_queries(120):  # batches of rows, never a query per row
        clean, errors = validate_rows(agency, raw)
        assert not errors
        result = employees_import(agency=agency, rows=clean)
    assert result.created == 5000
    assert Employee.objects.filter(supervisor__nip=nip(1)).count() == 4999


def test_reasons_are_indonesian_by_default(agency, tmp_path):
    rows = good_rows()
    rows[0][0] = "123"
    with translation.override("id"):
        _clean, errors = validate_rows(agency, read_rows(write_csv(tmp_path, rows)))
        assert str(errors[0]) == "baris 2 (NIP 123): NIP harus tepat 18 digit."
