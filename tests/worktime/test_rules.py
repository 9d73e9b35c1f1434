"""Working-time rules (DOMAIN.md section 1): pure, table-driven, no database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sigap.worktime.holidays import national_holidays
from sigap.worktime.rules import (
    DEFAULT_RAMADAN_WEEKLY,
    DEFAULT_WEEKLY,
    DayHours,
    Reason,
    ShiftSpec,
    WorkCalendar,
    day_schedule,
    default_calendar,
    is_office_working_day,
    is_ramadan,
    minutes_between,
    previous_working_day_or_same,
    weekly_minutes,
    work_date_for,
    working_days,
)

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
UTC = dt.UTC
RAMADAN_2026 = (dt.date(2026, 2, 18), dt.date(2026, 3, 19))
HOLIDAYS = national_holidays(2025) | national_holidays(2026) | national_holidays(2027)
CAL = default_calendar(WITA, holidays=HOLIDAYS, ramadan_ranges=(RAMADAN_2026,))
PLAIN = default_calendar(WITA, ramadan_ranges=(RAMADAN_2026,))  # Ramadan, no holidays
PAGI = ShiftSpec("PAGI", "Shift pagi", dt.time(7, 0), dt.time(14, 0))
SIANG = ShiftSpec("SIANG", "Shift siang", dt.time(14, 0), dt.time(21, 0))
MALAM = ShiftSpec("MALAM", "Shift malam", dt.time(21, 0), dt.time(7, 0), break_minutes=60)
D = dt.date.fromisoformat


def at(text: str, zone: str = WITA) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def hhmm(value: dt.datetime | None) -> str | None:
    return None if value is None else f"{value:%Y-%m-%d %H:%M}"


def hm(value: dt.datetime | None) -> str | None:
    return None if value is None else f"{value:%H:%M}"


# --- shipped defaults --------------------------------------------------------


def test_default_week_is_37_and_a_half_hours_and_ramadan_32_and_a_half():
    assert weekly_minutes(DEFAULT_WEEKLY) == 37 * 60 + 30
    assert weekly_minutes(DEFAULT_RAMADAN_WEEKLY) == 32 * 60 + 30
    assert sorted(DEFAULT_WEEKLY) == sorted(DEFAULT_RAMADAN_WEEKLY) == [0, 1, 2, 3, 4]
    assert all(h.minutes == 450 for h in DEFAULT_WEEKLY.values())
    assert all(h.minutes == 390 for h in DEFAULT_RAMADAN_WEEKLY.values())


def test_default_start_and_breaks_follow_perpres_21_2023():
    assert {h.start for h in DEFAULT_WEEKLY.values()} == {dt.time(7, 30)}
    assert [DEFAULT_WEEKLY[d].break_minutes for d in range(5)] == [60, 60, 60, 60, 90]
    assert {h.start for h in DEFAULT_RAMADAN_WEEKLY.values()} == {dt.time(8, 0)}
    assert [DEFAULT_RAMADAN_WEEKLY[d].break_minutes for d in range(5)] == [30, 30, 30, 30, 60]


# --- office days -------------------------------------------------------------

OFFICE_DAYS = [
    # (label, calendar, day, working, reason, start, end, planned)
    ("monday", CAL, "2026-11-23", True, "office", "07:30", "16:00", 450),
    ("friday", CAL, "2026-11-27", True, "office", "07:30", "16:30", 450),
    ("saturday", CAL, "2026-11-28", False, "weekend", None, None, 0),
    ("sunday", CAL, "2026-11-29", False, "weekend", None, None, 0),
    ("independence day (monday)", CAL, "2026-08-17", False, "holiday", None, None, 0),
    ("cuti bersama (friday)", CAL, "2026-05-15", False, "holiday", None, None, 0),
    ("cuti bersama natal", CAL, "2026-12-24", False, "holiday", None, None, 0),
    ("holiday on a saturday", CAL, "2026-03-21", False, "weekend", None, None, 0),
    ("holiday on a sunday", CAL, "2026-05-31", False, "weekend", None, None, 0),
    ("day before ramadan", PLAIN, "2026-02-17", True, "office", "07:30", "16:00", 450),
    ("first day of ramadan", PLAIN, "2026-02-18", True, "ramadan", "08:00", "15:00", 390),
    ("ramadan friday", PLAIN, "2026-02-20", True, "ramadan", "08:00", "15:30", 390),
    ("last day of ramadan", PLAIN, "2026-03-19", True, "ramadan", "08:00", "15:00", 390),
    ("day after ramadan", PLAIN, "2026-03-20", True, "office", "07:30", "16:30", 450),
    ("last day of ramadan is nyepi", CAL, "2026-03-19", False, "holiday", None, None, 0),
    ("ramadan saturday", PLAIN, "2026-02-21", False, "weekend", None, None, 0),
]


@pytest.mark.parametrize(
    ("label", "calendar", "day", "working", "reason", "start", "end", "planned"),
    OFFICE_DAYS,
    ids=[row[0] for row in OFFICE_DAYS],
)
def test_office_day_schedule(label, calendar, day, working, reason, start, end, planned):
    schedule = day_schedule(D(day), calendar)
    assert schedule.working is working
    assert schedule.reason == reason
    assert schedule.date == D(day)
    assert schedule.zone == WITA
    assert hm(schedule.start) == start
    assert hm(schedule.end) == end
    assert schedule.planned_minutes == planned
    assert schedule.shift_code is None
    if working:
        assert schedule.start.date() == schedule.end.date() == D(day)
        assert schedule.start.utcoffset() == dt.timedelta(hours=8)
        assert hhmm(schedule.window_start) == f"{day} 05:00"
        assert schedule.window_end == at(f"{day}T23:59:59.999999")
    else:
        assert schedule.window_start is None and schedule.window_end is None


def test_reason_is_a_plain_string():
    assert type(day_schedule(D("2026-11-23"), CAL).reason) is str
    assert Reason.HOLIDAY == "holiday"


def test_weekday_missing_from_the_table_is_a_day_off():
    six_days = dict(DEFAULT_WEEKLY) | {5: DayHours(dt.time(8, 0), dt.time(12, 0), 0)}
    calendar = WorkCalendar(WITA, six_days, DEFAULT_RAMADAN_WEEKLY, (RAMADAN_2026,), frozenset())
    assert day_schedule(D("2026-11-28"), calendar).planned_minutes == 240
    assert day_schedule(D("2026-11-29"), calendar).reason == "weekend"
    assert day_schedule(D("2026-02-21"), calendar).reason == "weekend"  # not in Ramadan table


def test_agency_window_is_used():
    calendar = WorkCalendar(
        WITA, DEFAULT_WEEKLY, DEFAULT_RAMADAN_WEEKLY, (), frozenset(), dt.time(6, 0), dt.time(20, 0)
    )
    schedule = day_schedule(D("2026-11-23"), calendar)
    assert hhmm(schedule.window_start) == "2026-11-23 06:00"
    assert schedule.window_end == at("2026-11-23T20:00:59.999999")


WINDOW_EDGES = [
    ("2026-11-23T04:59:59", False),
    ("2026-11-23T05:00:00", True),
    ("2026-11-23T07:31:00", True),
    ("2026-11-23T23:59:00", True),
    ("2026-11-23T23:59:59", True),
    ("2026-11-23T23:59:59.999999", True),
    ("2026-11-24T00:00:00", False),
]


@pytest.mark.parametrize(("local", "inside"), WINDOW_EDGES)
def test_office_window_boundaries(local, inside):
    schedule = day_schedule(D("2026-11-23"), CAL)
    assert schedule.in_window(at(local)) is inside
    assert (schedule.window_start <= at(local) <= schedule.window_end) is inside
    assert schedule.in_window(at(local).astimezone(UTC)) is inside  # any zone compares


def test_off_day_has_no_window():
    assert day_schedule(D("2026-11-28"), CAL).in_window(at("2026-11-28T09:00")) is False


@pytest.mark.parametrize(
    ("zone", "window_start_utc"),
    [
        (WIB, "2026-11-22T22:00"),
        ("Asia/Pontianak", "2026-11-22T22:00"),
        (WITA, "2026-11-22T21:00"),
        (WIT, "2026-11-22T20:00"),
    ],
)
def test_office_window_is_local_time_of_the_office_zone(zone, window_start_utc):
    calendar = default_calendar(zone)
    schedule = day_schedule(D("2026-11-23"), calendar)
    assert schedule.window_start == at(window_start_utc, "UTC")
    assert schedule.start.astimezone(ZoneInfo(zone)).time() == dt.time(7, 30)
    assert schedule.zone == zone


# --- shifts --------------------------------------------------------------------

SHIFT_DAYS = [
    # (label, day, shift, working, reason, start, end, window, planned)
    (
        "morning",
        "2026-11-23",
        PAGI,
        True,
        "shift",
        "2026-11-23 07:00",
        "2026-11-23 14:00",
        ("2026-11-23 05:00", "2026-11-23 18:00"),
        420,
    ),
    (
        "night over midnight",
        "2026-11-23",
        MALAM,
        True,
        "shift",
        "2026-11-23 21:00",
        "2026-11-24 07:00",
        ("2026-11-23 19:00", "2026-11-24 11:00"),
        540,
    ),
    (
        "shift on a holiday",
        "2026-08-17",
        PAGI,
        True,
        "shift",
        "2026-08-17 07:00",
        "2026-08-17 14:00",
        ("2026-08-17 05:00", "2026-08-17 18:00"),
        420,
    ),
    (
        "shift on a sunday",
        "2026-11-29",
        SIANG,
        True,
        "shift",
        "2026-11-29 14:00",
        "2026-11-29 21:00",
        ("2026-11-29 12:00", "2026-11-30 01:00"),
        420,
    ),
    ("no shift on a monday", "2026-11-23", None, False, "no_shift", None, None, (None, None), 0),
    ("no shift on a holiday", "2026-08-17", None, False, "no_shift", None, None, (None, None), 0),
]


@pytest.mark.parametrize(
    ("label", "day", "shift", "working", "reason", "start", "end", "window", "planned"),
    SHIFT_DAYS,
    ids=[row[0] for row in SHIFT_DAYS],
)
def test_shift_day_schedule(label, day, shift, working, reason, start, end, window, planned):
    schedule = day_schedule(D(day), CAL, shift_based=True, shift=shift)
    assert schedule.working is working
    assert schedule.reason == reason
    assert hhmm(schedule.start) == start
    assert hhmm(schedule.end) == end
    assert (hhmm(schedule.window_start), hhmm(schedule.window_end)) == window
    assert schedule.planned_minutes == planned
    assert schedule.shift_code == (shift.code if shift else None)
    assert schedule.break_minutes == (shift.break_minutes if shift else 0)


def test_office_employee_ignores_a_shift():
    schedule = day_schedule(D("2026-11-28"), CAL, shift=PAGI)
    assert schedule.reason == "weekend"


def test_shift_ending_at_its_start_time_lasts_24_hours():
    full_day = ShiftSpec("24J", "Jaga 24 jam", dt.time(8, 0), dt.time(8, 0), break_minutes=120)
    schedule = day_schedule(D("2026-11-23"), CAL, shift_based=True, shift=full_day)
    assert hhmm(schedule.end) == "2026-11-24 08:00"
    assert schedule.planned_minutes == 24 * 60 - 120


def test_custom_shift_windows():
    tight = ShiftSpec("X", "X", dt.time(7, 0), dt.time(15, 0), 0, 30, 60)
    schedule = day_schedule(D("2026-11-23"), CAL, shift_based=True, shift=tight)
    assert (hhmm(schedule.window_start), hhmm(schedule.window_end)) == (
        "2026-11-23 06:30",
        "2026-11-23 16:00",
    )


def test_night_shift_across_a_dst_change_counts_elapsed_minutes():
    """Indonesian zones have no DST; the arithmetic still works where there is."""
    europe = default_calendar("Europe/Amsterdam")
    night = ShiftSpec("N", "Night", dt.time(21, 0), dt.time(7, 0))
    spring = day_schedule(D("2026-03-28"), europe, shift_based=True, shift=night)
    autumn = day_schedule(D("2026-10-24"), europe, shift_based=True, shift=night)
    assert spring.planned_minutes == 9 * 60
    assert autumn.planned_minutes == 11 * 60
    assert spring.window_end == at("2026-03-29T11:00", "Europe/Amsterdam")
    assert minutes_between(spring.end, spring.window_end) == 240
    assert minutes_between(autumn.window_start, autumn.start) == 120


# --- work date -------------------------------------------------------------------

NIGHT_ROTA = {D("2026-11-23"): MALAM, D("2026-11-24"): None}
WORK_DATES = [
    # (label, at, shift_based, shifts, expected)
    ("night shift check-in", "2026-11-23T20:50", True, NIGHT_ROTA, "2026-11-23"),
    ("night shift 02:00 next day", "2026-11-24T02:00", True, NIGHT_ROTA, "2026-11-23"),
    ("night shift check-out 07:30", "2026-11-24T07:30", True, NIGHT_ROTA, "2026-11-23"),
    ("night window closes 11:00", "2026-11-24T11:00", True, NIGHT_ROTA, "2026-11-23"),
    ("after the night window", "2026-11-24T11:00:01", True, NIGHT_ROTA, "2026-11-24"),
    ("13:00 next day", "2026-11-24T13:00", True, NIGHT_ROTA, "2026-11-24"),
    ("no shift the day before", "2026-11-25T02:00", True, NIGHT_ROTA, "2026-11-25"),
    (
        "late check-out of an afternoon shift",
        "2026-11-24T00:30",
        True,
        {D("2026-11-23"): SIANG},
        "2026-11-23",
    ),
    (
        "morning shift the day before",
        "2026-11-24T02:00",
        True,
        {D("2026-11-23"): PAGI},
        "2026-11-24",
    ),
    ("office employee after midnight", "2026-11-24T02:00", False, NIGHT_ROTA, "2026-11-24"),
]


@pytest.mark.parametrize(
    ("label", "local", "shift_based", "shifts", "expected"),
    WORK_DATES,
    ids=[row[0] for row in WORK_DATES],
)
def test_work_date_for(label, local, shift_based, shifts, expected):
    assert work_date_for(at(local), CAL, shift_based=shift_based, shifts=shifts) == D(expected)
    in_utc = at(local).astimezone(UTC)
    assert work_date_for(in_utc, CAL, shift_based=shift_based, shifts=shifts) == D(expected)


SAME_INSTANT = [
    # the same UTC instant is a different local date on either side of midnight
    ("2026-11-23T16:30", WIB, "2026-11-23"),  # 23:30 WIB
    ("2026-11-23T16:30", "Asia/Pontianak", "2026-11-23"),
    ("2026-11-23T16:30", WITA, "2026-11-24"),  # 00:30 WITA
    ("2026-11-23T16:30", WIT, "2026-11-24"),  # 01:30 WIT
    ("2026-11-23T14:59:59", WIT, "2026-11-23"),  # 23:59:59 WIT
    ("2026-11-23T15:00", WIT, "2026-11-24"),
    ("2026-11-23T16:59:59", WIB, "2026-11-23"),
    ("2026-11-23T17:00", WIB, "2026-11-24"),
]


@pytest.mark.parametrize(("utc", "zone", "expected"), SAME_INSTANT)
def test_work_date_is_the_local_date_of_the_office_zone(utc, zone, expected):
    assert work_date_for(at(utc, "UTC"), default_calendar(zone)) == D(expected)


def test_same_instant_is_inside_one_zones_window_and_outside_anothers():
    instant = at("2026-11-23T21:30", "UTC")  # 04:30 WIB, 05:30 WITA, 06:30 WIT on the 24th
    for zone, inside in [(WIB, False), (WITA, True), (WIT, True)]:
        calendar = default_calendar(zone)
        schedule = day_schedule(work_date_for(instant, calendar), calendar)
        assert schedule.date == D("2026-11-24")
        assert schedule.in_window(instant) is inside, zone


def test_work_date_needs_an_aware_datetime():
    with pytest.raises(ValueError, match="aware"):
        work_date_for(dt.datetime(2026, 11, 23, 8, 0), CAL)


# --- ramadan and working days -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2026-02-17", False), ("2026-02-18", True), ("2026-03-19", True), ("2026-03-20", False)],
)
def test_is_ramadan_is_inclusive(day, expected):
    assert is_ramadan(D(day), CAL) is expected


def test_working_days_skip_weekends_and_holidays():
    assert working_days(D("2026-08-17"), D("2026-08-23"), CAL) == [
        D("2026-08-18"),
        D("2026-08-19"),
        D("2026-08-20"),
        D("2026-08-21"),
    ]
    august = working_days(D("2026-08-01"), D("2026-08-31"), CAL)
    assert len(august) == 19  # 21 weekdays minus 17 August and Maulid Nabi (25 August)
    assert working_days(D("2026-11-23"), D("2026-11-22"), CAL) == []


def test_legacy_helpers_still_work():
    holidays = national_holidays(2026)
    assert is_office_working_day(D("2026-11-23"), holidays)
    assert not is_office_working_day(D("2026-08-17"), holidays)
    assert previous_working_day_or_same(D("2026-11-29"), holidays) == D("2026-11-27")
    assert previous_working_day_or_same(D("2026-08-17"), holidays) == D("2026-08-14")
