"""Request rules (DOMAIN.md sections 3, 4 and 10), table-driven, no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sigap.attendance.requests.rules import (
    DEFAULT_UNIT_HEAD_TYPES,
    Decision,
    ExistingRequest,
    Issue,
    LeaveBalance,
    LeaveLimits,
    RequestContext,
    RequestStatus,
    RequestType,
    annual_leave_balance,
    approval_steps,
    clarification_deadline,
    ct_entitled_on,
    day_code_for,
    month_locked,
    months_after,
    months_touched,
    next_status,
    overlapping,
    period_end,
    validate_request,
    working_days,
    working_days_between,
)

D = dt.date
LIMITS = LeaveLimits()
TODAY = D(2026, 6, 15)  # a Monday
LONG_SERVICE = D(2010, 1, 4)
T = RequestType
S = RequestStatus
PANCASILA = D(2026, 6, 1)  # a Monday holiday


def balance(remaining_of: int | None = None, **kw: Any) -> LeaveBalance:
    """The 2026 balance of a long-serving employee; `remaining_of` sets what is left of 12."""
    args: dict[str, Any] = {
        "year": 2026,
        "start_of_service": LONG_SERVICE,
        "carried_over_days": 0,
        "cuti_bersama_days": 0,
        "taken_days": 0 if remaining_of is None else 12 - remaining_of,
        "limits": LIMITS,
    }
    return annual_leave_balance(**(args | kw))


def context(**kw: Any) -> RequestContext:
    args: dict[str, Any] = {"start_of_service": LONG_SERVICE, "balance": balance()}
    return RequestContext(**(args | kw))


def issues(kind: RequestType, start: dt.date, end: dt.date, **kw: Any) -> list[Issue]:
    today = kw.pop("today", TODAY)
    return validate_request(
        type=kind, start=start, end=end, today=today, ctx=context(**kw), limits=LIMITS
    )


def codes(kind: RequestType, start: dt.date, end: dt.date, **kw: Any) -> list[str]:
    return [issue.code for issue in issues(kind, start, end, **kw)]


def correction(day: dt.date, kind: str | None = "in", **kw: Any) -> list[Issue]:
    args: dict[str, Any] = {
        "correction_date": day,
        "correction_kind": kind,
        "correction_time": dt.time(7, 25),
    }
    start, end = kw.pop("start", day), kw.pop("end", day)
    return issues(T.KOREKSI, start or TODAY, end or TODAY, **(args | kw))


# --- types and codes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code"),
    [(kind, kind.value) for kind in RequestType if kind is not T.KOREKSI] + [(T.KOREKSI, None)],
)
def test_day_code_for_each_type(kind, code):
    assert day_code_for(kind) == code
    assert day_code_for(kind.value) == code


def test_types_and_statuses_are_the_api_codes():
    assert [t.value for t in RequestType] == [
        "CT", "CB", "CS", "CM", "CAP", "CLTN", "SAKIT", "IZIN", "DL", "TB", "KOREKSI"
    ]  # fmt: skip
    assert [s.value for s in RequestStatus] == ["submitted", "approved", "rejected", "cancelled"]


def test_default_limits_are_pp_11_2017():
    assert (LIMITS.annual_days, LIMITS.ct_carry_over_cap_total) == (12, 18)
    assert (LIMITS.cb_max_months, LIMITS.cb_min_service_years) == (3, 5)
    assert (LIMITS.cs_max_days, LIMITS.cm_max_months, LIMITS.cap_max_months) == (548, 3, 1)
    assert (LIMITS.cltn_max_years, LIMITS.sakit_max_days) == (3, 1)


# --- calendar ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "after", "end"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15), D(2026, 2, 14)),
        (D(2026, 1, 31), 1, D(2026, 3, 1), D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 3, 1), D(2028, 2, 29)),
        (D(2026, 3, 1), 3, D(2026, 6, 1), D(2026, 5, 31)),
        (D(2026, 11, 30), 3, D(2027, 3, 1), D(2027, 2, 28)),
        (D(2026, 12, 1), 1, D(2027, 1, 1), D(2026, 12, 31)),
        (D(2024, 2, 29), 12, D(2025, 3, 1), D(2025, 2, 28)),
        (D(2028, 2, 29), 36, D(2031, 3, 1), D(2031, 2, 28)),
    ],
)
def test_months_after_and_period_end(start, months, after, end):
    assert months_after(start, months) == after
    assert period_end(start, months=months) == end


@pytest.mark.parametrize(
    ("start", "end", "holidays", "expected"),
    [
        (
            D(2026, 5, 28),
            D(2026, 6, 2),
            {PANCASILA},
            [D(2026, 5, 28), D(2026, 5, 29), D(2026, 6, 2)],
        ),
        (
            D(2026, 5, 28),
            D(2026, 6, 2),
            set(),
            [D(2026, 5, 28), D(2026, 5, 29), D(2026, 6, 1), D(2026, 6, 2)],
        ),
        (D(2026, 5, 30), D(2026, 5, 31), set(), []),
        (D(2026, 6, 1), D(2026, 6, 1), {PANCASILA}, []),
        (D(2026, 6, 3), D(2026, 6, 2), set(), []),
    ],
)
def test_working_days_skip_weekends_and_holidays(start, end, holidays, expected):
    assert working_days(start, end, holidays=holidays) == expected
    assert working_days_between(start, end, holidays=holidays) == len(expected)


def test_working_days_with_another_weekend():
    friday_off = working_days_between(D(2026, 6, 1), D(2026, 6, 7), holidays=(), weekend=(4,))
    assert friday_off == 6


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 5, 29), D(2026, 6, 2), [(2026, 5), (2026, 6)]),
        (D(2025, 12, 30), D(2026, 2, 1), [(2025, 12), (2026, 1), (2026, 2)]),
        (D(2026, 6, 15), D(2026, 6, 15), [(2026, 6)]),
        (D(2026, 6, 15), D(2026, 6, 14), []),
    ],
)
def test_months_touched(start, end, expected):
    assert months_touched(start, end) == expected


# --- length limits -------------------------------------------------------------

GOOD_SICK_NOTE = {"has_attachment": True, "government_doctor_note": True}


@pytest.mark.parametrize(
    ("kind", "start", "end", "too_long"),
    [
        (T.CAP, D(2026, 1, 15), D(2026, 2, 14), False),
        (T.CAP, D(2026, 1, 15), D(2026, 2, 15), True),
        (T.CAP, D(2026, 1, 31), D(2026, 2, 28), False),
        (T.CAP, D(2026, 1, 31), D(2026, 3, 1), True),
        (T.CAP, D(2028, 1, 31), D(2028, 2, 29), False),
        (T.CM, D(2026, 3, 1), D(2026, 5, 31), False),
        (T.CM, D(2026, 3, 1), D(2026, 6, 1), True),
        (T.CM, D(2026, 11, 30), D(2027, 2, 28), False),
        (T.CM, D(2026, 11, 30), D(2027, 3, 1), True),
        (T.CB, D(2026, 3, 1), D(2026, 5, 31), False),
        (T.CB, D(2026, 3, 1), D(2026, 6, 1), True),
        (T.CLTN, D(2026, 3, 1), D(2029, 2, 28), False),
        (T.CLTN, D(2026, 3, 1), D(2029, 3, 1), True),
        (T.CLTN, D(2028, 2, 29), D(2031, 2, 28), False),
        (T.CLTN, D(2028, 2, 29), D(2031, 3, 1), True),
        (T.CS, D(2026, 3, 1), D(2026, 3, 1) + dt.timedelta(days=547), False),  # 548 days
        (T.CS, D(2026, 3, 1), D(2026, 3, 1) + dt.timedelta(days=548), True),  # 549 days
        (T.SAKIT, D(2026, 6, 12), D(2026, 6, 12), False),
        (T.SAKIT, D(2026, 6, 11), D(2026, 6, 12), True),
        (T.IZIN, D(2026, 1, 1), D(2027, 12, 31), False),
        (T.DL, D(2026, 1, 1), D(2027, 12, 31), False),
        (T.TB, D(2026, 1, 1), D(2030, 12, 31), False),
    ],
)
def test_length_limit_at_the_boundary(kind, start, end, too_long):
    found = codes(kind, start, end, reference="SPT 094/12/2026", **GOOD_SICK_NOTE)
    assert ("too_long" in found) is too_long
    assert [c for c in found if c != "too_long"] == []


@pytest.mark.parametrize(
    ("kind", "start", "end", "params"),
    [
        (
            T.CAP,
            D(2026, 1, 15),
            D(2026, 2, 15),
            {"max": 1, "unit": "months", "latest_end": "2026-02-14"},
        ),
        (
            T.CB,
            D(2026, 3, 1),
            D(2026, 6, 1),
            {"max": 3, "unit": "months", "latest_end": "2026-05-31"},
        ),
        (
            T.CLTN,
            D(2026, 3, 1),
            D(2029, 3, 1),
            {"max": 3, "unit": "years", "latest_end": "2029-02-28"},
        ),
        (
            T.CS,
            D(2026, 3, 1),
            D(2027, 9, 1),
            {"max": 548, "unit": "days", "latest_end": "2027-08-30"},
        ),
        (
            T.SAKIT,
            D(2026, 6, 11),
            D(2026, 6, 12),
            {"max": 1, "unit": "days", "latest_end": "2026-06-11"},
        ),
    ],
)
def test_too_long_tells_the_limit(kind, start, end, params):
    found = issues(kind, start, end, **GOOD_SICK_NOTE)
    assert Issue("too_long", "end", params) in found


@pytest.mark.parametrize("kind", [t for t in RequestType if t is not T.KOREKSI])
def test_end_before_start_is_the_only_issue(kind):
    assert issues(kind, D(2026, 6, 10), D(2026, 6, 9)) == [Issue("end_before_start", "end")]


# --- sick leave, sick day, duty ------------------------------------------------


@pytest.mark.parametrize(
    ("days", "attachment", "government", "expected"),
    [
        (1, False, False, []),
        (2, False, False, ["doctor_note_required"]),
        (2, True, False, []),
        (14, False, False, ["doctor_note_required"]),
        (14, True, False, []),
        (15, True, False, ["government_doctor_note_required"]),
        (15, False, True, ["government_doctor_note_required"]),
        (15, True, True, []),
        (548, True, True, []),
    ],
)
def test_sick_leave_notes(days, attachment, government, expected):
    start = D(2026, 3, 2)
    end = start + dt.timedelta(days=days - 1)
    found = codes(T.CS, start, end, has_attachment=attachment, government_doctor_note=government)
    assert found == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (TODAY - dt.timedelta(days=3), []),
        (TODAY, []),
        (TODAY + dt.timedelta(days=1), ["in_the_future"]),
    ],
)
def test_sakit_is_for_today_or_a_past_day(day, expected):
    assert codes(T.SAKIT, day, day) == expected


@pytest.mark.parametrize(
    ("reference", "expected"),
    [("", ["reference_required"]), ("   ", ["reference_required"]), ("094/SPT/2026", [])],
)
def test_dl_needs_a_letter_number(reference, expected):
    assert codes(T.DL, D(2026, 6, 22), D(2026, 6, 24), reference=reference) == expected


def test_izin_and_leave_may_be_requested_ahead():
    future = TODAY + dt.timedelta(days=30)
    assert codes(T.IZIN, future, future) == []
    assert codes(T.CAP, future, future) == []


# --- service -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_of_service", "day", "entitled"),
    [
        (D(2025, 3, 1), D(2026, 2, 28), False),
        (D(2025, 3, 1), D(2026, 3, 1), True),
        (D(2024, 2, 29), D(2025, 2, 28), False),
        (D(2024, 2, 29), D(2025, 3, 1), True),
        (None, D(2026, 3, 1), False),
    ],
)
def test_ct_entitled_after_one_full_year(start_of_service, day, entitled):
    assert ct_entitled_on(start_of_service, day) is entitled


@pytest.mark.parametrize(
    ("kind", "start_of_service", "start", "eligible_from"),
    [
        (T.CB, D(2021, 3, 1), D(2026, 2, 28), "2026-03-01"),
        (T.CB, D(2021, 3, 1), D(2026, 3, 1), None),
        (T.CB, None, D(2026, 3, 2), "unknown"),
        (T.CT, D(2025, 6, 15), D(2026, 6, 12), "2026-06-15"),
        (T.CT, D(2025, 6, 15), D(2026, 6, 15), None),
        (T.CT, None, D(2026, 6, 15), "unknown"),
    ],
)
def test_service_too_short(kind, start_of_service, start, eligible_from):
    found = issues(kind, start, start, start_of_service=start_of_service)
    years = 5 if kind is T.CB else 1
    if eligible_from is None:
        assert found == []
    else:
        expected = None if eligible_from == "unknown" else eligible_from
        params = {"min_years": years, "eligible_from": expected}
        assert found == [Issue("service_too_short", "start", params)]


# --- annual leave balance ------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        # first year of service: the anniversary falls next year
        ({"start_of_service": D(2026, 3, 1)}, (0, 0, 0, None)),
        ({"start_of_service": None}, (0, 0, 0, None)),
        # exactly one year in March: the full year's entitlement, usable from then
        ({"start_of_service": D(2025, 3, 1)}, (12, 0, 12, D(2026, 3, 1))),
        ({"start_of_service": D(2025, 12, 31)}, (12, 0, 12, D(2026, 12, 31))),
        ({"start_of_service": D(2026, 1, 1)}, (0, 0, 0, None)),
        ({}, (12, 0, 12, D(2026, 1, 1))),
        # carry-over: entitlement + carry-over never above 18
        ({"carried_over_days": 4}, (12, 4, 16, D(2026, 1, 1))),
        ({"carried_over_days": 6}, (12, 6, 18, D(2026, 1, 1))),
        ({"carried_over_days": 10}, (12, 6, 18, D(2026, 1, 1))),
        # cuti bersama, taken and pending days are deducted, never below 0
        ({"cuti_bersama_days": 3}, (12, 0, 9, D(2026, 1, 1))),
        ({"cuti_bersama_days": 3, "taken_days": 5, "pending_days": 2}, (12, 0, 2, D(2026, 1, 1))),
        (
            {"carried_over_days": 6, "cuti_bersama_days": 3, "taken_days": 20},
            (12, 6, 0, D(2026, 1, 1)),
        ),
        # a CB this year: no CT at all
        ({"long_leave_this_year": True, "carried_over_days": 6}, (0, 0, 0, None)),
    ],
)
def test_annual_leave_balance(kw, expected):
    result = balance(**kw)
    assert (
        result.entitlement,
        result.carried_over,
        result.remaining,
        result.entitled_from,
    ) == expected
    assert result.year == 2026


def test_balance_keeps_what_was_deducted():
    result = balance(cuti_bersama_days=2, taken_days=3, pending_days=1)
    assert result == LeaveBalance(2026, 12, 0, 2, 3, 1, 6, D(2026, 1, 1))


def test_carry_over_cap_is_an_agency_setting():
    limits = LeaveLimits(ct_carry_over_cap_total=24)
    assert balance(carried_over_days=20, limits=limits).carried_over == 12


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        balance(taken_days=-1)


# --- CT ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "remaining", "expected"),
    [
        # Thu 28 May - Tue 2 Jun: a weekend and Pancasila day -> 3 working days
        (D(2026, 5, 28), D(2026, 6, 2), 3, []),
        (
            D(2026, 5, 28),
            D(2026, 6, 2),
            2,
            [Issue("balance_exceeded", "end", {"requested": 3, "remaining": 2})],
        ),
        (D(2026, 5, 29), D(2026, 6, 1), 1, []),  # Friday + weekend + holiday = 1 day
        (D(2026, 5, 30), D(2026, 5, 31), 12, [Issue("ct_min_one_day", "start")]),
        (D(2026, 6, 1), D(2026, 6, 1), 12, [Issue("ct_min_one_day", "start")]),
        (
            D(2026, 6, 2),
            D(2026, 6, 2),
            0,
            [Issue("balance_exceeded", "end", {"requested": 1, "remaining": 0})],
        ),
    ],
)
def test_ct_counts_working_days_against_the_balance(start, end, remaining, expected):
    found = issues(T.CT, start, end, holidays={PANCASILA}, balance=balance(remaining_of=remaining))
    assert found == expected


def test_ct_stays_in_one_year():
    found = codes(T.CT, D(2026, 12, 30), D(2027, 1, 4), balance=balance(remaining_of=12))
    assert found == ["spans_years"]


def test_ct_needs_a_balance():
    with pytest.raises(ValueError):
        issues(T.CT, D(2026, 6, 2), D(2026, 6, 2), balance=None)


def test_ct_in_a_long_leave_year_exceeds_the_balance():
    found = issues(T.CT, D(2026, 6, 2), D(2026, 6, 2), balance=balance(long_leave_this_year=True))
    assert found == [Issue("balance_exceeded", "end", {"requested": 1, "remaining": 0})]


# --- overlap -------------------------------------------------------------------

EXISTING = [(1, D(2026, 6, 10), D(2026, 6, 12))]


@pytest.mark.parametrize(
    ("start", "end", "ids"),
    [
        (D(2026, 6, 12), D(2026, 6, 14), [1]),  # touching the last day
        (D(2026, 6, 8), D(2026, 6, 10), [1]),  # touching the first day
        (D(2026, 6, 11), D(2026, 6, 11), [1]),  # inside
        (D(2026, 6, 1), D(2026, 6, 30), [1]),  # around
        (D(2026, 6, 13), D(2026, 6, 15), []),  # adjacent after
        (D(2026, 6, 5), D(2026, 6, 9), []),  # adjacent before
    ],
)
def test_overlapping_is_inclusive(start, end, ids):
    assert overlapping(start, end, EXISTING) == ids


def test_overlapping_lists_every_id():
    existing = [
        (1, D(2026, 6, 1), D(2026, 6, 3)),
        (2, D(2026, 6, 5), D(2026, 6, 5)),
        (3, D(2026, 7, 1), D(2026, 7, 1)),
    ]
    assert overlapping(D(2026, 6, 3), D(2026, 6, 5), existing) == [1, 2]


@pytest.mark.parametrize(
    ("status", "kind", "expected"),
    [
        (S.SUBMITTED, T.CT, [Issue("overlaps", "start", {"ids": [7]})]),
        (S.APPROVED, T.DL, [Issue("overlaps", "start", {"ids": [7]})]),
        (S.REJECTED, T.CT, []),
        (S.CANCELLED, T.CT, []),
        (S.APPROVED, T.KOREKSI, []),  # a correction of that day does not block leave
    ],
)
def test_overlap_with_live_requests_only(status, kind, expected):
    other = ExistingRequest(7, kind, D(2026, 6, 22), D(2026, 6, 22), status, "in")
    assert issues(T.IZIN, D(2026, 6, 22), D(2026, 6, 23), existing=[other]) == expected


# --- corrections ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_back", "expected"),
    [
        (-1, [Issue("in_the_future", "date")]),
        (0, []),
        (1, []),
        (31, []),
        (32, [Issue("correction_too_old", "date", {"max_days": 31})]),
    ],
)
def test_correction_window(days_back, expected):
    assert correction(TODAY - dt.timedelta(days=days_back)) == expected


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"correction_date": None}, ["date"]),
        ({"correction_kind": None}, ["kind"]),
        ({"correction_kind": ""}, ["kind"]),
        ({"correction_time": None}, ["time"]),
        ({"correction_date": None, "correction_time": None}, ["date", "time"]),
    ],
)
def test_correction_fields_required(fields, missing):
    found = correction(TODAY - dt.timedelta(days=1), start=TODAY, end=TODAY, **fields)
    assert found == [
        Issue("correction_fields_required", name, {"missing": missing}) for name in missing
    ]


def test_correction_kind_must_be_in_or_out():
    found = correction(TODAY, kind="lunch")
    assert found == [Issue("correction_kind_invalid", "kind", {"allowed": ["in", "out"]})]


def test_correction_range_is_its_day():
    day = TODAY - dt.timedelta(days=2)
    found = correction(day, start=day, end=TODAY)
    assert found == [Issue("correction_date_mismatch", "date", {"date": day.isoformat()})]


def existing(
    id_: int,
    kind: RequestType,
    start: dt.date,
    end: dt.date,
    status=S.APPROVED,
    correction_kind=None,
):
    return ExistingRequest(id_, kind, start, end, status, correction_kind)


DAY = D(2026, 6, 10)


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        (
            [existing(4, T.CT, D(2026, 6, 8), D(2026, 6, 12))],
            [Issue("day_has_leave", "date", {"ids": [4]})],
        ),
        ([existing(4, T.DL, DAY, DAY)], [Issue("day_has_leave", "date", {"ids": [4]})]),
        ([existing(4, T.CT, D(2026, 6, 8), D(2026, 6, 12), S.SUBMITTED)], []),
        ([existing(4, T.CT, D(2026, 6, 8), D(2026, 6, 12), S.CANCELLED)], []),
        ([existing(4, T.CT, D(2026, 6, 11), D(2026, 6, 12))], []),  # leave of other days
        (
            [existing(5, T.KOREKSI, DAY, DAY, S.SUBMITTED, "in")],
            [Issue("overlaps", "date", {"ids": [5]})],
        ),
        (
            [existing(5, T.KOREKSI, DAY, DAY, S.APPROVED, "in")],
            [Issue("overlaps", "date", {"ids": [5]})],
        ),
        ([existing(5, T.KOREKSI, DAY, DAY, S.REJECTED, "in")], []),
        ([existing(5, T.KOREKSI, DAY, DAY, S.SUBMITTED, "out")], []),  # the other kind
    ],
)
def test_correction_conflicts(others, expected):
    assert correction(DAY, existing=others) == expected


# --- locked months -------------------------------------------------------------


def test_request_touching_a_locked_month():
    found = issues(T.IZIN, D(2026, 5, 29), D(2026, 6, 2), locked_months={(2026, 5)})
    assert found == [Issue("month_locked", "start", {"months": ["2026-05"]})]


def test_correction_in_a_locked_month():
    found = correction(D(2026, 5, 29), locked_months={(2026, 5)})
    assert found == [Issue("month_locked", "start", {"months": ["2026-05"]})]


def test_open_months_are_not_reported():
    assert issues(T.IZIN, D(2026, 6, 1), D(2026, 6, 2), locked_months={(2026, 5)}) == []


# --- approval ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "types", "has_supervisor", "supervisor_is_head", "steps"),
    [
        (T.CT, DEFAULT_UNIT_HEAD_TYPES, True, False, ("supervisor",)),
        (T.KOREKSI, DEFAULT_UNIT_HEAD_TYPES, True, False, ("supervisor",)),
        (T.DL, DEFAULT_UNIT_HEAD_TYPES, True, False, ("supervisor",)),
        (T.CB, DEFAULT_UNIT_HEAD_TYPES, True, False, ("supervisor", "unit_head")),
        (T.CLTN, DEFAULT_UNIT_HEAD_TYPES, True, False, ("supervisor", "unit_head")),
        (T.CB, DEFAULT_UNIT_HEAD_TYPES, True, True, ("supervisor",)),
        (T.CT, DEFAULT_UNIT_HEAD_TYPES, False, False, ("unit_head",)),
        (T.CB, DEFAULT_UNIT_HEAD_TYPES, False, False, ("unit_head",)),
        (T.DL, {"DL", "CT"}, True, False, ("supervisor", "unit_head")),
        (T.CB, set(), True, False, ("supervisor",)),
    ],
)
def test_approval_steps(kind, types, has_supervisor, supervisor_is_head, steps):
    found = approval_steps(
        type=kind,
        unit_head_types=types,
        has_supervisor=has_supervisor,
        supervisor_is_unit_head=supervisor_is_head,
    )
    assert found == steps


def test_default_unit_head_types():
    assert {t.value for t in DEFAULT_UNIT_HEAD_TYPES} == {"CB", "CS", "CM", "CAP", "CLTN", "TB"}


@pytest.mark.parametrize(
    ("done", "total", "decision", "status"),
    [
        (0, 1, Decision.APPROVED, S.APPROVED),
        (0, 2, Decision.APPROVED, S.SUBMITTED),
        (1, 2, "approved", S.APPROVED),
        (0, 2, Decision.REJECTED, S.REJECTED),
        (1, 2, "rejected", S.REJECTED),
    ],
)
def test_next_status(done, total, decision, status):
    assert next_status(done, total, decision) is status


@pytest.mark.parametrize(
    ("done", "total", "decision"),
    [(2, 2, "approved"), (0, 0, "approved"), (-1, 1, "approved"), (0, 1, "maybe")],
)
def test_next_status_refuses_nonsense(done, total, decision):
    with pytest.raises(ValueError):
        next_status(done, total, decision)


# --- month close ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "holidays", "nth", "deadline"),
    [
        (2026, 7, set(), 3, D(2026, 8, 5)),  # 1 Aug 2026 is a Saturday
        (2026, 2, set(), 3, D(2026, 3, 4)),  # 1 Mar 2026 is a Sunday
        (2026, 4, set(), 3, D(2026, 5, 5)),
        (2026, 4, {D(2026, 5, 1)}, 3, D(2026, 5, 6)),  # Labour Day, a Friday
        (2025, 12, {D(2026, 1, 1)}, 3, D(2026, 1, 6)),  # December -> January
        (2025, 12, {D(2026, 1, 1), D(2026, 1, 2)}, 3, D(2026, 1, 7)),
        (2026, 7, set(), 1, D(2026, 8, 3)),
        (2026, 7, set(), 5, D(2026, 8, 7)),
    ],
)
def test_clarification_deadline(year, month, holidays, nth, deadline):
    assert clarification_deadline(year, month, holidays=holidays, nth_working_day=nth) == deadline


def test_clarification_deadline_needs_a_positive_day():
    with pytest.raises(ValueError):
        clarification_deadline(2026, 7, holidays=(), nth_working_day=0)


@pytest.mark.parametrize(
    ("year", "month", "holidays", "today", "reopened", "locked"),
    [
        (2026, 7, set(), D(2026, 7, 31), False, False),
        (2026, 7, set(), D(2026, 8, 4), False, False),
        (2026, 7, set(), D(2026, 8, 5), False, False),  # the deadline day itself
        (2026, 7, set(), D(2026, 8, 6), False, True),
        (2026, 7, set(), D(2026, 8, 6), True, False),
        (2025, 12, {D(2026, 1, 1)}, D(2026, 1, 6), False, False),
        (2025, 12, {D(2026, 1, 1)}, D(2026, 1, 7), False, True),
    ],
)
def test_month_locked(year, month, holidays, today, reopened, locked):
    assert month_locked(year, month, today=today, holidays=holidays, reopened=reopened) is locked
