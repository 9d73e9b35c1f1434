"""Working-time services and selectors with the database."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from sigap.org.models import Employee
from sigap.worktime import rules
from sigap.worktime.holidays import national_holiday_names
from sigap.worktime.models import (
    Holiday,
    HolidayKind,
    HolidaySource,
    Period,
    RamadanPeriod,
    ScheduleVersion,
    Shift,
    ShiftAssignment,
    WeeklyHours,
)
from sigap.worktime.selectors import (
    calendar_changed,
    calendar_for,
    cuti_bersama_days,
    employee_day_schedule,
    employee_work_date,
)
from sigap.worktime.services import (
    holidays_seed,
    schedule_defaults_seed,
    seed_worktime_demo,
)
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, UnitFactory, next_nip

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
WITA = "Asia/Makassar"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def agency():
    return AgencyFactory()


def package_count(year: int) -> int:
    return sum(len(names.split("; ")) for names in national_holiday_names(year).values())


# --- holidays ------------------------------------------------------------------


def test_holidays_seed_creates_national_days_and_cuti_bersama(agency):
    created = holidays_seed(agency=agency, year=2026)
    assert created == package_count(2026) > 15
    independence = Holiday.objects.get(agency=agency, date=D("2026-08-17"))
    assert independence.name == "Hari Kemerdekaan Republik Indonesia"
    assert independence.kind == HolidayKind.NATIONAL
    assert independence.source == HolidaySource.PACKAGE
    assert independence.package_date == independence.date
    assert Holiday.objects.get(agency=agency, date=D("2026-05-15")).kind == (
        HolidayKind.CUTI_BERSAMA
    )
    assert D("2026-12-24") in cuti_bersama_days(agency=agency, year=2026)
    assert D("2026-08-17") not in cuti_bersama_days(agency=agency, year=2026)


def test_holidays_seed_is_idempotent_and_respects_the_admin(agency):
    holidays_seed(agency=agency, year=2026)
    removed = Holiday.objects.get(agency=agency, date=D("2026-08-17"))
    removed.active = False
    removed.save(update_fields=["active"])
    moved = Holiday.objects.get(agency=agency, date=D("2026-05-15"))
    moved.date = D("2026-05-13")
    moved.save(update_fields=["date"])
    local = Holiday.objects.create(
        agency=agency, date=D("2026-07-14"), name="Hari Jadi Kabupaten", kind=HolidayKind.LOCAL
    )
    count = Holiday.objects.count()

    assert holidays_seed(agency=agency, year=2026) == 0

    assert Holiday.objects.count() == count
    removed.refresh_from_db()
    assert removed.active is False
    assert not Holiday.objects.filter(agency=agency, date=D("2026-05-15")).exists()
    local.refresh_from_db()
    assert (local.source, local.kind, local.active) == ("ADMIN", "LOCAL", True)


def test_holidays_seed_skips_a_day_the_admin_already_added(agency):
    Holiday.objects.create(
        agency=agency, date=D("2026-08-17"), name="Hari Kemerdekaan Republik Indonesia"
    )
    assert holidays_seed(agency=agency, year=2026) == package_count(2026) - 1
    assert Holiday.objects.get(agency=agency, date=D("2026-08-17")).source == "ADMIN"


def test_holidays_of_agencies_are_separate(agency):
    other = AgencyFactory()
    holidays_seed(agency=agency, year=2026)
    assert holidays_seed(agency=other, year=2026) == package_count(2026)


# --- schedules and the cached calendar ------------------------------------------------


def test_schedule_defaults_seed_is_idempotent(agency):
    first = schedule_defaults_seed(agency=agency, effective_from=D("2020-01-01"))
    again = schedule_defaults_seed(agency=agency, effective_from=D("2020-01-01"))
    assert first.pk == again.pk
    rows = WeeklyHours.objects.filter(version=first)
    assert rows.count() == 10
    for period, total in [(Period.NORMAL, 2250), (Period.RAMADAN, 1950)]:
        table = {
            r.weekday: rules.DayHours(r.start, r.end, r.break_minutes)
            for r in rows.filter(period=period)
        }
        assert rules.weekly_minutes(table) == total


def test_calendar_without_data_is_the_shipped_default(agency, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        calendar = calendar_for(agency=agency, day=D("2026-11-23"), zone=WITA)
    assert dict(calendar.weekly) == dict(rules.DEFAULT_WEEKLY)
    assert calendar.holidays == frozenset()
    assert calendar.window_start == dt.time(5, 0)


def test_calendar_loads_in_three_queries_then_comes_from_the_cache(
    agency, django_assert_num_queries
):
    schedule_defaults_seed(agency=agency, effective_from=D("2020-01-01"))
    holidays_seed(agency=agency, year=2026)
    RamadanPeriod.objects.create(agency=agency, start=D("2026-02-18"), end=D("2026-03-19"))
    calendar_changed(agency.pk)
    with django_assert_num_queries(3):
        cold = calendar_for(agency=agency, day=D("2026-11-23"), zone=WITA)
    with django_assert_num_queries(0):
        warm = calendar_for(agency=agency, day=D("2026-08-17"), zone="Asia/Jayapura")
    assert D("2026-08-17") in cold.holidays
    assert cold.ramadan_ranges == ((D("2026-02-18"), D("2026-03-19")),)
    assert warm.zone == "Asia/Jayapura"
    assert rules.day_schedule(D("2026-08-17"), warm).reason == "holiday"
    assert rules.day_schedule(D("2026-03-02"), warm).reason == "ramadan"


def test_calendar_changed_invalidates_the_cache(agency, django_assert_num_queries):
    holidays_seed(agency=agency, year=2026)
    day = D("2026-08-17")
    assert day in calendar_for(agency=agency, day=day, zone=WITA).holidays
    Holiday.objects.filter(agency=agency, date=day).update(active=False)
    with django_assert_num_queries(0):
        assert day in calendar_for(agency=agency, day=day, zone=WITA).holidays  # cached
    calendar_changed(agency.pk)
    with django_assert_num_queries(3):
        assert day not in calendar_for(agency=agency, day=day, zone=WITA).holidays


def test_calendar_uses_the_version_in_force(agency):
    schedule_defaults_seed(agency=agency, effective_from=D("2020-01-01"))
    later = ScheduleVersion.objects.create(
        agency=agency, effective_from=D("2026-07-01"), window_start=dt.time(6, 0)
    )
    WeeklyHours.objects.create(
        version=later, weekday=0, start=dt.time(8, 0), end=dt.time(16, 0), break_minutes=30
    )
    calendar_changed(agency.pk)
    before = calendar_for(agency=agency, day=D("2026-06-30"), zone=WITA)
    after = calendar_for(agency=agency, day=D("2026-07-06"), zone=WITA)
    assert before.weekly[0].start == dt.time(7, 30)
    assert before.window_start == dt.time(5, 0)
    assert after.weekly[0] == rules.DayHours(dt.time(8, 0), dt.time(16, 0), 30)
    assert 4 not in after.weekly  # this version works Mondays only
    assert after.window_start == dt.time(6, 0)
    assert dict(after.ramadan_weekly) == dict(rules.DEFAULT_RAMADAN_WEEKLY)  # no Ramadan rows


# --- employees' days ------------------------------------------------------------------


@pytest.fixture
def shifts(agency):
    return {
        "PAGI": Shift.objects.create(
            agency=agency, code="PAGI", name="Pagi", start=dt.time(7), end=dt.time(14)
        ),
        "MALAM": Shift.objects.create(
            agency=agency, code="MALAM", name="Malam", start=dt.time(21), end=dt.time(7)
        ),
    }


@pytest.fixture
def nurse(agency):
    ward = UnitFactory(agency=agency, shift_based=True)
    office = OfficeFactory(agency=agency, time_zone="Asia/Jayapura")
    office.units.add(ward)
    return EmployeeFactory(agency=agency, unit=ward)


def test_employee_day_schedule_for_a_night_shift(agency, shifts, nurse):
    holidays_seed(agency=agency, year=2026)
    ShiftAssignment.objects.create(employee=nurse, date=D("2026-08-17"), shift=shifts["MALAM"])
    schedule = employee_day_schedule(employee=nurse, day=D("2026-08-17"))
    assert schedule.working and schedule.reason == "shift"  # a holiday does not stop shifts
    assert schedule.shift_code == "MALAM"
    assert schedule.zone == "Asia/Jayapura"  # the office's zone, not the agency's
    assert schedule.start == dt.datetime(2026, 8, 17, 21, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert schedule.end == dt.datetime(2026, 8, 18, 7, tzinfo=ZoneInfo("Asia/Jayapura"))
    no_shift = employee_day_schedule(employee=nurse, day=D("2026-08-18"))
    assert (no_shift.working, no_shift.reason) == (False, "no_shift")


def test_employee_day_schedule_query_budget(agency, shifts, nurse, django_assert_num_queries):
    ShiftAssignment.objects.create(employee=nurse, date=D("2026-11-23"), shift=shifts["PAGI"])
    employee_day_schedule(employee=nurse, day=D("2026-11-23"), zone=WITA)  # warms the cache
    with django_assert_num_queries(1):  # the shift assignment
        schedule = employee_day_schedule(employee=nurse, day=D("2026-11-23"), zone=WITA)
    assert schedule.shift_code == "PAGI"


def test_employee_work_date_after_a_night_shift(agency, shifts, nurse):
    ShiftAssignment.objects.create(employee=nurse, date=D("2026-11-23"), shift=shifts["MALAM"])
    wit = ZoneInfo("Asia/Jayapura")
    at_two = dt.datetime(2026, 11, 24, 2, 0, tzinfo=wit)
    assert employee_work_date(employee=nurse, at=at_two) == D("2026-11-23")
    assert employee_work_date(employee=nurse, at=at_two.astimezone(dt.UTC)) == D("2026-11-23")
    at_one = dt.datetime(2026, 11, 24, 13, 0, tzinfo=wit)
    assert employee_work_date(employee=nurse, at=at_one) == D("2026-11-24")


def test_office_employee_schedule_uses_the_agency_zone_without_an_office(agency):
    holidays_seed(agency=agency, year=2026)
    clerk = EmployeeFactory(agency=agency)
    assert employee_day_schedule(employee=clerk, day=D("2026-08-17")).reason == "holiday"
    monday = employee_day_schedule(employee=clerk, day=D("2026-11-23"))
    assert monday.zone == agency.time_zone == WITA
    at = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC)  # 00:30 WITA on the 24th
    assert employee_work_date(employee=clerk, at=at) == D("2026-11-24")


# --- demo -------------------------------------------------------------------------------


def test_seed_worktime_demo_on_a_small_org(agency, django_assert_max_num_queries):
    ward = UnitFactory(agency=agency, shift_based=True)
    office_unit = UnitFactory(agency=agency)
    nurses = EmployeeFactory.create_batch(8, agency=agency, unit=ward)
    clerk = EmployeeFactory(agency=agency, unit=office_unit)
    today = D("2026-11-23")

    with django_assert_max_num_queries(60):
        result = seed_worktime_demo(agency=agency, year=2026, today=today, days_around=7)

    assert result.shifts == 3
    assert result.holidays == sum(package_count(y) for y in (2025, 2026, 2027))
    assert Shift.objects.get(agency=agency, code="MALAM").crosses_midnight
    assert set(RamadanPeriod.objects.values_list("start", "end")) == {
        (D("2026-02-18"), D("2026-03-19")),
        (D("2027-02-08"), D("2027-03-09")),
    }
    assert not ShiftAssignment.objects.filter(employee=clerk).exists()
    rows = ShiftAssignment.objects.filter(employee__in=nurses).select_related("shift")
    assert result.assignments == rows.count()
    per_nurse = Counter(row.employee_id for row in rows)
    assert set(per_nurse) == {n.pk for n in nurses}
    assert set(per_nurse.values()) <= {10, 11}  # 5 days in 7 over 15 days
    per_day: dict[dt.date, Counter] = {}
    for row in rows:
        per_day.setdefault(row.date, Counter())[row.shift.code] += 1
    assert sorted(per_day) == [today + dt.timedelta(days=n) for n in range(-7, 8)]
    for counts in per_day.values():
        assert counts["PAGI"] >= 2 and counts["SIANG"] >= 2 and counts["MALAM"] >= 1
    calendar = calendar_for(agency=agency, day=today, zone=WITA)
    assert calendar.weekly[4].end == dt.time(16, 30)
    again = seed_worktime_demo(agency=agency, year=2026, today=today, days_around=7)
    assert (again.holidays, again.assignments) == (0, 0)


def test_each_nurse_follows_the_rotation(agency):
    ward = UnitFactory(agency=agency, shift_based=True)
    nurse = EmployeeFactory(agency=agency, unit=ward)
    seed_worktime_demo(agency=agency, year=2026, today=D("2026-11-23"), days_around=10)
    codes = dict(ShiftAssignment.objects.filter(employee=nurse).values_list("date", "shift__code"))
    week = [codes.get(D("2026-11-13") + dt.timedelta(days=n)) for n in range(21)]
    pattern = "".join((code or "-")[0] for code in week)
    assert "PPSSM--" in pattern * 2
    assert pattern.count("M") == 3


# --- bad input ---------------------------------------------------------------------------


def test_weekly_hours_ending_before_they_start_are_refused(agency):
    version = ScheduleVersion.objects.create(agency=agency, effective_from=D("2026-01-01"))
    bad = WeeklyHours(version=version, weekday=0, start=dt.time(16), end=dt.time(7, 30))
    with pytest.raises(ValidationError) as info:
        bad.full_clean()
    assert "end after they start" in str(info.value.message_dict["end"])
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()
    assert not WeeklyHours.objects.exists()


def test_weekly_hours_with_a_too_long_break_or_bad_weekday_are_refused(agency):
    version = ScheduleVersion.objects.create(agency=agency, effective_from=D("2026-01-01"))
    long_break = WeeklyHours(
        version=version, weekday=0, start=dt.time(8), end=dt.time(9), break_minutes=60
    )
    with pytest.raises(ValidationError) as info:
        long_break.full_clean()
    assert "break" in str(info.value.message_dict["break_minutes"])
    sunday_plus = WeeklyHours(version=version, weekday=7, start=dt.time(8), end=dt.time(9))
    with pytest.raises(ValidationError):
        sunday_plus.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        sunday_plus.save()
    negative = WeeklyHours(
        version=version, weekday=1, start=dt.time(8), end=dt.time(9), break_minutes=-5
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        negative.save()


def test_overlapping_ramadan_periods_are_refused(agency):
    RamadanPeriod.objects.create(agency=agency, start=D("2026-02-18"), end=D("2026-03-19"))
    overlap = RamadanPeriod(agency=agency, start=D("2026-03-19"), end=D("2026-04-01"))
    with pytest.raises(ValidationError, match="overlaps"):
        overlap.full_clean()
    RamadanPeriod(agency=agency, start=D("2026-03-20"), end=D("2026-04-01")).full_clean()
    RamadanPeriod(agency=AgencyFactory(), start=D("2026-02-18"), end=D("2026-03-19")).full_clean()


def test_ramadan_period_ending_before_it_starts_is_refused(agency):
    backwards = RamadanPeriod(agency=agency, start=D("2026-03-19"), end=D("2026-02-18"))
    with pytest.raises(ValidationError):
        backwards.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        backwards.save()


def test_empty_shift_is_refused(agency):
    empty = Shift(agency=agency, code="X", name="X", start=dt.time(8), end=dt.time(8))
    with pytest.raises(ValidationError):
        empty.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        empty.save()
    night = Shift(agency=agency, code="M", name="M", start=dt.time(21), end=dt.time(7))
    night.full_clean()  # over midnight is fine
    night.break_minutes = 600
    with pytest.raises(ValidationError):
        night.full_clean()


def test_shift_assignment_checks(agency, shifts, nurse):
    clerk = EmployeeFactory(agency=agency)
    with pytest.raises(ValidationError, match="does not work in shifts"):
        ShiftAssignment(employee=clerk, date=D("2026-11-23"), shift=shifts["PAGI"]).full_clean()
    foreign = Shift.objects.create(
        agency=AgencyFactory(), code="PAGI", name="Pagi", start=dt.time(7), end=dt.time(14)
    )
    with pytest.raises(ValidationError, match="another agency"):
        ShiftAssignment(employee=nurse, date=D("2026-11-23"), shift=foreign).full_clean()
    ShiftAssignment.objects.create(employee=nurse, date=D("2026-11-23"), shift=shifts["PAGI"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftAssignment.objects.create(employee=nurse, date=D("2026-11-23"), shift=shifts["MALAM"])


def test_duplicate_holiday_is_refused(agency):
    Holiday.objects.create(agency=agency, date=D("2026-07-14"), name="Hari Jadi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Holiday.objects.create(agency=agency, date=D("2026-07-14"), name="Hari Jadi")


def test_seed_worktime_demo_scales_with_bulk_inserts(agency):
    """About 15 % of the demo's 2,000 employees work in shifts: 300 people x 71 days."""
    units = [UnitFactory(agency=agency, shift_based=True) for _ in range(6)]
    Employee.objects.bulk_create(
        Employee(agency=agency, nip=next_nip(), name=f"Perawat {n}", unit=units[n % 6])
        for n in range(300)
    )
    started = time.perf_counter()
    result = seed_worktime_demo(agency=agency, year=2026, today=D("2026-11-23"))
    assert time.perf_counter() - started < 10  # under a second on a laptop
    assert 300 * 71 * 5 // 7 - 300 <= result.assignments <= 300 * 71 * 5 // 7 + 300
