"""Work-arrangement rules (DOMAIN.md section 2): pure, table-driven, no database."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from sigap.arrangements.rules import (
    DEFAULT_WEEKLY_FLEXIBLE_CAP,
    LEVEL_SHARES,
    EntryReason,
    Mode,
    Person,
    RotationInput,
    RotationResult,
    UnitClass,
    flexible_eligibility,
    generate_rotation,
    iso_week,
    roster_violations,
    rotation_figures,
    validate_policy_shares,
    wfo_cap,
    wfo_share_for,
)

D = date.fromisoformat
MONDAY = D("2025-03-03")
WFO, WFH, WFA, DL, OFF = Mode.WFO, Mode.WFH, Mode.WFA, Mode.DL, Mode.OFF


def working_days(start: date = MONDAY, weeks: int = 1, skip: frozenset[date] = frozenset()):
    """Monday-Friday days of `weeks` weeks from `start`, without `skip` (holidays)."""
    days = (start + timedelta(i) for i in range(weeks * 7))
    return tuple(d for d in days if d.weekday() < 5 and d not in skip)


def rotation(people, days, *, share=100, headcount=None, **kwargs) -> RotationInput:
    people = tuple(people)
    count = len(people) if headcount is None else headcount
    return RotationInput(
        unit_id=7, days=days, people=people, share_percent=share, headcount=count, **kwargs
    )


def staff(n: int, **kwargs) -> list[Person]:
    return [Person(id=i, **kwargs) for i in range(1, n + 1)]


def office_by_day(data: RotationInput, result: RotationResult) -> Counter[date]:
    ids = {p.id for p in data.people}
    office = Counter(d for (pid, d), m in data.fixed.items() if m == WFO and pid in ids)
    office.update(a.day for a in result.assignments if a.mode == WFO)
    return office


def cell(result: RotationResult, person_id: int, day: date):
    return next(a for a in result.assignments if a.person_id == person_id and a.day == day)


# --- an independent checker of every rule of `generate_rotation` ---------------------------


def check_roster(data: RotationInput, result: RotationResult) -> set[tuple[date, str]]:
    """Assert the hard rules; return the (day, code) problems the input must produce."""
    cap = wfo_cap(headcount=data.headcount, share_percent=data.share_percent)
    days = sorted(set(data.days))
    people = {p.id: p for p in data.people}
    fixed = {k: m for k, m in data.fixed.items() if k[0] in people and k[1] in set(days)}
    cells = {(a.person_id, a.day): a for a in result.assignments}
    assert len(cells) == len(result.assignments)
    assert cells.keys() == {(pid, d) for pid in people for d in days} - fixed.keys()
    for a in cells.values():
        expected_mode = {
            EntryReason.DEFAULT: WFO,
            EntryReason.POLICY: WFH,
            EntryReason.FLEXIBLE: people[a.person_id].flexible_mode,
        }[a.reason]
        assert a.mode == expected_mode
    bound = (
        set() if data.release_public_service else {i for i, p in people.items() if p.public_service}
    )
    office = office_by_day(data, result)
    expected: set[tuple[date, str]] = set()
    for day in days:
        seats = data.seats.get(day)
        seats = None if seats is None else max(seats, 0)
        limit = cap if seats is None else min(cap, seats)
        fixed_office = sum(1 for (_, d), m in fixed.items() if d == day and m == WFO)
        needed = fixed_office + sum(1 for pid in bound if (pid, day) in cells)
        assert office[day] <= max(limit, fixed_office)  # the generator itself never overfills
        if needed <= limit:
            assert all(cells[pid, day].mode == WFO for pid in bound if (pid, day) in cells)
        if any(a.reason == EntryReason.POLICY for (_, d), a in cells.items() if d == day):
            assert office[day] >= limit  # nobody is sent home while there is room
        for name, value in (("quota", cap), ("seats", seats)):
            if value is not None and fixed_office > value:
                expected.add((day, f"fixed_exceeds_{name}"))
            if value is not None and needed > value and needed > fixed_office:
                expected.add((day, f"public_service_exceeds_{name}"))
    check_flexible(data, cells, fixed, bound)
    assert fairness_spread(data, cells, fixed, bound) <= 1
    return expected


def check_flexible(data, cells, fixed, bound) -> None:
    weeks: dict[tuple[int, int], list[date]] = {}
    for day in sorted(set(data.days)):
        weeks.setdefault(iso_week(day), []).append(day)
    for p in data.people:
        allowance = min(p.flexible_days_per_week, data.weekly_flexible_cap)
        for week, week_days in weeks.items():
            flexible = {
                d
                for d in week_days
                if cells.get((p.id, d), None) is not None
                and cells[p.id, d].reason == EntryReason.FLEXIBLE
            }
            if p.id in bound or allowance <= 0:
                assert not flexible
                continue
            used = data.flexible_used.get((p.id, week), 0)
            used += sum(1 for d in week_days if fixed.get((p.id, d)) in (WFH, WFA))
            free = [d for d in week_days if (p.id, d) not in fixed]
            assert len(flexible) == max(0, min(allowance - used, len(free)))
            if any(d.weekday() not in p.preferred_weekdays for d in flexible):
                assert all(d in flexible for d in free if d.weekday() in p.preferred_weekdays)


def fairness_spread(data, cells, fixed, bound) -> int:
    """Largest WFO-day difference among comparable employees (same candidate days and
    same number of fixed WFO days), computed from scratch."""
    groups: dict[tuple, list[int]] = {}
    for p in data.people:
        if p.id in bound:
            continue
        mine = [a for (pid, _), a in cells.items() if pid == p.id]
        candidates = tuple(sorted(a.day for a in mine if a.reason != EntryReason.FLEXIBLE))
        fixed_office = sum(1 for (pid, _), m in fixed.items() if pid == p.id and m == WFO)
        total = fixed_office + sum(1 for a in mine if a.mode == WFO)
        groups.setdefault((candidates, fixed_office), []).append(total)
    return max((max(g) - min(g) for g in groups.values()), default=0)


# --- quota ---------------------------------------------------------------------------------


def test_level_presets():
    assert dict(LEVEL_SHARES) == {1: 100, 2: 75, 3: 50, 4: 25}
    assert DEFAULT_WEEKLY_FLEXIBLE_CAP == 2


CAPS = {  # share -> caps for headcounts 1, 3, 4, 7, 10
    0: (0, 0, 0, 0, 0),
    25: (1, 1, 1, 1, 2),
    50: (1, 1, 2, 3, 5),
    75: (1, 2, 3, 5, 7),
    100: (1, 3, 4, 7, 10),
}


@pytest.mark.parametrize(
    ("share", "headcount", "cap"),
    [
        (share, headcount, cap)
        for share, caps in CAPS.items()
        for headcount, cap in zip((1, 3, 4, 7, 10), caps, strict=True)
    ]
    + [(50, 0, 0), (100, 0, 0), (29, 100, 29), (57, 1000, 570), (1, 99, 1), (99, 101, 99)],
)
def test_wfo_cap(share, headcount, cap):
    assert wfo_cap(headcount=headcount, share_percent=share) == cap


@pytest.mark.parametrize(("headcount", "share"), [(-1, 50), (10, -1), (10, 101)])
def test_wfo_cap_refuses_nonsense(headcount, share):
    with pytest.raises(ValueError):
        wfo_cap(headcount=headcount, share_percent=share)


@pytest.mark.parametrize(
    ("policy", "essential", "critical", "problems"),
    [
        (50, 50, 100, []),
        (0, 100, 0, []),
        (101, 50, 100, ["policy_share_out_of_range"]),
        (-5, 50, 100, ["policy_share_out_of_range"]),
        (25, 49, 100, ["essential_share_out_of_range"]),
        (25, 101, 100, ["essential_share_out_of_range"]),
        (25, 50, 101, ["critical_share_out_of_range"]),
        (
            120,
            30,
            -1,
            [
                "policy_share_out_of_range",
                "essential_share_out_of_range",
                "critical_share_out_of_range",
            ],
        ),
    ],
)
def test_validate_policy_shares(policy, essential, critical, problems):
    found = validate_policy_shares(
        policy_share=policy, essential_share=essential, critical_share=critical
    )
    assert found == problems


@pytest.mark.parametrize(
    ("unit_class", "policy", "extra", "share"),
    [
        (UnitClass.NON_ESSENTIAL, LEVEL_SHARES[4], {}, 25),
        (UnitClass.NON_ESSENTIAL, 0, {}, 0),
        ("non_essential", LEVEL_SHARES[2], {}, 75),
        (UnitClass.ESSENTIAL, 25, {}, 50),
        (UnitClass.ESSENTIAL, 0, {"essential_share": 80}, 80),
        (UnitClass.ESSENTIAL, 100, {"essential_share": 60}, 100),  # never below the policy
        (UnitClass.CRITICAL, 25, {}, 100),
        (UnitClass.CRITICAL, 25, {"critical_share": 60}, 60),
        (UnitClass.CRITICAL, 75, {"critical_share": 60}, 75),
    ],
)
def test_wfo_share_for(unit_class, policy, extra, share):
    assert wfo_share_for(unit_class=unit_class, policy_share=policy, **extra) == share


@pytest.mark.parametrize(
    "kwargs",
    [
        {"unit_class": UnitClass.ESSENTIAL, "policy_share": 25, "essential_share": 40},
        {"unit_class": UnitClass.CRITICAL, "policy_share": 25, "critical_share": 101},
        {"unit_class": "hospital", "policy_share": 25},
    ],
)
def test_wfo_share_for_refuses_invalid(kwargs):
    with pytest.raises(ValueError):
        wfo_share_for(**kwargs)


# --- eligibility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "on", "extra", "reasons"),
    [
        ("2020-01-01", "2025-03-03", {}, ()),
        ("2024-03-03", "2025-03-03", {}, ()),  # exactly 365 days
        ("2024-03-04", "2025-03-03", {}, ("new_employee",)),  # 364 days
        ("2024-02-29", "2025-02-28", {}, ()),  # a leap-day start, 365 days later
        ("2024-02-29", "2025-02-27", {}, ("new_employee",)),
        ("2023-03-01", "2024-02-29", {}, ()),  # 365 days across a leap day
        ("2023-03-02", "2024-02-29", {}, ("new_employee",)),
        ("2025-04-01", "2025-03-03", {}, ("new_employee",)),  # starts in the future
        (None, "2025-03-03", {}, ()),  # unknown start: not treated as new
        ("2025-01-01", "2025-03-03", {"block_new": False}, ()),
        ("2023-03-03", "2025-03-03", {"min_service_days": 732}, ("new_employee",)),
        ("2023-03-03", "2025-03-03", {"min_service_days": 732, "block_new": False}, ()),
    ],
)
def test_eligibility_service(start, on, extra, reasons):
    result = flexible_eligibility(
        position_eligible=True,
        start_of_service=None if start is None else D(start),
        on=D(on),
        under_sanction=False,
        **extra,
    )
    assert result.reasons == reasons
    assert result.eligible is (not reasons)


@pytest.mark.parametrize(
    ("position", "sanction", "extra", "reasons"),
    [
        (True, False, {}, ()),
        (False, False, {}, ("position_not_eligible",)),
        (True, True, {}, ("under_sanction",)),
        (True, True, {"block_sanctioned": False}, ()),
        (False, True, {}, ("position_not_eligible", "under_sanction")),
        (
            False,
            True,
            {"start": "2025-01-01"},
            ("position_not_eligible", "under_sanction", "new_employee"),
        ),
    ],
)
def test_eligibility_position_and_sanction(position, sanction, extra, reasons):
    start = D(extra.pop("start", "2010-01-01"))
    result = flexible_eligibility(
        position_eligible=position,
        start_of_service=start,
        on=D("2025-03-03"),
        under_sanction=sanction,
        **extra,
    )
    assert result.reasons == reasons
    assert result.eligible is (not reasons)


@pytest.mark.parametrize(
    ("day", "week"),
    [("2025-03-03", (2025, 10)), ("2024-12-30", (2025, 1)), ("2021-01-03", (2020, 53))],
)
def test_iso_week(day, week):
    assert iso_week(D(day)) == week


# --- the rotation generator ----------------------------------------------------------------


def test_all_in_office_at_100_percent():
    days = working_days(weeks=2)
    data = rotation(staff(6), days, share=100)
    result = generate_rotation(data)
    assert result.ok
    assert len(result.assignments) == 6 * 10
    assert {(a.mode, a.reason) for a in result.assignments} == {(WFO, EntryReason.DEFAULT)}


def test_half_quota_ten_people_four_weeks_is_fair():
    days = working_days(weeks=4)
    data = rotation(staff(10), days, share=LEVEL_SHARES[3])
    result = generate_rotation(data)
    assert result.ok
    assert check_roster(data, result) == set()
    office = office_by_day(data, result)
    assert all(office[d] == 5 for d in days)  # cap 5 used, never exceeded
    per_person = Counter(a.person_id for a in result.assignments if a.mode == WFO)
    assert set(per_person.values()) == {10}
    home = [a for a in result.assignments if a.mode == WFH]
    assert {a.reason for a in home} == {EntryReason.POLICY}
    assert rotation_figures(data, result)["fairness_spread"] == 0


@pytest.mark.parametrize(("n", "share", "weeks"), [(7, 25, 3), (3, 50, 1), (11, 75, 4), (4, 0, 1)])
def test_uneven_quotas_spread_at_most_one(n, share, weeks):
    data = rotation(staff(n), working_days(weeks=weeks), share=share)
    result = generate_rotation(data)
    assert result.ok
    check_roster(data, result)
    per_person = Counter({p.id: 0 for p in data.people})
    per_person.update(a.person_id for a in result.assignments if a.mode == WFO)
    assert max(per_person.values()) - min(per_person.values()) <= 1


def test_seats_smaller_than_quota():
    days = working_days()
    seats = {days[0]: 3, days[1]: None, days[2]: 0, days[3]: -2}  # days[4] missing = unlimited
    data = rotation(staff(10), days, share=100, seats=seats)
    result = generate_rotation(data)
    assert result.ok
    check_roster(data, result)
    office = office_by_day(data, result)
    assert [office[d] for d in days] == [3, 10, 0, 0, 10]
    assert cell(result, 1, days[2]).reason == EntryReason.POLICY


def test_public_service_always_in_office():
    days = working_days(weeks=2)
    people = [Person(id=1, public_service=True), Person(id=2, public_service=True), *staff(10)[2:]]
    data = rotation(people, days, share=LEVEL_SHARES[3])  # cap 5
    result = generate_rotation(data)
    assert result.ok
    check_roster(data, result)
    for day in days:
        assert cell(result, 1, day).mode == WFO
        assert cell(result, 2, day).mode == WFO
        assert office_by_day(data, result)[day] == 5
    assert rotation_figures(data, result)["public_service_coverage"] == 100.0


def test_public_service_released_by_the_policy():
    days = working_days()
    people = [Person(id=i, public_service=True) for i in range(1, 5)]
    data = rotation(people, days, share=25, release_public_service=True)  # cap 1
    result = generate_rotation(data)
    assert result.ok
    assert all(office_by_day(data, result)[d] == 1 for d in days)


def test_public_service_more_than_the_cap_is_a_problem_not_a_broken_roster():
    days = working_days()
    people = [*(Person(id=i, public_service=True) for i in range(1, 5)), *staff(10)[4:]]
    data = rotation(people, days, share=LEVEL_SHARES[4])  # 10 people at 25 % -> cap 2
    result = generate_rotation(data)
    assert not result.ok
    assert [(p.day, p.unit_id, p.code) for p in result.problems] == [
        (d, 7, "public_service_exceeds_quota") for d in days
    ]
    problem = result.problems[0]
    assert problem.detail["needed"] == 4
    assert problem.detail["cap"] == 2
    assert str(days[0]) in problem.message
    assert check_roster(data, result) == {(d, "public_service_exceeds_quota") for d in days}
    office = office_by_day(data, result)
    assert all(office[d] == 2 for d in days)  # the quota still holds
    ps_days = Counter(a.person_id for a in result.assignments if a.mode == WFO)
    assert set(ps_days) <= {1, 2, 3, 4}
    assert max(ps_days.values()) - min(ps_days.values()) <= 1  # the desk duty is shared
    assert rotation_figures(data, result)["public_service_coverage"] == 50.0


def test_public_service_more_than_the_seats():
    days = working_days()
    people = [Person(id=1, public_service=True), Person(id=2, public_service=True), *staff(4)[2:]]
    data = rotation(people, days, seats={days[1]: 1})
    result = generate_rotation(data)
    assert [(p.day, p.code) for p in result.problems] == [(days[1], "public_service_exceeds_seats")]
    assert result.problems[0].detail == {
        "needed": 2,
        "seats": 1,
        "public_service": 2,
        "fixed_office": 0,
    }
    assert office_by_day(data, result)[days[1]] == 1


def test_fixed_entries_are_kept_and_counted():
    days = working_days()
    fixed = {(1, days[0]): OFF, (2, days[0]): DL, (3, days[0]): WFO, (1, days[1]): OFF}
    data = rotation(staff(6), days, share=50, fixed=fixed)  # cap 3
    result = generate_rotation(data)
    assert result.ok
    check_roster(data, result)
    keys = {(a.person_id, a.day) for a in result.assignments}
    assert not keys & fixed.keys()
    assert len(result.assignments) == 6 * 5 - 4
    office = office_by_day(data, result)
    assert office[days[0]] == 3  # the recall counts toward the cap
    assert rotation_figures(data, result)["max_wfo"] == 3


def test_recall_is_compensated_later():
    days = working_days(weeks=2)
    fixed = {(1, days[0]): WFO, (1, days[1]): WFO}
    data = rotation(staff(4), days, share=50, fixed=fixed)
    result = generate_rotation(data)
    assert result.ok
    totals = Counter({1: 2})
    totals.update(a.person_id for a in result.assignments if a.mode == WFO)
    assert max(totals.values()) - min(totals.values()) <= 1


def test_fixed_office_over_the_quota():
    days = working_days()
    fixed = {(i, days[2]): WFO for i in (1, 2, 3)}
    data = rotation(staff(8), days, share=25, fixed=fixed)  # cap 2
    result = generate_rotation(data)
    assert [(p.day, p.code) for p in result.problems] == [(days[2], "fixed_exceeds_quota")]
    assert result.problems[0].detail == {"fixed_office": 3, "cap": 2}
    assert all(a.mode == WFH for a in result.assignments if a.day == days[2])
    assert check_roster(data, result) == {(days[2], "fixed_exceeds_quota")}


def test_fixed_entries_outside_the_input_are_ignored():
    days = working_days()
    fixed = {(99, days[0]): WFO, (1, D("2025-03-08")): OFF}
    data = rotation(staff(2), days, share=50, fixed=fixed)
    result = generate_rotation(data)
    assert result.ok
    assert len(result.assignments) == 10


def test_flexible_days_on_preferred_weekdays():
    days = working_days(weeks=3)
    people = [
        Person(id=1, flexible_days_per_week=2, preferred_weekdays=frozenset({0, 4})),
        Person(
            id=2, flexible_days_per_week=1, flexible_mode=WFA, preferred_weekdays=frozenset({2})
        ),
        *staff(4)[2:],
    ]
    data = rotation(people, days)
    result = generate_rotation(data)
    assert result.ok
    check_roster(data, result)
    flexible = [a for a in result.assignments if a.reason == EntryReason.FLEXIBLE]
    assert {a.day.weekday() for a in flexible if a.person_id == 1} == {0, 4}
    assert {(a.day.weekday(), a.mode) for a in flexible if a.person_id == 2} == {(2, WFA)}
    assert len(flexible) == 3 * (2 + 1)


def test_flexible_days_never_exceed_the_weekly_cap():
    days = working_days(weeks=2)
    people = [Person(id=1, flexible_days_per_week=4, preferred_weekdays=frozenset({0, 1, 2}))]
    for cap in (0, 1, 2, 3):
        data = rotation(people, days, weekly_flexible_cap=cap)
        result = generate_rotation(data)
        check_roster(data, result)
        weeks = Counter(iso_week(a.day) for a in result.assignments if a.reason == "flexible")
        assert all(count == min(4, cap) for count in weeks.values())


def test_flexible_days_move_when_the_preferred_day_is_leave():
    days = working_days()
    person = Person(id=1, flexible_days_per_week=2, preferred_weekdays=frozenset({0}))
    fixed = {(1, days[0]): OFF, (1, days[1]): WFH}  # Monday leave, Tuesday manual WFH
    data = rotation([person, *staff(3)[1:]], days, fixed=fixed)
    result = generate_rotation(data)
    check_roster(data, result)
    flexible = [a.day for a in result.assignments if a.reason == "flexible"]
    assert len(flexible) == 1  # the manual WFH uses one of the two days
    assert flexible[0] not in (days[0], days[1])


def test_flexible_used_before_the_period_counts():
    days = working_days(start=D("2025-03-05"))  # Wednesday to next Tuesday
    person = Person(id=1, flexible_days_per_week=2)
    used = {(1, iso_week(days[0])): 2}
    data = rotation([person], days, flexible_used=used)
    result = generate_rotation(data)
    check_roster(data, result)
    flexible = [a.day for a in result.assignments if a.reason == "flexible"]
    assert len(flexible) == 2
    assert {iso_week(d) for d in flexible} == {iso_week(days[-1])}


def test_public_service_people_get_no_flexible_days():
    days = working_days()
    person = Person(id=1, public_service=True, flexible_days_per_week=2)
    result = generate_rotation(rotation([person], days))
    assert {a.mode for a in result.assignments} == {WFO}
    released = generate_rotation(rotation([person], days, release_public_service=True))
    assert Counter(a.reason for a in released.assignments)["flexible"] == 2


def test_holiday_week():
    holidays = frozenset({D("2025-03-31"), D("2025-04-01")})  # Idul Fitri
    days = working_days(start=D("2025-03-24"), weeks=2, skip=holidays)
    assert len(days) == 8
    people = [Person(id=i, flexible_days_per_week=2 * (i % 2)) for i in range(1, 11)]
    data = rotation(people, days, share=50)
    result = generate_rotation(data)
    assert result.ok
    assert check_roster(data, result) == set()
    assert not [a for a in result.assignments if a.day in holidays]
    short_week = Counter(
        a.person_id
        for a in result.assignments
        if a.reason == "flexible" and a.day > D("2025-03-30")
    )
    assert set(short_week.values()) == {2}


def test_deterministic_and_independent_of_input_order():
    days = working_days(weeks=3)
    people = [
        Person(id=i, flexible_days_per_week=i % 3, public_service=i % 7 == 0) for i in range(1, 30)
    ]
    fixed = {(3, days[4]): OFF, (8, days[6]): WFO}
    first = generate_rotation(rotation(people, days, share=50, fixed=fixed))
    again = generate_rotation(rotation(people, days, share=50, fixed=fixed))
    shuffled = list(people)
    random.Random(3).shuffle(shuffled)
    other_order = generate_rotation(
        rotation(shuffled, tuple(reversed(days)), share=50, fixed=fixed)
    )
    assert first == again == other_order
    assert [(a.day, a.person_id) for a in first.assignments] == sorted(
        (a.day, a.person_id) for a in first.assignments
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"share": 101}, "invalid_share"),
        ({"headcount": -1}, "invalid_headcount"),
        ({"weekly_flexible_cap": -1}, "invalid_weekly_cap"),
        ({"people": [Person(id=1), Person(id=1)]}, "duplicate_person"),
        (
            {"people": [Person(id=1, flexible_days_per_week=1, flexible_mode=WFO)]},
            "invalid_flexible_mode",
        ),
        ({"fixed": {(1, MONDAY): "HOME"}}, "invalid_fixed_mode"),
    ],
)
def test_invalid_input_gives_problems_and_no_roster(change, code):
    change = dict(change)
    people = change.pop("people", staff(2))
    result = generate_rotation(rotation(people, working_days(), **change))
    assert not result.ok
    assert result.assignments == ()
    assert [p.code for p in result.problems] == [code]


def test_empty_unit_and_empty_period():
    assert generate_rotation(rotation([], working_days(), share=50)) == RotationResult((), ())
    assert generate_rotation(rotation(staff(3), (), share=50)) == RotationResult((), ())


def random_input(rng: random.Random) -> RotationInput:
    start = MONDAY + timedelta(rng.randrange(0, 60))
    days = tuple(
        d for d in working_days(start=start, weeks=rng.randint(1, 5)) if rng.random() > 0.1
    )
    n = rng.randint(1, 25)
    people = [
        Person(
            id=rng.randrange(1000) * 100 + i,
            public_service=rng.random() < 0.15,
            flexible_days_per_week=rng.choice((0, 0, 1, 2, 3)),
            flexible_mode=rng.choice((WFH, WFA)),
            preferred_weekdays=frozenset(rng.sample(range(5), rng.randint(0, 3))),
        )
        for i in range(n)
    ]
    seats = {d: rng.choice((None, rng.randint(-1, n))) for d in days if rng.random() < 0.5}
    fixed = {
        (rng.choice(people).id, rng.choice(days)): rng.choice(list(Mode))
        for _ in range(rng.randint(0, n * 2))
        if days
    }
    share = rng.choice((0, 25, 50, 75, 100, rng.randint(0, 100)))
    used = {
        (p.id, iso_week(days[0])): rng.randint(0, 2) for p in people if days and rng.random() < 0.2
    }
    return RotationInput(
        unit_id=rng.randint(1, 50),
        days=days,
        people=tuple(people),
        share_percent=share,
        headcount=max(0, n + rng.choice((0, 0, 0, -2, 3))),
        seats=seats,
        fixed=fixed,
        release_public_service=rng.random() < 0.2,
        weekly_flexible_cap=rng.choice((0, 1, 2, 2, 3)),
        flexible_used=used,
    )


@pytest.mark.parametrize("seed", range(200))
def test_random_inputs_respect_every_rule(seed):
    data = random_input(random.Random(seed))
    result = generate_rotation(data)
    expected = check_roster(data, result)
    assert {(p.day, p.code) for p in result.problems} == expected
    assert all(p.unit_id == data.unit_id for p in result.problems)
    figures = rotation_figures(data, result)
    assert figures["fairness_spread"] <= 1
    if result.ok:
        assert figures["over_cap_days"] == 0
        assert figures["over_seats_days"] == 0
        assert figures["public_service_coverage"] == 100.0
        grid = {**data.fixed, **{(a.person_id, a.day): a.mode for a in result.assignments}}
        reasons = {(a.person_id, a.day): a.reason for a in result.assignments}
        violations = roster_violations(
            unit_id=data.unit_id,
            days=data.days,
            modes=grid,
            people=data.people,
            cap=figures["cap"],
            seats=data.seats,
            weekly_flexible_cap=10,  # manual remote entries may exceed the flexible cap
            release_public_service=data.release_public_service,
            flexible_reasons=reasons,
        )
        # only a public-service person fixed at home (a manual edit) may be flagged
        for v in violations:
            assert v.code == "public_service_not_in_office"
            assert (v.detail["person_id"], v.day) in data.fixed


def test_ten_thousand_people_in_one_unit():
    days = working_days(weeks=5)[:22]
    people = tuple(
        Person(id=i, public_service=i % 100 == 0, flexible_days_per_week=2 * (i % 4 == 0))
        for i in range(10_000)
    )
    data = rotation(people, days, share=50, seats={d: 4_500 for d in days})
    result = generate_rotation(data)
    assert result.ok
    assert len(result.assignments) == 10_000 * 22
    figures = rotation_figures(data, result)
    assert figures["max_wfo"] == 4_500
    assert figures["fairness_spread"] <= 1


def test_rotation_figures():
    days = working_days()
    people = [
        Person(id=1, public_service=True),
        Person(id=2, flexible_days_per_week=2),
        *staff(4)[2:],
    ]
    data = rotation(people, days, share=50, seats={days[0]: 1})
    result = generate_rotation(data)
    figures = rotation_figures(data, result)
    assert figures == {
        "unit_id": 7,
        "people": 4,
        "days": 5,
        "cap": 2,
        "max_wfo": 2,
        "over_cap_days": 0,
        "over_seats_days": 0,
        "public_service_coverage": 100.0,
        "fairness_spread": figures["fairness_spread"],
        "flexible_days": 2,
        "policy_home_days": 20 - 5 - 2 - 4,  # all cells - public service - flexible - office
        "problems": 0,
    }
    assert figures["fairness_spread"] <= 1


# --- roster validation ---------------------------------------------------------------------

GRID_DAYS = working_days(weeks=2)
GRID_PEOPLE = (Person(id=1, public_service=True), Person(id=2), Person(id=3), Person(id=4))


def clean_grid() -> dict[tuple[int, date], str]:
    """Person 1 at the desk; 2, 3 and 4 take turns at home: 3 in the office a day, at most
    2 remote days a week each."""
    grid = {(1, d): WFO for d in GRID_DAYS}
    for i, day in enumerate(GRID_DAYS):
        for pid in (2, 3, 4):
            grid[pid, day] = WFH if (i + pid) % 3 == 0 else WFO
    return grid


def violations(grid, *, cap=3, seats=None, weekly_cap=2, release=False, reasons=None):
    return roster_violations(
        unit_id=7,
        days=GRID_DAYS,
        modes=grid,
        people=GRID_PEOPLE,
        cap=cap,
        seats=seats or {},
        weekly_flexible_cap=weekly_cap,
        release_public_service=release,
        flexible_reasons=reasons,
    )


def test_clean_grid_has_no_violations():
    grid = clean_grid()
    assert all(n <= 3 for n in Counter(d for (_, d), m in grid.items() if m == WFO).values())
    assert violations(grid) == ()


@pytest.mark.parametrize(
    ("edit", "kwargs", "code", "detail"),
    [
        ({(3, GRID_DAYS[0]): WFO}, {}, "over_quota", {"wfo": 4, "cap": 3}),
        ({}, {"seats": {GRID_DAYS[0]: 2}}, "over_seats", {"wfo": 3, "seats": 2}),
        (
            {(1, GRID_DAYS[0]): WFH},
            {},
            "public_service_not_in_office",
            {"person_id": 1, "mode": WFH},
        ),
        (
            {(1, GRID_DAYS[0]): None},
            {},
            "public_service_not_in_office",
            {"person_id": 1, "mode": None},
        ),
        ({(2, GRID_DAYS[0]): "HOME"}, {}, "invalid_mode", {"person_id": 2, "mode": "HOME"}),
        (
            {(4, GRID_DAYS[0]): WFA, (4, GRID_DAYS[1]): WFA},  # plus its WFH on day 2
            {},
            "over_weekly_cap",
            {"person_id": 4, "week": "2025-W10", "remote_days": 3, "cap": 2},
        ),
    ],
)
def test_each_violation(edit, kwargs, code, detail):
    grid = clean_grid()
    for key, mode in edit.items():
        if mode is None:
            del grid[key]
        else:
            grid[key] = mode
    found = violations(grid, **kwargs)
    assert [(p.day, p.unit_id, p.code) for p in found] == [
        (GRID_DAYS[0] if code != "over_weekly_cap" else GRID_DAYS[2], 7, code)
    ]
    assert found[0].detail == detail


def test_public_service_on_leave_or_released_is_not_flagged():
    grid = clean_grid()
    grid[1, GRID_DAYS[0]] = OFF
    grid[1, GRID_DAYS[1]] = DL
    assert violations(grid) == ()
    grid[1, GRID_DAYS[2]] = WFH
    assert violations(grid, release=True) == ()


def test_policy_home_days_do_not_count_toward_the_weekly_cap():
    grid = clean_grid()
    week = GRID_DAYS[:5]
    for day in week:
        grid[2, day] = WFH
    for pid in (3, 4):
        for day in week:
            grid[pid, day] = WFO
    reasons = {(2, d): EntryReason.POLICY for d in week[:3]}
    assert [p.code for p in violations(grid, reasons=reasons)] == []
    assert [(p.day, p.code) for p in violations(grid)] == [(week[2], "over_weekly_cap")]
