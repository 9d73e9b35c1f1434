"""The attendance recap selectors against a hand-counted agency (tests/reports/conftest.py):
every status and mode, sub-units, the agency per OPD, the day boundary of a WIT office,
bounded queries (equal for 5 and 50 people), the short cache and the 30-day trend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.attendance.models import AttendanceDay
from sigap.reports import recap
from sigap.reports.people import unit_people_day
from tests.factories import EmployeeFactory, OfficeFactory, UnitFactory

from .conftest import MONDAY, day_row

pytestmark = pytest.mark.django_db

ZERO = dict.fromkeys(
    [
        "HADIR",
        "TL1",
        "TL2",
        "TL3",
        "TL4",
        "PSW1",
        "PSW2",
        "PSW3",
        "PSW4",
        "TK",
        "DL",
        "CT",
        "CB",
        "CS",
        "CM",
        "CAP",
        "CBER",
        "CLTN",
        "SAKIT",
        "IZIN",
        "TB",
        "LIBUR",
        "BELUM",
    ],
    0,
)


def statuses(**counts: int) -> dict[str, int]:
    return {**ZERO, **counts}


def test_a_unit_during_the_day_counts_every_status_and_mode(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    result = recap.unit_recap(unit=small_agency["a"], date=MONDAY)
    assert result["unit"] == {"id": small_agency["a"].pk, "code": "A", "name": "Dinas A"}
    assert result["date"] == "2026-11-23"
    assert (result["headcount"], result["expected"], result["present"]) == (10, 10, 4)
    assert result["by_status"] == statuses(HADIR=2, TL1=1, PSW2=1, TK=1, DL=1, CT=1, BELUM=3)
    assert result["by_mode"] == {"WFO": 4, "WFH": 2, "WFA": 2}
    assert result["rate"] == 0.4
    [sub] = result["subunits"]
    assert sub["unit"]["code"] == "A1"
    assert (sub["headcount"], sub["expected"], sub["present"], sub["rate"]) == (2, 2, 1, 0.5)
    assert sub["by_status"] == statuses(HADIR=1, BELUM=1)
    assert sub["by_mode"] == {"WFO": 1, "WFH": 0, "WFA": 1}
    assert sub["subunits"] == []


def test_after_the_day_days_without_a_row_are_tk(freeze, small_agency):
    freeze(2026, 11, 24, 10, 0)
    result = recap.unit_recap(unit=small_agency["a"], date=MONDAY)
    assert result["by_status"] == statuses(HADIR=2, TL1=1, PSW2=1, TK=4, DL=1, CT=1)
    assert (result["expected"], result["present"]) == (10, 4)


def test_a_shift_worker_without_a_shift_is_off(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    result = recap.unit_recap(unit=small_agency["h"], date=MONDAY)
    assert result["by_status"] == statuses(LIBUR=1, BELUM=1)
    assert (result["headcount"], result["expected"], result["present"]) == (2, 1, 0)
    assert result["by_mode"] == {"WFO": 1, "WFH": 0, "WFA": 0}
    freeze(2026, 11, 23, 18, 30)  # the 07:00-14:00 shift closes 4 hours after its end
    cache.clear()
    assert recap.unit_recap(unit=small_agency["h"], date=MONDAY)["by_status"]["TK"] == 1


def test_the_agency_has_one_recap_per_opd(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    result = recap.agency_recap(agency=small_agency["agency"])
    assert result["date"] == "2026-11-23"
    assert result["agency"]["id"] == small_agency["agency"].pk
    assert [s["unit"]["code"] for s in result["subunits"]] == ["A", "B", "H"]
    assert (result["headcount"], result["expected"], result["present"]) == (13, 12, 4)
    assert result["rate"] == round(4 / 12, 4)
    assert result["by_status"] == statuses(
        HADIR=2, TL1=1, PSW2=1, TK=1, DL=1, CT=1, BELUM=5, LIBUR=1
    )
    assert result["by_mode"] == {"WFO": 6, "WFH": 2, "WFA": 2}
    opd_a = result["subunits"][0]
    assert opd_a == recap.unit_recap(unit=small_agency["a"], date=MONDAY)


def test_a_weekend_is_libur_for_office_workers(freeze, small_agency):
    freeze(2026, 11, 22, 10, 0)  # Sunday
    result = recap.unit_recap(unit=small_agency["a"])
    assert result["date"] == "2026-11-22"
    assert (result["headcount"], result["expected"], result["rate"]) == (10, 0, 0.0)
    assert result["by_status"]["LIBUR"] == 10


# --- time zones ----------------------------------------------------------------------------


@pytest.fixture
def wit(small_agency):
    """OPD W in Jayapura (WIT, one hour ahead of the agency's WITA)."""
    unit = UnitFactory(agency=small_agency["agency"], code="W", name="Dinas W")
    office = OfficeFactory(agency=small_agency["agency"], time_zone="Asia/Jayapura")
    office.units.add(unit)
    people = [EmployeeFactory(agency=unit.agency, unit=unit) for _ in range(2)]
    return {"unit": unit, "people": people}


def test_a_wit_day_ends_an_hour_before_a_wita_day(freeze, small_agency, wit):
    freeze(2026, 11, 23, 23, 30)  # 23:30 WITA = 00:30 WIT on the 24th
    assert recap.unit_recap(unit=wit["unit"])["date"] == "2026-11-24"
    assert recap.unit_recap(unit=small_agency["b"])["date"] == "2026-11-23"
    on_monday = recap.unit_recap(unit=wit["unit"], date=MONDAY)
    assert on_monday["by_status"]["TK"] == 2  # the WIT window closed at 23:59 WIT
    assert recap.unit_recap(unit=small_agency["b"], date=MONDAY)["by_status"]["BELUM"] == 1


def test_a_wit_check_in_counts_on_its_local_date(freeze, wit, client):
    from tests.attendance.fixtures import form

    from .conftest import bearer

    person = wit["people"][0]
    freeze(2026, 11, 24, 6, 50, tz=dt.timezone(dt.timedelta(hours=9)))  # 21:50 UTC on the 23rd
    response = client.post("/api/v1/attendance/check-ins", form(), **bearer(person.user))
    assert response.status_code in (200, 201), response.content
    tuesday = recap.unit_recap(unit=wit["unit"], date=dt.date(2026, 11, 24))
    assert (tuesday["present"], tuesday["by_status"]["HADIR"]) == (1, 1)
    assert recap.unit_recap(unit=wit["unit"], date=MONDAY)["present"] == 0
    [row] = [p for p in unit_people_day(unit=wit["unit"], date=dt.date(2026, 11, 24)) if p.check_in]
    assert (row.check_in.strftime("%H:%M"), row.zone) == ("06:50", "Asia/Jayapura")


# --- people, queries, cache, trend ---------------------------------------------------------


def test_the_people_of_a_unit(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    people = {p.employee.name: p for p in unit_people_day(unit=small_agency["a"], date=MONDAY)}
    assert set(people) == {
        "Hadir",
        "Late",
        "Early",
        "Absent",
        "Travel",
        "Leave",
        "Waiting",
        "Head A",
    }
    assert (people["Hadir"].status, people["Hadir"].mode) == ("HADIR", "WFO")
    assert people["Hadir"].check_in.strftime("%H:%M") == "07:20"
    assert (people["Absent"].status, people["Absent"].mode) == ("TK", "WFH")
    assert (people["Leave"].status, people["Leave"].mode) == ("CT", None)
    assert (people["Waiting"].status, people["Waiting"].mode) == ("BELUM", "WFO")


def _unit_with(agency, office, n: int):
    unit = UnitFactory(agency=agency)
    office.units.add(unit)
    sub = UnitFactory(agency=agency, parent=unit)
    for i in range(n):
        person = EmployeeFactory(agency=agency, unit=unit if i % 2 else sub)
        if i % 3 == 0:
            day_row(person, "HADIR", "WFO")
    return unit


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_queries_are_bounded_and_equal_for_5_and_50_people(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    agency = small_agency["agency"]
    office = OfficeFactory(agency=agency)
    recap.unit_recap(unit=small_agency["a"], date=MONDAY)  # warms the calendar, office map
    small, large = _unit_with(agency, office, 5), _unit_with(agency, office, 50)
    few = _queries(lambda: recap.unit_recap(unit=small, date=MONDAY))
    many = _queries(lambda: recap.unit_recap(unit=large, date=MONDAY))
    assert few == many <= 5
    assert _queries(lambda: recap.unit_trend(unit=large, end=MONDAY)) <= 6


def test_the_recap_is_cached_briefly(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    first = recap.unit_recap(unit=small_agency["a"], date=MONDAY)
    AttendanceDay.objects.filter(employee=small_agency["absent"]).update(status="SAKIT")
    assert _queries(lambda: recap.unit_recap(unit=small_agency["a"], date=MONDAY)) == 0
    assert recap.unit_recap(unit=small_agency["a"], date=MONDAY) == first
    cache.delete(f"reports:recap:unit:{small_agency['a'].pk}:{MONDAY}")  # = 30 s later
    assert recap.unit_recap(unit=small_agency["a"], date=MONDAY)["by_status"]["SAKIT"] == 1
    assert recap.CACHE_SECONDS == 30


def test_the_trend_gives_one_rate_per_day(freeze, small_agency):
    freeze(2026, 11, 23, 10, 0)
    day_row(small_agency["hadir"], "HADIR", "WFO", day=dt.date(2026, 11, 20))  # Friday
    points = recap.unit_trend(unit=small_agency["a"], days=4)
    assert [p["date"] for p in points] == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
    assert [(p["expected"], p["present"]) for p in points] == [(10, 1), (0, 0), (0, 0), (10, 4)]
    assert points[0]["rate"] == 0.1
    hospital = recap.unit_trend(unit=small_agency["h"], end=MONDAY, days=2)
    assert [(p["expected"], p["present"]) for p in hospital] == [(0, 0), (1, 0)]
