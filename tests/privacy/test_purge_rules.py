"""The pure retention rules: when a month's retention clock starts (its lock, HR's
reopenings), which months are due, and months as date ranges."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.privacy import rules

D = dt.date


@pytest.mark.parametrize(
    ("deadline", "reopenings", "today", "expected"),
    [
        # locked from the day after the deadline
        (D(2026, 7, 3), [], D(2026, 7, 3), None),
        (D(2026, 7, 3), [], D(2026, 7, 4), D(2026, 7, 4)),
        (D(2026, 7, 3), [], D(2026, 11, 24), D(2026, 7, 4)),
        # reopened and not closed again: not locked, the clock does not run
        (D(2026, 7, 3), [(D(2026, 8, 1), None)], D(2026, 11, 24), None),
        # closed again: the clock starts on the closing day
        (D(2026, 7, 3), [(D(2026, 8, 1), D(2026, 9, 1))], D(2026, 11, 24), D(2026, 9, 1)),
        # the latest closing counts; an open one among closed ones still stops the clock
        (
            D(2026, 7, 3),
            [(D(2026, 8, 1), D(2026, 8, 5)), (D(2026, 10, 1), D(2026, 10, 2))],
            D(2026, 11, 24),
            D(2026, 10, 2),
        ),
        (
            D(2026, 7, 3),
            [(D(2026, 8, 1), D(2026, 8, 5)), (D(2026, 10, 1), None)],
            D(2026, 11, 24),
            None,
        ),
        # reopened and closed before the deadline: the deadline decides
        (D(2026, 7, 3), [(D(2026, 6, 20), D(2026, 6, 25))], D(2026, 11, 24), D(2026, 7, 4)),
        # December's deadline falls in January of the next year
        (D(2026, 1, 6), [], D(2026, 1, 7), D(2026, 1, 7)),
        (D(2026, 1, 6), [], D(2026, 1, 6), None),
    ],
)
def test_month_lock_clock(deadline, reopenings, today, expected):
    assert rules.month_lock_clock(deadline, reopenings, today) == expected


@pytest.mark.parametrize(
    ("start", "days", "today", "due"),
    [
        (D(2026, 7, 4), 90, D(2026, 10, 1), False),  # 89 days after the lock
        (D(2026, 7, 4), 90, D(2026, 10, 2), True),  # locked exactly 90 days ago
        (D(2026, 7, 4), 90, D(2026, 10, 3), True),
        (None, 90, D(2030, 1, 1), False),  # not locked: never due
        (D(2024, 2, 1), 29, D(2024, 3, 1), True),  # leap year: 29 February counts
        (D(2024, 2, 1), 29, D(2024, 2, 29), False),
        (D(2025, 2, 1), 28, D(2025, 3, 1), True),
        (D(2025, 12, 5), 30, D(2026, 1, 4), True),  # over the new year
        (D(2025, 12, 5), 30, D(2026, 1, 3), False),
    ],
)
def test_retention_expired_edges(start, days, today, due):
    assert rules.retention_expired(start, days, today) is due


def test_due_months_keeps_only_expired_clocks():
    clocks = {
        (2026, 6): D(2026, 7, 4),  # due
        (2026, 7): D(2026, 8, 6),  # due exactly today (90 days)
        (2026, 8): D(2026, 9, 4),  # 81 days: not yet
        (2026, 5): None,  # reopened
    }
    assert rules.due_months(clocks, 90, D(2026, 11, 4)) == [(2026, 6), (2026, 7)]
    assert rules.due_months(clocks, 90, D(2026, 11, 3)) == [(2026, 6)]
    assert rules.due_months({}, 90, D(2026, 11, 3)) == []


@pytest.mark.parametrize(
    ("months", "ranges"),
    [
        ([], []),
        ([(2026, 6)], [(D(2026, 6, 1), D(2026, 6, 30))]),
        ([(2026, 7), (2026, 6)], [(D(2026, 6, 1), D(2026, 7, 31))]),
        (
            [(2026, 3), (2026, 6), (2026, 7)],
            [(D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 6, 1), D(2026, 7, 31))],
        ),
        ([(2025, 12), (2026, 1)], [(D(2025, 12, 1), D(2026, 1, 31))]),  # December -> January
        ([(2024, 2)], [(D(2024, 2, 1), D(2024, 2, 29))]),  # leap February
        ([(2025, 2)], [(D(2025, 2, 1), D(2025, 2, 28))]),
    ],
)
def test_month_ranges(months, ranges):
    assert rules.month_ranges(months) == ranges


def test_in_ranges():
    ranges = [(D(2026, 6, 1), D(2026, 7, 31))]
    assert rules.in_ranges(D(2026, 6, 1), ranges)
    assert rules.in_ranges(D(2026, 7, 31), ranges)
    assert not rules.in_ranges(D(2026, 8, 1), ranges)
    assert not rules.in_ranges(D(2026, 5, 31), ranges)


def test_month_lock_start_without_reopenings_is_the_day_after_the_deadline():
    assert rules.month_lock_start(D(2025, 12, 31)) == D(2026, 1, 1)


@pytest.mark.parametrize(
    ("created", "deleted", "held"),
    [
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), None, True),
        (dt.datetime(2026, 3, 2, tzinfo=dt.UTC), None, False),  # stored after the window
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 2, 1, tzinfo=dt.UTC), True),
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 31, tzinfo=dt.UTC), False),
    ],
)
def test_held_during(created, deleted, held):
    start = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    end = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert rules.held_during(created, deleted, start, end) is held
