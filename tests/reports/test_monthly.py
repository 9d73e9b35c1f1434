"""The monthly attendance report's data: codes per day, totals, minutes, holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.attendance.models import AttendanceDay
from sigap.attendance.rules import Code
from sigap.discipline.models import TppStatement
from sigap.reports import monthly
from sigap.web import labels
from sigap.worktime.models import Holiday, HolidayKind
from sigap.worktime.selectors import calendar_changed
from tests.factories import EmployeeFactory, OfficeFactory, UnitFactory

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
HOLIDAY = dt.date(2026, 11, 17)  # a Tuesday


def d(day: int) -> dt.date:
    return dt.date(2026, 11, day)


def day(employee, on, status, codes=None, late=0, early=0):
    return AttendanceDay.objects.create(
        employee=employee,
        date=on,
        status=status,
        codes=codes or [status],
        late_minutes=late,
        early_minutes=early,
        final=True,
        rule_version="t",
        updated_at=AT,
    )


# November 2026: 21 weekdays, the 17th a local holiday -> 20 working days
EVERY_CODE = [
    (2, "HADIR", None, 0, 0),
    (3, "TL1", None, 10, 0),
    (4, "TL2", ["TL2", "PSW1"], 40, 15),
    (5, "TL3", None, 70, 0),
    (6, "TL4", None, 100, 0),
    (9, "PSW2", None, 0, 45),
    (10, "PSW3", None, 0, 80),
    (11, "PSW4", None, 0, 0),
    (12, "TK", None, 0, 0),
    (13, "DL", None, 0, 0),
    (16, "CT", None, 0, 0),
    (18, "SAKIT", None, 0, 0),
    (19, "IZIN", None, 0, 0),
    (20, "CB", None, 0, 0),
    (23, "CS", None, 0, 0),
    (24, "CM", None, 0, 0),
    (25, "CAP", None, 0, 0),
    (26, "CBER", None, 0, 0),
    (27, "CLTN", None, 0, 0),
    (30, "TB", None, 0, 0),
]


def build_unit():
    """A unit (DU) in WITA with a local holiday on Tuesday 17 November 2026."""
    unit = UnitFactory(name="Dinas Uji", code="DU")
    office = OfficeFactory(agency=unit.agency)
    office.units.add(unit)
    Holiday.objects.create(
        agency=unit.agency, date=HOLIDAY, name="Hari jadi", kind=HolidayKind.LOCAL
    )
    calendar_changed(unit.agency_id)
    return unit


def build_people(unit):
    """Ani (every code, the unit head), Budi (no rows), Citra (a sub-unit), Dewi (elsewhere)."""
    child = UnitFactory(agency=unit.agency, parent=unit, name="Bidang Uji", code="DU-1")
    busy = EmployeeFactory(agency=unit.agency, unit=unit, name="Ani Lengkap")
    for number, status, codes, late, early in EVERY_CODE:
        day(busy, d(number), status, codes, late, early)
    absent = EmployeeFactory(agency=unit.agency, unit=unit, name="Budi Kosong")
    below = EmployeeFactory(agency=unit.agency, unit=child, name="Citra Bidang")
    day(below, d(2), "HADIR")
    other = EmployeeFactory(agency=unit.agency, name="Dewi OPD Lain")
    unit.head = busy
    unit.save(update_fields=["head"])
    return busy, absent, below, other


@pytest.fixture
def unit(db):
    return build_unit()


@pytest.fixture
def people(unit):
    return build_people(unit)


def test_every_code_with_hand_computed_totals(freeze, unit, people):
    freeze(2026, 12, 10, 9, 0)
    busy, absent, below, _other = people

    report = monthly.monthly_report(unit=unit, year=2026, month=11)

    assert [r.name for r in report.rows] == ["Ani Lengkap", "Budi Kosong", "Citra Bidang"]
    assert [r.number for r in report.rows] == [1, 2, 3]
    assert (report.head_name, report.head_nip) == (busy.name, busy.nip)
    row = report.rows[0]
    assert row.nip == busy.nip and row.position == busy.position.name
    assert len(row.codes) == 30
    assert row.codes[3] == "TL2"  # the 4th: the main status
    assert row.codes[16] == "LIBUR"  # the holiday
    assert row.codes[0] == "LIBUR" and row.codes[6] == "LIBUR"  # Sunday 1st, Saturday 7th
    expected = dict.fromkeys(monthly.TOTAL_COLUMNS, 0)
    expected |= {code: 1 for _n, code, *_rest in EVERY_CODE if code != "HADIR"}
    expected |= {"PSW1": 1, "HK": 20, "H": 8}
    assert row.totals == expected
    assert (row.late_minutes, row.early_minutes) == (220, 140)
    # the TPP statement: TL1 0.5 + TL2 1 + PSW1 0.5 + TL3 1.25 + TL4 1.5 + PSW2 1 + PSW3 1.25
    # + TK 4 (PSW4 with no early minute and no missing check-out has no band; leave: 0)
    assert row.deduction_pct == 11.0
    assert TppStatement.objects.get(employee=busy, year=2026, month=11).frozen_at is not None
    # the statement counts stored days only: Budi's computed TK days deduct nothing
    assert [r.deduction_pct for r in report.rows[1:]] == [0.0, 0.0]


def test_the_tpp_column_is_each_employees_deduction(freeze, unit, people):
    freeze(2026, 11, 24, 9, 0)  # November is open: the statements are provisional
    _busy, absent, below, _other = people
    day(absent, d(2), "TK")
    day(below, d(3), "TL2", late=40)
    day(below, d(4), "TK")

    rows = monthly.monthly_report(unit=unit, year=2026, month=11).rows

    assert [(r.name, r.deduction_pct) for r in rows[1:]] == [
        ("Budi Kosong", 4.0),
        ("Citra Bidang", 5.0),
    ]
    assert TppStatement.objects.get(employee=absent, year=2026, month=11).frozen_at is None
    future = monthly.monthly_report(unit=unit, year=2026, month=12).rows
    assert {r.deduction_pct for r in future} == {None}  # a month not begun has no statement


def test_days_without_a_row_are_tk_on_working_days_and_libur_off(freeze, unit, people):
    freeze(2026, 12, 10, 9, 0)

    report = monthly.monthly_report(unit=unit, year=2026, month=11)

    nobody = report.rows[1]
    assert nobody.totals["TK"] == 20 and nobody.totals["HK"] == 20 and nobody.totals["H"] == 0
    assert nobody.codes.count("LIBUR") == 10  # 9 weekend days and the holiday
    below = report.rows[2]
    assert below.codes[1] == "HADIR" and below.totals["TK"] == 19


def test_holiday_and_weekend_columns_are_off(freeze, unit, people):
    freeze(2026, 12, 10, 9, 0)

    report = monthly.monthly_report(unit=unit, year=2026, month=11)

    off = [c.date.day for c in report.days if c.off]
    assert off == [1, 7, 8, 14, 15, 17, 21, 22, 28, 29]
    assert [c.date.day for c in report.days if c.holiday] == [17]


def test_the_current_month_leaves_future_days_undecided(freeze, unit, people):
    freeze(2026, 11, 4, 9, 0)  # Wednesday morning

    row = monthly.monthly_report(unit=unit, year=2026, month=11).rows[1]

    assert row.codes[:4] == ("LIBUR", "TK", "TK", "BELUM")
    assert row.codes[-1] == "BELUM"
    assert row.totals["TK"] == 2 and row.totals["HK"] == 2
    assert monthly.display_code("BELUM") == "" and monthly.display_code("LIBUR") == "-"


def test_the_number_of_queries_does_not_grow_with_people(freeze, unit, people):
    freeze(2026, 12, 10, 9, 0)
    monthly.monthly_report(unit=unit, year=2026, month=11)  # warm the caches
    with CaptureQueriesContext(connection) as few:
        monthly.monthly_report(unit=unit, year=2026, month=11)
    TppStatement.objects.all().delete()
    with CaptureQueriesContext(connection) as few_cold:  # the statements computed too
        monthly.monthly_report(unit=unit, year=2026, month=11)
    for n in range(5):
        staff = EmployeeFactory(agency=unit.agency, unit=unit, user=None)
        day(staff, d(2 + n), "TL1", late=5)
    TppStatement.objects.all().delete()
    with CaptureQueriesContext(connection) as many_cold:
        monthly.monthly_report(unit=unit, year=2026, month=11)
    with CaptureQueriesContext(connection) as many:
        report = monthly.monthly_report(unit=unit, year=2026, month=11)
    assert len(report.rows) == 8
    assert len(many.captured_queries) == len(few.captured_queries) <= 6  # 3 for the statements
    assert len(many_cold.captured_queries) == len(few_cold.captured_queries)
    added = [r.deduction_pct for r in report.rows if r.name.startswith("Pegawai")]
    assert added == [0.5] * 5  # a TL1 each


def test_progress_is_reported(freeze, unit, people):
    freeze(2026, 12, 10, 9, 0)
    for _n in range(48):
        EmployeeFactory(agency=unit.agency, unit=unit, user=None)
    seen = []
    monthly.monthly_report(unit=unit, year=2026, month=11, progress=lambda *a: seen.append(a))
    assert seen == [(50, 51)]


def test_the_legend_is_the_pages_legend_and_covers_every_code():
    from sigap.attendance.labels import CODE_LEGEND

    assert CODE_LEGEND is labels.CODE_LEGEND  # one legend, shared by pages and reports
    assert set(CODE_LEGEND) == {code.value for code in Code}
