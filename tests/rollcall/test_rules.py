"""Roll-call rules, table-driven and without a database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sigap.core.geo import Point
from sigap.rollcall import rules
from sigap.rollcall.rules import Place, Recurrence

WITA = ZoneInfo("Asia/Makassar")
MONDAYS = Recurrence(1, "weekly", weekday=0)
SEVENTEENTH = Recurrence(2, "monthly", day=17)
KORPRI = Recurrence(3, "yearly", day=29, month=11)
KORPRI_ALWAYS = Recurrence(4, "yearly", day=29, month=11, on_holidays=True)
ALL = [MONDAYS, SEVENTEENTH, KORPRI]


@pytest.mark.parametrize(
    ("date", "working", "series", "expected"),
    [
        (dt.date(2026, 11, 23), True, ALL, MONDAYS),  # a Monday
        (dt.date(2026, 11, 24), True, ALL, None),  # a Tuesday
        (dt.date(2026, 11, 17), True, ALL, SEVENTEENTH),  # the 17th, a Tuesday
        (dt.date(2026, 8, 17), False, ALL, None),  # the 17th on a holiday Monday: none
        (dt.date(2026, 5, 25), False, ALL, None),  # a holiday Monday: none (ad hoc only)
        (dt.date(2027, 11, 29), True, ALL, KORPRI),  # 29 Nov 2027 is a Monday: yearly wins
        (dt.date(2026, 11, 29), False, ALL, None),  # 29 Nov 2026 is a Sunday
        (dt.date(2026, 11, 29), False, [KORPRI_ALWAYS], KORPRI_ALWAYS),
        (dt.date(2027, 5, 17), True, ALL, SEVENTEENTH),  # Monday the 17th: monthly wins
        (dt.date(2026, 11, 23), True, [], None),
        (dt.date(2026, 11, 23), True, [SEVENTEENTH], None),
    ],
)
def test_series_due(date, working, series, expected):
    assert rules.series_due(series, date, working_day=working) == expected


@pytest.mark.parametrize(
    ("code", "virtual", "reason"),
    [
        ("DL", False, "DL"),
        ("CT", False, "leave"),
        ("CB", False, "leave"),
        ("CM", False, "leave"),
        ("CAP", False, "leave"),
        ("CBER", False, "leave"),
        ("CLTN", False, "leave"),
        ("CS", False, "sick"),
        ("SAKIT", False, "sick"),
        ("IZIN", False, "permission"),
        ("TK", False, "TK"),
        ("BELUM", False, "not_yet"),
        (None, False, "not_yet"),
        ("HADIR", False, "TK"),  # at work, missed the roll call
        ("TL2", False, "TK"),
        ("PSW1", False, "TK"),
        ("HADIR", True, "not_yet"),  # virtual: waiting for the unit head's mark
        ("TK", True, "TK"),
        ("DL", True, "DL"),
    ],
)
def test_absence_reason(code, virtual, reason):
    assert rules.absence_reason(code, virtual=virtual) == reason


@pytest.mark.parametrize(
    ("code", "working", "expected"),
    [
        ("HADIR", True, True),
        ("CT", True, True),
        (None, True, True),
        ("LIBUR", True, False),
        ("TB", True, False),
        ("HADIR", False, False),
    ],
)
def test_is_expected(code, working, expected):
    assert rules.is_expected(code, working_day=working) is expected


@pytest.mark.parametrize(
    ("present", "expected", "rate"),
    [(0, 0, 0.0), (3, 4, 0.75), (4, 4, 1.0), (1, 3, 0.3333), (5, 4, 1.0)],
)
def test_rate(present, expected, rate):
    assert rules.rate(present, expected) == rate


GOOD = {"DL": 1, "leave": 1, "sick": 0, "permission": 0, "TK": 1, "not_yet": 0}


@pytest.mark.parametrize(
    ("present", "absent", "field"),
    [
        (7, GOOD, None),
        (6, GOOD, "absent_by_reason"),  # does not add up to 10
        (-1, {**GOOD, "TK": 9}, "present"),
        (7, {**GOOD, "TK": -1, "leave": 3}, "absent_by_reason"),
        (7, {k: v for k, v in GOOD.items() if k != "TK"}, "absent_by_reason"),
        (7, {**GOOD, "extra": 0}, "absent_by_reason"),
        (7, {**GOOD, "TK": 1.5}, "absent_by_reason"),
    ],
)
def test_numbers_problems(present, absent, field):
    problems = rules.numbers_problems(expected=10, present=present, absent=absent)
    assert (field in problems) if field else problems == {}


START = dt.datetime(2026, 11, 23, 7, 30, tzinfo=WITA)
CUTOFF = dt.datetime(2026, 11, 23, 8, 0, tzinfo=WITA)


@pytest.mark.parametrize(
    ("minute_offset", "inside", "accepted", "counts"),
    [
        (-60, True, True, True),  # the window opens an hour before the start
        (-61, True, True, False),
        (-20, True, True, True),
        (0, True, True, True),
        (30, True, True, True),  # at the cut-off, inclusive
        (31, True, True, False),
        (-20, False, True, False),  # outside the place
        (-20, True, False, False),  # rejected by the supervisor
    ],
)
def test_check_in_counts(minute_offset, inside, accepted, counts):
    when = START + dt.timedelta(minutes=minute_offset)
    assert (
        rules.check_in_counts(at=when, start=START, cutoff=CUTOFF, inside=inside, accepted=accepted)
        is counts
    )


SQUARE = (
    (-2.6800, 118.8900),
    (-2.6800, 118.8910),
    (-2.6810, 118.8910),
    (-2.6810, 118.8900),
    (-2.6800, 118.8900),
)


@pytest.mark.parametrize(
    ("point", "place", "inside"),
    [
        (Point(-2.68, 118.89), Place(-2.68, 118.89, 50), True),
        (Point(-2.6804, 118.89), Place(-2.68, 118.89, 50), True),  # ~44 m
        (Point(-2.6806, 118.89), Place(-2.68, 118.89, 50), False),  # ~67 m
        (Point(-2.68, 118.89), Place(-2.68, 118.89, None), False),  # no radius: closed
        (Point(-2.6805, 118.8905), Place(-2.68, 118.89, None, SQUARE), True),
        (Point(-2.6820, 118.8905), Place(-2.68, 118.89, 500, SQUARE), False),  # polygon wins
        (Point(-2.68, 118.89), Place(-2.68, 118.89, 50, ((0, 0), (1, 1))), False),  # bad ring
    ],
)
def test_inside_place(point, place, inside):
    assert rules.inside_place(point, place) is inside


def test_tally_counts_every_reason():
    assert rules.tally(["TK", "TK", "DL"]) == {**rules.empty_reasons(), "TK": 2, "DL": 1}
