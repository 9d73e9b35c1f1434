"""The pure health rules, table-driven (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from sigap.health import rules
from sigap.health.rules import ScreeningState as S

TODAY = dt.date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("symptoms", "temperature", "flagged"),
    [
        ([], None, False),
        ([], D("37.4"), False),
        ([], D("37.5"), True),  # at the threshold
        ([], D("39.0"), True),
        (["cough"], None, True),
        (["other"], D("36.5"), True),
    ],
)
def test_is_flagged(symptoms, temperature, flagged):
    assert (
        rules.is_flagged(symptoms=symptoms, temperature_c=temperature, threshold_c=D("37.5"))
        is flagged
    )


def test_a_higher_threshold_lets_a_slight_temperature_pass():
    assert not rules.is_flagged(symptoms=[], temperature_c=D("37.6"), threshold_c=D("38.0"))


@pytest.mark.parametrize(
    ("symptoms", "temperature", "notes", "fields"),
    [
        (["fever", "cough"], D("38.0"), "", set()),
        (["flu"], None, "", {"symptoms"}),
        ([], D("33.9"), "", {"temperature_c"}),
        ([], D("43.1"), "", {"temperature_c"}),
        ([], D("34.0"), "", set()),
        ([], D("43.0"), "", set()),
        ([], None, "x" * 501, {"notes"}),
        (["nope"], D("50"), "", {"symptoms", "temperature_c"}),
    ],
)
def test_declaration_problems(symptoms, temperature, notes, fields):
    problems = rules.declaration_problems(symptoms=symptoms, temperature_c=temperature, notes=notes)
    assert set(problems.fields) == fields
    assert bool(problems) is bool(fields)


def test_symptoms_are_kept_once_in_checklist_order():
    assert rules.normalised_symptoms(["other", "fever", "other"]) == ["fever", "other"]


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (TODAY, True),
        (TODAY - dt.timedelta(1), True),
        (TODAY - dt.timedelta(2), False),
        (TODAY + dt.timedelta(1), False),
    ],
)
def test_declarable_today_or_yesterday(day, allowed):
    assert rules.declarable(day, TODAY) is allowed


@pytest.mark.parametrize(
    ("last", "state", "due"),
    [
        (None, S.NEVER, None),
        (TODAY - dt.timedelta(days=5), S.OK, TODAY + dt.timedelta(days=9)),
        (TODAY - dt.timedelta(days=12), S.DUE_SOON, TODAY + dt.timedelta(days=2)),  # lead 2
        (TODAY - dt.timedelta(days=14), S.DUE_SOON, TODAY),  # due today: not yet overdue
        (TODAY - dt.timedelta(days=15), S.OVERDUE, TODAY - dt.timedelta(days=1)),
    ],
)
def test_screening_status(last, state, due):
    status = rules.screening_status(last_on=last, interval_days=14, lead_days=2, today=TODAY)
    assert (status.state, status.due_on, status.last_on) == (state, due, last)
    assert rules.needs_test(status) is (state in (S.OVERDUE, S.NEVER))


@pytest.mark.parametrize(
    ("last", "key"),
    [
        (None, "overdue:never"),
        (TODAY - dt.timedelta(days=5), None),
        (TODAY - dt.timedelta(days=13), "due_soon:2026-11-24"),
        (TODAY - dt.timedelta(days=20), "overdue:2026-11-17"),
    ],
)
def test_reminder_key(last, key):
    status = rules.screening_status(last_on=last, interval_days=14, lead_days=2, today=TODAY)
    assert rules.reminder_key(status) == key


def test_wfh_days_are_the_next_working_days_not_yet_past():
    week = [TODAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 4, 7, 8)]  # Mon-Fri, Mon, Tue
    # a flag on Monday: Tuesday, Wednesday, Thursday
    assert (
        rules.wfh_suggestion_days(event_day=TODAY, today=TODAY, working_days=week, count=3)
        == week[1:4]
    )
    # a positive test taken last Thursday, entered today: from today
    last_thursday = TODAY - dt.timedelta(days=4)
    assert (
        rules.wfh_suggestion_days(event_day=last_thursday, today=TODAY, working_days=week, count=2)
        == week[:2]
    )
    # over a weekend
    friday = TODAY + dt.timedelta(days=4)
    assert (
        rules.wfh_suggestion_days(event_day=friday, today=TODAY, working_days=week, count=2)
        == week[5:7]
    )
    assert rules.wfh_suggestion_days(event_day=TODAY, today=TODAY, working_days=week, count=0) == []


@pytest.mark.parametrize(
    ("unit", "employee", "expected"),
    [
        (3, 10, 30),  # the section's head
        (3, 30, 20),  # the section head's own notice goes up
        (4, 11, 20),  # a unit without a head: the one above
        (1, 10, None),  # the top without a head: nobody (HR)
    ],
)
def test_notice_recipient(unit, employee, expected):
    parent_of = {1: None, 2: 1, 3: 2, 4: 2}
    head_of = {2: 20, 3: 30}
    assert (
        rules.notice_recipient(
            unit_id=unit, employee_id=employee, parent_of=parent_of, head_of=head_of
        )
        == expected
    )
