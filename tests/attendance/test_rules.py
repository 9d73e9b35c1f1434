"""Attendance day rules (DOMAIN.md section 3), table-driven, no database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sigap.attendance.rules import (
    Code,
    DayInput,
    Flag,
    Place,
    band,
    clock_skew_seconds,
    day_status,
    evaluate_geofence,
    first_and_last,
    minutes_early,
    minutes_late,
    skew_refused,
)
from sigap.core.geo import Point, validate_polygon

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
DAY = dt.date(2026, 11, 23)  # a Monday


def at(h: int, m: int, s: int = 0, tz=WITA, day=DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=tz)


START, END = at(7, 30), at(16, 0)


def office_day(first_in=None, last_out=None, *, final=False, exception=None, flags=()):
    return DayInput(True, START, END, first_in, last_out, exception, final, frozenset(flags))


@pytest.mark.parametrize(
    ("checked_in", "late", "code"),
    [
        (at(6, 0), 0, Code.HADIR),
        (at(7, 30), 0, Code.HADIR),
        (at(7, 30, 59), 0, Code.HADIR),
        (at(7, 31, 0), 1, Code.TL1),
        (at(8, 0, 59), 30, Code.TL1),
        (at(8, 1, 0), 31, Code.TL2),
        (at(8, 30, 59), 60, Code.TL2),
        (at(8, 31, 0), 61, Code.TL3),
        (at(9, 0, 59), 90, Code.TL3),
        (at(9, 1, 0), 91, Code.TL4),
        (at(15, 0), 450, Code.TL4),
    ],
)
def test_lateness_bands_provisional(checked_in, late, code):
    result = day_status(office_day(checked_in))
    assert result.status == code
    assert result.late_minutes == late
    assert result.codes == (code,)


@pytest.mark.parametrize(
    ("checked_out", "early", "code"),
    [
        (at(16, 0), 0, Code.HADIR),
        (at(17, 30), 0, Code.HADIR),
        (at(15, 59, 1), 0, Code.HADIR),
        (at(15, 59, 0), 1, Code.PSW1),
        (at(15, 30, 0), 30, Code.PSW1),
        (at(15, 29, 59), 30, Code.PSW1),
        (at(15, 29, 0), 31, Code.PSW2),
        (at(15, 0, 0), 60, Code.PSW2),
        (at(14, 59, 0), 61, Code.PSW3),
        (at(14, 30, 0), 90, Code.PSW3),
        (at(14, 29, 0), 91, Code.PSW4),
    ],
)
def test_early_leave_bands(checked_out, early, code):
    result = day_status(office_day(at(7, 0), checked_out, final=True))
    assert result.status == code
    assert result.early_minutes == early


def test_late_and_early_gives_both_codes_with_tl_as_status():
    result = day_status(office_day(at(8, 5), at(15, 45), final=True))
    assert result.status == Code.TL2
    assert result.codes == ("TL2", "PSW1")
    assert (result.late_minutes, result.early_minutes) == (35, 15)


def test_before_any_check_in_the_day_is_belum():
    assert day_status(office_day()).status == Code.BELUM


def test_both_missing_after_the_day_is_tk():
    result = day_status(office_day(final=True))
    assert result.status == Code.TK
    assert {Flag.NO_CHECK_IN, Flag.NO_CHECK_OUT} <= set(result.flags)


def test_missing_check_out_is_psw4_once_the_day_is_over():
    assert day_status(office_day(at(7, 10))).status == Code.HADIR  # still provisional
    result = day_status(office_day(at(7, 10), final=True))
    assert result.status == Code.PSW4
    assert Flag.NO_CHECK_OUT in result.flags


def test_check_out_without_check_in_is_tl4():
    result = day_status(office_day(None, at(16, 5)))
    assert result.status == Code.TL4
    assert Flag.NO_CHECK_IN in result.flags


def test_missing_both_but_late_out_only_at_day_end():
    result = day_status(office_day(None, at(15, 0), final=True))
    assert result.codes == ("TL4", "PSW2")


def test_non_working_day_is_libur():
    result = day_status(DayInput(False, None, None))
    assert result.status == Code.LIBUR


def test_exception_wins_over_everything():
    result = day_status(office_day(final=True, exception="CT"))
    assert result.status == "CT"
    assert result.codes == ("CT",)


def test_ramadan_start_at_eight():
    start, end = at(8, 0), at(15, 0)
    day = DayInput(True, start, end, at(8, 0, 59), at(15, 0), final=True)
    assert day_status(day).status == Code.HADIR
    day = DayInput(True, start, end, at(8, 1), at(15, 0), final=True)
    assert day_status(day).status == Code.TL1


def test_night_shift_across_midnight():
    start = at(21, 0)
    end = at(7, 0, day=DAY + dt.timedelta(days=1))
    day = DayInput(
        True, start, end, at(21, 10), at(7, 5, day=DAY + dt.timedelta(days=1)), final=True
    )
    result = day_status(day)
    assert result.status == Code.TL1
    assert result.late_minutes == 10
    assert result.early_minutes == 0


@pytest.mark.parametrize("tz", [WIB, WITA, WIT])
def test_lateness_is_local_to_the_office_zone(tz):
    start = dt.datetime(2026, 11, 23, 7, 30, tzinfo=tz)
    checked_in = start + dt.timedelta(minutes=45)
    result = day_status(DayInput(True, start, start + dt.timedelta(hours=8.5), checked_in))
    assert result.status == Code.TL2
    # the same instant seen from another zone changes nothing
    assert minutes_late(checked_in.astimezone(dt.UTC), start) == 45


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (600, 4)],
)
def test_band(minutes, expected):
    assert band(minutes) == expected


def test_minutes_are_floored():
    assert minutes_late(at(7, 31, 59), START) == 1
    assert minutes_early(at(15, 58, 30), END) == 1


def test_first_in_and_last_out_count():
    events = [("out", at(12, 0)), ("in", at(7, 40)), ("in", at(7, 20)), ("out", at(16, 10))]
    assert first_and_last(events) == (at(7, 20), at(16, 10))
    assert first_and_last([]) == (None, None)


OFFICE = Place("office", "Kantor", Point(-2.68, 118.89), radius_m=100)


@pytest.mark.parametrize(
    ("lat", "inside"),
    [(-2.68, True), (-2.68089, True), (-2.68091, False), (-2.69, False)],
)
def test_circle_geofence_gives_no_benefit_of_the_doubt(lat, inside):
    result = evaluate_geofence(Point(lat, 118.89), OFFICE)
    assert result.inside is inside
    assert result.radius_m == 100


def test_geofence_distance_is_reported():
    result = evaluate_geofence(Point(-2.69, 118.89), OFFICE)
    assert result.distance_m == pytest.approx(1112, abs=2)


def test_polygon_geofence():
    ring = validate_polygon(
        [
            [-2.681, 118.889],
            [-2.681, 118.891],
            [-2.679, 118.891],
            [-2.679, 118.889],
            [-2.681, 118.889],
        ]
    )
    place = Place("office", "Kantor Bupati", Point(-2.68, 118.89), polygon=ring)
    assert evaluate_geofence(Point(-2.6801, 118.8901), place).inside
    outside = evaluate_geofence(Point(-2.678, 118.89), place)
    assert not outside.inside
    assert outside.distance_m == pytest.approx(111, abs=2)


@pytest.mark.parametrize(
    ("skew", "queued", "refused"),
    [
        (0, False, False),
        (300, False, False),
        (301, False, True),
        (-301, False, True),
        (3600, True, False),
        (-301, True, True),
    ],
)
def test_clock_skew(skew, queued, refused):
    assert skew_refused(skew, limit_seconds=300, queued=queued) is refused


def test_clock_skew_sign():
    assert clock_skew_seconds(at(7, 0), at(7, 5)) == 300
