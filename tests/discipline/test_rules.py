"""Discipline rules (DOMAIN.md sections 3, 5, 6): TPP deductions, the ladder, rewards.

Pure and table-driven: no database, no clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from decimal import Decimal

import pytest

from sigap.discipline.rules import (
    CONSECUTIVE_DAYS,
    CONSECUTIVE_SANCTION,
    DEFAULT_TABLE,
    EMPLOYEE_CATEGORIES,
    HEAVY,
    LADDER,
    LIGHT,
    MINUTES_PER_DAY,
    MODERATE,
    RULE_VERSION,
    UNIT_CATEGORIES,
    Band,
    DayFacts,
    EmployeeMonthFacts,
    Line,
    Problem,
    Ranked,
    TppTable,
    UnitMonthFacts,
    consecutive_reached,
    consecutive_unexcused,
    converted_days,
    perfect_attendance,
    rank_employees,
    rank_units,
    sanction_for,
    streak_on_time,
    summary,
    table_problems,
    thresholds_crossed,
    tpp_deductions,
    tpp_result,
    unit_score,
    yearly_unexcused,
)

D = Decimal
MON = dt.date(2026, 3, 2)  # a Monday
TIMES = "\u00d7"


def day(status: str = "HADIR", date: dt.date = MON, **kwargs) -> DayFacts:
    return DayFacts(date=date, status=status, **kwargs)


def bands(prefix: str, *limits: tuple[int, int | None], rate: str = "1") -> tuple[Band, ...]:
    return tuple(
        Band(f"{prefix}{i}", low, high, D(rate)) for i, (low, high) in enumerate(limits, 1)
    )


def table(**changes) -> TppTable:
    return dataclasses.replace(DEFAULT_TABLE, **changes)


def shorthand(lines: list[Line]) -> list[tuple]:
    return [(line.date, line.code, line.rate, line.minutes, line.reason) for line in lines]


# --- shipped defaults ---


def test_constants():
    assert RULE_VERSION == "discipline-1"
    assert MINUTES_PER_DAY == 450
    assert CONSECUTIVE_DAYS == 10


def test_default_table_is_the_domain_table():
    snapshot = DEFAULT_TABLE.as_dict()
    expected_limits = [(1, 30, "0.5"), (31, 60, "1"), (61, 90, "1.25"), (91, None, "1.5")]
    for name, prefix in (("late_bands", "TL"), ("early_bands", "PSW")):
        assert snapshot[name] == [
            {"code": f"{prefix}{i}", "low": low, "high": high, "rate": rate}
            for i, (low, high, rate) in enumerate(expected_limits, 1)
        ]
    assert {k: v for k, v in snapshot.items() if not k.endswith("_bands")} == {
        "absent_rate": "4",
        "missed_rollcall_rate": "2",
        "discipline_share": "60",
        "cap": "100",
        "convert_minutes": True,
        "missing_punch_minutes": 91,
        "leave_rates": {},
    }
    assert table_problems(DEFAULT_TABLE) == []


# --- TPP deduction lines ---

BOUNDARIES = [
    (0, None, None),
    (1, 1, "0.5"),
    (30, 1, "0.5"),
    (31, 2, "1"),
    (60, 2, "1"),
    (61, 3, "1.25"),
    (90, 3, "1.25"),
    (91, 4, "1.5"),
    (600, 4, "1.5"),
    (-5, None, None),
]


@pytest.mark.parametrize(("minutes", "band", "rate"), BOUNDARIES)
@pytest.mark.parametrize(("prefix", "field"), [("TL", "late_minutes"), ("PSW", "early_minutes")])
def test_band_boundaries_default_table(prefix, field, minutes, band, rate):
    facts = day(f"{prefix}1", **{field: minutes})
    lines = tpp_deductions([facts])
    if band is None:
        assert lines == []
    else:
        assert shorthand(lines) == [(MON, f"{prefix}{band}", D(rate), minutes, "")]


def test_band_comes_from_the_minutes_not_from_the_day_code():
    # an agency whose bands differ from the attendance codes: 1-15 min is "T-A"
    agency = table(late_bands=(Band("T-A", 1, 15, D("0.25")), Band("T-B", 16, None, D("2"))))
    lines = tpp_deductions([day("TL1", late_minutes=20)], agency)
    assert shorthand(lines) == [(MON, "T-B", D("2"), 20, "")]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (day("TL4", no_check_in=True), [("TL4", 91, "no_check_in")]),
        (day("TL4", late_minutes=5, no_check_in=True), [("TL4", 91, "no_check_in")]),
        (day("PSW4", no_check_out=True), [("PSW4", 91, "no_check_out")]),
        (
            day("TL4", codes=("TL4", "PSW4"), no_check_in=True, no_check_out=True),
            [("TL4", 91, "no_check_in"), ("PSW4", 91, "no_check_out")],
        ),
        (
            day("TL2", codes=("TL2", "PSW4"), late_minutes=40, no_check_out=True),
            [("TL2", 40, ""), ("PSW4", 91, "no_check_out")],
        ),
    ],
)
def test_missing_punches_count_as_91_minutes(facts, expected):
    lines = tpp_deductions([facts])
    assert [(line.code, line.minutes, line.reason) for line in lines] == expected


def test_missing_punch_minutes_is_a_table_setting():
    lines = tpp_deductions([day("TL4", no_check_in=True)], table(missing_punch_minutes=45))
    assert shorthand(lines) == [(MON, "TL2", D("1"), 45, "no_check_in")]


def test_a_day_with_late_and_early_codes_gives_both_lines_tl_first():
    facts = day("TL2", codes=("PSW1", "TL2"), late_minutes=45, early_minutes=10)
    assert shorthand(tpp_deductions([facts])) == [
        (MON, "TL2", D("1"), 45, ""),
        (MON, "PSW1", D("0.5"), 10, ""),
    ]


@pytest.mark.parametrize(
    "facts",
    [
        day("TK"),
        day("TK", codes=("TK",)),
        day("TK", codes=("TK", "TL4", "PSW4"), late_minutes=120, early_minutes=60),
        day("TK", no_check_in=True, no_check_out=True, rollcalls_missed=2),
        day("TL1", codes=("TK", "TL1"), late_minutes=5),
    ],
)
def test_tk_day_gives_only_a_tk_line(facts):
    assert shorthand(tpp_deductions([facts])) == [(MON, "TK", D("4"), 0, "")]


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (day("HADIR", report_unexcused="report_missing"), "report_missing"),
        (
            day("TL2", codes=("TL2", "PSW1"), late_minutes=40, early_minutes=5,
                report_unexcused="report_returned", rollcalls_missed=1),
            "report_returned",
        ),
        (day("TK", report_unexcused="report_missing"), "report_missing"),
    ],
)  # fmt: skip
def test_remote_day_without_valid_report_counts_as_tk(facts, reason):
    assert shorthand(tpp_deductions([facts])) == [(MON, "TK", D("4"), 0, reason)]


@pytest.mark.parametrize(
    ("status", "leave_rates", "expected"),
    [
        ("CS", {"CS": D("1")}, [("CS", D("1"))]),
        ("CS", {}, []),
        ("CT", {"CS": D("1")}, []),
        ("CLTN", {"CS": D("1"), "CLTN": D("5")}, [("CLTN", D("5"))]),
        ("SAKIT", {"SAKIT": D("0.75")}, [("SAKIT", D("0.75"))]),
    ],
)
def test_leave_rates(status, leave_rates, expected):
    lines = tpp_deductions([day(status)], table(leave_rates=leave_rates))
    assert [(line.code, line.rate) for line in lines] == expected


@pytest.mark.parametrize("status", ["HADIR", "LIBUR", "BELUM", "DL", "CT", "CB", "IZIN", "TB"])
def test_days_without_deduction(status):
    assert tpp_deductions([day(status)]) == []


@pytest.mark.parametrize(("missed", "count"), [(0, 0), (1, 1), (2, 2), (-1, 0)])
def test_each_missed_roll_call_is_an_apel_line(missed, count):
    lines = tpp_deductions([day("HADIR", rollcalls_missed=missed)])
    assert shorthand(lines) == [(MON, "APEL", D("2"), 0, "")] * count


@pytest.mark.parametrize(
    ("changes", "facts"),
    [
        ({"absent_rate": D("0")}, day("TK")),
        ({"missed_rollcall_rate": D("0")}, day("HADIR", rollcalls_missed=3)),
        ({"leave_rates": {"CS": D("0")}}, day("CS")),
        ({"late_bands": bands("TL", (1, None), rate="0")}, day("TL1", late_minutes=10)),
        ({"early_bands": bands("PSW", (1, None), rate="0.00")}, day("PSW1", early_minutes=10)),
    ],
)
def test_lines_at_rate_zero_are_omitted(changes, facts):
    assert tpp_deductions([facts], table(**changes)) == []


def test_lines_by_date_then_tk_tl_psw_leave_apel():
    tue, wed, thu = (MON + dt.timedelta(days=n) for n in (1, 2, 3))
    days = [
        day("CS", date=thu, rollcalls_missed=1),
        day("TL1", date=wed, codes=("TL1", "PSW2"), late_minutes=3, early_minutes=45,
            rollcalls_missed=1),
        day("TK", date=tue),
        day("HADIR", date=MON),
    ]  # fmt: skip
    lines = tpp_deductions(days, table(leave_rates={"CS": D("1")}))
    assert [(line.date, line.code) for line in lines] == [
        (tue, "TK"),
        (wed, "TL1"),
        (wed, "PSW2"),
        (wed, "APEL"),
        (thu, "CS"),
        (thu, "APEL"),
    ]


def test_lines_accept_any_iterable():
    assert len(tpp_deductions(day("TK", date=MON + dt.timedelta(n)) for n in range(3))) == 3


# --- monthly result ---


def tk_lines(n: int) -> list[Line]:
    return [Line(MON + dt.timedelta(days=i), "TK", D("4")) for i in range(n)]


@pytest.mark.parametrize(
    ("lines", "tpp", "performance", "expected"),
    [
        ([], DEFAULT_TABLE, D(100), ("0.00", "0.00", "60.00", "40.00", "100.00")),
        (tk_lines(1), DEFAULT_TABLE, D(100), ("4.00", "4.00", "57.60", "40.00", "97.60")),
        (tk_lines(25), DEFAULT_TABLE, D(100), ("100.00", "100.00", "0.00", "40.00", "40.00")),
        (tk_lines(26), DEFAULT_TABLE, D(100), ("104.00", "100.00", "0.00", "40.00", "40.00")),
        (tk_lines(26), DEFAULT_TABLE, D(50), ("104.00", "100.00", "0.00", "20.00", "20.00")),
        (tk_lines(26), table(cap=D(50)), D(100), ("104.00", "50.00", "30.00", "40.00", "70.00")),
        # 0.5 % of a 60 % discipline part
        ([Line(MON, "TL1", D("0.5"))], DEFAULT_TABLE, D(100),
         ("0.50", "0.50", "59.70", "40.00", "99.70")),
        # 55 * 99.5 / 100 = 54.725 -> 54.73 (half up, not half even)
        ([Line(MON, "TL1", D("0.5"))], table(discipline_share=D(55)), D(100),
         ("0.50", "0.50", "54.73", "45.00", "99.73")),
        # 54.725 + 0.045 = 54.77: rounded once at the end, not 54.73 + 0.05
        ([Line(MON, "TL1", D("0.5"))], table(discipline_share=D(55)), D("0.1"),
         ("0.50", "0.50", "54.73", "0.05", "54.77")),
        ([], DEFAULT_TABLE, D("33.333"), ("0.00", "0.00", "60.00", "13.33", "73.33")),
        ([], table(discipline_share=D(100)), D(0), ("0.00", "0.00", "100.00", "0.00", "100.00")),
        ([], table(discipline_share=D(0)), D(80), ("0.00", "0.00", "0.00", "80.00", "80.00")),
    ],
)  # fmt: skip
def test_tpp_result(lines, tpp, performance, expected):
    result = tpp_result(lines, tpp, performance_part_pct=performance)
    got = (
        result.lines_pct,
        result.deduction_pct,
        result.discipline_pct,
        result.performance_pct,
        result.final_pct,
    )
    assert tuple(str(value) for value in got) == expected


@pytest.mark.parametrize(
    ("performance", "expected"),
    [(D(150), "40.00"), (D(-5), "0.00"), (50.0, "20.00"), (12.5, "5.00"), (0, "0.00")],
)
def test_performance_part_is_clamped_and_accepts_floats(performance, expected):
    result = tpp_result([], performance_part_pct=performance)
    assert str(result.performance_pct) == expected


@pytest.mark.parametrize("performance", [float("nan"), D("NaN"), float("inf")])
def test_performance_part_must_be_finite(performance):
    with pytest.raises(ValueError, match="finite"):
        tpp_result([], performance_part_pct=performance)


def test_result_counts_lines_by_code_in_summary_order():
    days = [
        day("TL1", date=MON, codes=("TL1", "PSW1"), late_minutes=5, early_minutes=5),
        day("TL1", date=MON + dt.timedelta(1), late_minutes=10, rollcalls_missed=1),
        day("TK", date=MON + dt.timedelta(2)),
    ]
    result = tpp_result(tpp_deductions(days))
    assert result.counts == {"TK": 1, "TL1": 2, "PSW1": 1, "APEL": 1}
    assert list(result.counts) == ["TK", "TL1", "PSW1", "APEL"]
    assert str(result.lines_pct) == "7.50"
    assert summary(result.counts) == f"TK{TIMES}1, TL1{TIMES}2, PSW1{TIMES}1, APEL{TIMES}1"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, ""),
        ({"TK": 0}, ""),
        ({"APEL": 1, "PSW1": 1, "TL1": 2, "TK": 1}, "TK×1, TL1×2, PSW1×1, APEL×1"),
        ({"TL10": 1, "TL2": 3, "TL1": 1}, "TL1×1, TL2×3, TL10×1"),
        ({"SAKIT": 1, "APEL": 2, "CS": 4, "PSW3": 1}, "PSW3×1, APEL×2, CS×4, SAKIT×1"),
    ],
)
def test_summary(counts, expected):
    assert summary(counts) == expected


def test_property_random_months_stay_within_bounds():
    """A seeded property check (Hypothesis is not installed): 300 random months."""
    rng = random.Random(20260302)
    statuses = ["HADIR", "TL1", "TL3", "PSW2", "TK", "CS", "CT", "DL", "LIBUR", "BELUM"]
    custom = table(
        discipline_share=D("55"),
        cap=D("80"),
        leave_rates={"CS": D("1")},
        late_bands=bands("L", (1, 10), (11, None), rate="3"),
    )
    for _ in range(300):
        days = [
            day(
                rng.choice(statuses),
                date=MON + dt.timedelta(days=offset),
                codes=rng.choice([(), ("TL2", "PSW1"), ("PSW4",)]),
                late_minutes=rng.randrange(-10, 500),
                early_minutes=rng.randrange(-10, 500),
                no_check_in=rng.random() < 0.1,
                no_check_out=rng.random() < 0.1,
                rollcalls_missed=rng.randrange(-1, 3),
                report_unexcused=rng.choice([None, None, None, "report_missing"]),
            )
            for offset in rng.sample(range(31), rng.randrange(0, 31))
        ]
        tpp = rng.choice([DEFAULT_TABLE, custom])
        lines = tpp_deductions(days, tpp)
        result = tpp_result(lines, tpp, performance_part_pct=D(rng.randrange(-50, 150)))
        assert all(line.rate > 0 for line in lines)
        assert [line.date for line in lines] == sorted(line.date for line in lines)
        assert result.lines_pct >= 0
        assert 0 <= result.deduction_pct <= tpp.cap
        assert 0 <= result.final_pct <= 100
        assert abs(result.final_pct - result.discipline_pct - result.performance_pct) <= D("0.01")
        assert sum(result.counts.values()) == len(lines)
        for facts in days:
            own = [line.code for line in lines if line.date == facts.date]
            if facts.status == "TK" or facts.report_unexcused:
                assert own == ["TK"]
            else:
                assert "TK" not in own


# --- table validation ---

CLOSED_LAST = ((1, 30), (31, 60), (61, 90), (91, 200))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"late_bands": bands("TL", (1, 30), (32, 60), (61, None))},
         [Problem("late_bands", "band_gap", {"code": "TL2", "low": 32, "high": 60,
                                             "after": "TL1", "after_high": 30,
                                             "from": 31, "to": 31})]),
        ({"early_bands": bands("PSW", (1, 30), (30, 60), (61, None))},
         [Problem("early_bands", "band_overlap", {"code": "PSW2", "low": 30, "high": 60,
                                                  "after": "PSW1", "after_high": 30,
                                                  "from": 30, "to": 30})]),
        ({"late_bands": bands("TL", (2, 30), (31, None))},
         [Problem("late_bands", "band_not_from_1", {"code": "TL1", "low": 2})]),
        ({"late_bands": bands("TL", (0, 30), (31, None))},
         [Problem("late_bands", "band_not_from_1", {"code": "TL1", "low": 0})]),
        ({"late_bands": bands("TL", *CLOSED_LAST)},
         [Problem("late_bands", "band_not_open_ended", {"code": "TL4", "high": 200})]),
        ({"late_bands": (Band("TL1", 1, None, D(1)), Band("TL2", 31, None, D(1)))},
         [Problem("late_bands", "band_open_ended_not_last", {"code": "TL1", "low": 1})]),
        ({"early_bands": ()}, [Problem("early_bands", "no_bands")]),
        ({"late_bands": (Band("TL1", 1, 30, D(1)), Band("TL1", 31, None, D(1)))},
         [Problem("late_bands", "duplicate_band_code", {"code": "TL1"})]),
        ({"late_bands": (Band("TL1", 1, 30, D(1)), Band(" ", 31, None, D(1)))},
         [Problem("late_bands", "band_empty", {"low": 31, "high": None})]),
        ({"late_bands": (Band("TL1", 1, 30, D("-0.5")), Band("TL2", 31, None, D(1)))},
         [Problem("late_bands", "rate_out_of_range",
                  {"code": "TL1", "value": "-0.5", "min": "0", "max": "100"})]),
        ({"early_bands": (Band("P1", 1, 30, D(1)), Band("P2", 31, None, D("100.5")))},
         [Problem("early_bands", "rate_out_of_range",
                  {"code": "P2", "value": "100.5", "min": "0", "max": "100"})]),
        ({"absent_rate": D("100.5")},
         [Problem("absent_rate", "rate_out_of_range", {"value": "100.5", "min": "0", "max": "100"})]),
        ({"missed_rollcall_rate": D("-0.5")},
         [Problem("missed_rollcall_rate", "rate_out_of_range",
                  {"value": "-0.5", "min": "0", "max": "100"})]),
        ({"discipline_share": D(101)},
         [Problem("discipline_share", "rate_out_of_range", {"value": "101", "min": "0", "max": "100"})]),
        ({"cap": D(-1)}, [Problem("cap", "rate_out_of_range", {"value": "-1", "min": "0", "max": "100"})]),
        ({"cap": D("NaN")}, [Problem("cap", "rate_out_of_range", {"value": "NaN", "min": "0", "max": "100"})]),
        ({"leave_rates": {"XX": D(1)}}, [Problem("leave_rates", "unknown_leave_code", {"code": "XX"})]),
        ({"leave_rates": {"TK": D(1)}}, [Problem("leave_rates", "unknown_leave_code", {"code": "TK"})]),
        ({"leave_rates": {"CS": D(101)}},
         [Problem("leave_rates", "rate_out_of_range",
                  {"code": "CS", "value": "101", "min": "0", "max": "100"})]),
        ({"missing_punch_minutes": 0},
         [Problem("missing_punch_minutes", "minutes_out_of_range", {"value": 0, "min": 1, "max": 1440})]),
        ({"missing_punch_minutes": 1441},
         [Problem("missing_punch_minutes", "minutes_out_of_range",
                  {"value": 1441, "min": 1, "max": 1440})]),
    ],
)  # fmt: skip
def test_table_problems(changes, expected):
    assert table_problems(table(**changes)) == expected


def test_band_low_above_high_is_reported():
    bad = (Band("TL1", 1, 30, D(1)), Band("TL2", 60, 31, D(1)), Band("TL3", 61, None, D(1)))
    problems = table_problems(table(late_bands=bad))
    assert Problem("late_bands", "band_low_above_high", {"code": "TL2", "low": 60, "high": 31}) in (
        problems
    )


def test_bands_are_checked_in_order_of_low():
    shuffled = tuple(reversed(DEFAULT_TABLE.late_bands))
    assert table_problems(table(late_bands=shuffled)) == []
    assert tpp_deductions([day("TL1", late_minutes=45)], table(late_bands=shuffled))[0].code == (
        "TL2"
    )


def test_several_problems_are_all_reported_in_field_order():
    bad = table(
        late_bands=bands("TL", (5, 30), (40, 50)),
        cap=D(200),
        leave_rates={"ZZ": D(-1)},
        missing_punch_minutes=0,
    )
    assert [(p.field, p.code) for p in table_problems(bad)] == [
        ("late_bands", "band_not_from_1"),
        ("late_bands", "band_gap"),
        ("late_bands", "band_not_open_ended"),
        ("cap", "rate_out_of_range"),
        ("leave_rates", "unknown_leave_code"),
        ("leave_rates", "rate_out_of_range"),
        ("missing_punch_minutes", "minutes_out_of_range"),
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"leave_rates": {code: D(1) for code in ("CT", "CB", "CS", "CM", "CAP", "CBER", "CLTN",
                                                 "SAKIT", "IZIN", "DL", "TB")}},
        {"cap": D(0), "discipline_share": D(100), "absent_rate": D(100)},
        {"missing_punch_minutes": 1},
        {"missing_punch_minutes": 1440},
        {"late_bands": bands("T", (1, None)), "early_bands": bands("P", (1, 1), (2, None))},
    ],
)  # fmt: skip
def test_valid_tables(changes):
    assert table_problems(table(**changes)) == []


# --- table snapshot ---

CUSTOM = TppTable(
    late_bands=(Band("A", 1, 15, D("0.50")), Band("B", 16, None, D("2.125"))),
    early_bands=(Band("P", 1, None, D("1")),),
    absent_rate=D("5.0"),
    missed_rollcall_rate=D("1.5"),
    discipline_share=D("70"),
    cap=D("90"),
    convert_minutes=False,
    missing_punch_minutes=120,
    leave_rates={"CS": D("1"), "CAP": D("0.25")},
)


@pytest.mark.parametrize("tpp", [DEFAULT_TABLE, CUSTOM])
def test_as_dict_round_trip(tpp):
    snapshot = tpp.as_dict()
    stored = json.loads(json.dumps(snapshot))
    restored = TppTable.from_dict(stored)
    assert restored == tpp
    assert restored.as_dict() == snapshot
    assert hash(restored) == hash(tpp)


def test_as_dict_keeps_decimal_digits_exactly():
    snapshot = CUSTOM.as_dict()
    assert snapshot["late_bands"][0]["rate"] == "0.50"
    assert snapshot["absent_rate"] == "5.0"
    assert list(snapshot["leave_rates"]) == ["CAP", "CS"]
    assert str(TppTable.from_dict(snapshot).late_bands[1].rate) == "2.125"


def test_from_dict_defaults_optional_keys():
    minimal = {k: DEFAULT_TABLE.as_dict()[k] for k in ("late_bands", "early_bands")}
    assert TppTable.from_dict(minimal) == DEFAULT_TABLE


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("late_bands"),
        lambda d: d["early_bands"][0].pop("low"),
        lambda d: d.update(absent_rate="four"),
        lambda d: d.update(cap=True),
        lambda d: d.update(convert_minutes="false"),
        lambda d: d["late_bands"][0].update(low="x"),
        lambda d: d.update(leave_rates={"CS": "1%"}),
    ],
)
def test_from_dict_rejects_malformed_data(mutate):
    data = DEFAULT_TABLE.as_dict()
    mutate(data)
    with pytest.raises(ValueError):
        TppTable.from_dict(data)


def test_table_is_frozen_and_copies_what_it_is_given():
    rates = {"CS": D(1)}
    late = list(DEFAULT_TABLE.late_bands)
    tpp = TppTable(late_bands=late, early_bands=DEFAULT_TABLE.early_bands, leave_rates=rates)
    rates["CS"] = D(50)
    late.clear()
    assert tpp.leave_rates == {"CS": D(1)}
    assert tpp.late_bands == DEFAULT_TABLE.late_bands
    with pytest.raises(TypeError):
        tpp.leave_rates["CT"] = D(1)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        tpp.cap = D(1)  # type: ignore[misc]


# --- PP 94/2021 ladder ---


def test_ladder_rungs():
    assert [(s.threshold, s.level) for s in LADDER] == [
        (3, LIGHT), (4, LIGHT), (7, LIGHT),
        (11, MODERATE), (14, MODERATE), (17, MODERATE),
        (21, HEAVY), (25, HEAVY), (28, HEAVY),
    ]  # fmt: skip
    assert not any(s.consecutive for s in LADDER)
    assert CONSECUTIVE_SANCTION.threshold == CONSECUTIVE_DAYS == 10
    assert CONSECUTIVE_SANCTION.level == HEAVY
    assert CONSECUTIVE_SANCTION.code == "discharge_consecutive"
    assert CONSECUTIVE_SANCTION.consecutive


@pytest.mark.parametrize(
    ("days", "code"),
    [
        (-1, None), (0, None), (2, None),
        (3, "verbal_warning"),
        (4, "written_warning"), (6, "written_warning"),
        (7, "written_dissatisfaction"), (10, "written_dissatisfaction"),
        (11, "tpp_cut_25_6m"), (13, "tpp_cut_25_6m"),
        (14, "tpp_cut_25_9m"), (16, "tpp_cut_25_9m"),
        (17, "tpp_cut_25_12m"), (20, "tpp_cut_25_12m"),
        (21, "demotion_12m"), (24, "demotion_12m"),
        (25, "release_from_position_12m"), (27, "release_from_position_12m"),
        (28, "discharge"), (40, "discharge"),
    ],
)  # fmt: skip
def test_sanction_for(days, code):
    sanction = sanction_for(days)
    assert (sanction.code if sanction else None) == code


@pytest.mark.parametrize(
    ("before", "after", "thresholds"),
    [
        (0, 3, [3]),
        (2, 8, [3, 4, 7]),
        (3, 3, []),
        (10, 11, [11]),
        (0, 30, [3, 4, 7, 11, 14, 17, 21, 25, 28]),
        (27, 28, [28]),
        (28, 40, []),
        (8, 2, []),
        (0, 2, []),
    ],
)
def test_thresholds_crossed(before, after, thresholds):
    assert [s.threshold for s in thresholds_crossed(before, after)] == thresholds


@pytest.mark.parametrize(
    ("minutes", "enabled", "days"),
    [
        (449, True, 0),
        (450, True, 1),
        (899, True, 1),
        (900, True, 2),
        (900, False, 0),
        (0, True, 0),
        (-450, True, 0),
    ],
)
def test_converted_days(minutes, enabled, days):
    assert converted_days(minutes, enabled=enabled) == days


@pytest.mark.parametrize(
    ("tk", "minutes", "convert", "total"),
    [(2, 900, True, 4), (2, 900, False, 2), (0, 449, True, 0), (3, 1349, True, 5), (0, 0, True, 0)],
)
def test_yearly_unexcused(tk, minutes, convert, total):
    assert yearly_unexcused(tk, minutes, convert=convert) == total


# --- consecutive unexcused working days ---


def calendar(*statuses: str, start: dt.date = MON) -> list[tuple[dt.date, str]]:
    """Consecutive calendar dates from `start`; "." is a shorthand for LIBUR."""
    return [
        (start + dt.timedelta(days=i), "LIBUR" if s == "." else s) for i, s in enumerate(statuses)
    ]


WEEK = ("TK",) * 5 + (".", ".")


@pytest.mark.parametrize(
    ("days", "longest", "reached"),
    [
        (calendar(*WEEK, *("TK",) * 5), 10, dt.date(2026, 3, 13)),
        (calendar(*WEEK, *("TK",) * 4, "HADIR"), 9, None),
        (calendar("HADIR", *("TK",) * 4, ".", ".", *("TK",) * 5), 9, None),
        # a weekend, then a Monday holiday and another weekend inside the run
        (calendar(*WEEK, ".", *("TK",) * 4, ".", ".", "TK"), 10, dt.date(2026, 3, 16)),
        (calendar(*WEEK, ".", *("TK",) * 4, ".", ".", "HADIR"), 9, None),
        (calendar(*("TK",) * 5, "HADIR", *("TK",) * 5), 5, None),
        (calendar(*("TK",) * 5, "CT", *("TK",) * 5), 5, None),
        (calendar(*("TK",) * 5, "TL1", *("TK",) * 5), 5, None),
        (calendar(*("TK",) * 5, "BELUM", *("TK",) * 5), 5, None),
        (calendar(*("TK",) * 12), 12, dt.date(2026, 3, 11)),
        (calendar(".", ".", "HADIR"), 0, None),
        ([], 0, None),
    ],
)
def test_consecutive_unexcused(days, longest, reached):
    assert consecutive_unexcused(days) == longest
    assert consecutive_reached(days) == reached
    shuffled = list(reversed(days))
    random.Random(7).shuffle(shuffled)
    assert consecutive_unexcused(shuffled) == longest
    assert consecutive_reached(shuffled) == reached


def test_dates_missing_from_the_input_do_not_break_a_run():
    days = [entry for entry in calendar(*WEEK, *("TK",) * 5) if entry[1] == "TK"]
    assert consecutive_unexcused(days) == 10


def test_consecutive_reached_gives_the_first_run_and_accepts_n():
    days = calendar("TK", "TK", "TK", "HADIR", "TK", "TK", "TK")
    assert consecutive_reached(days, 3) == MON + dt.timedelta(days=2)
    assert consecutive_reached(days, 4) is None
    assert consecutive_reached(iter(days), 1) == MON


def test_consecutive_reached_needs_a_positive_n():
    with pytest.raises(ValueError):
        consecutive_reached(calendar("TK"), 0)


def test_duplicate_dates():
    assert consecutive_unexcused(calendar("TK", "TK") * 2) == 2
    with pytest.raises(ValueError):
        consecutive_unexcused([(MON, "TK"), (MON, "HADIR")])


# --- rewards ---


def ontime(*entries: str | tuple[str, tuple[str, ...]]) -> list:
    out = []
    for i, entry in enumerate(entries):
        status, codes = (entry, ()) if isinstance(entry, str) else entry
        out.append((MON + dt.timedelta(days=i), status, codes))
    return out


@pytest.mark.parametrize(
    ("days", "streak"),
    [
        ([], 0),
        (ontime("HADIR", "HADIR", "HADIR", "LIBUR", "HADIR", "HADIR"), 5),
        (ontime("HADIR", "HADIR", "TL1", "HADIR"), 2),
        (ontime("HADIR", "PSW1", "HADIR", "HADIR", "HADIR"), 3),
        (ontime("HADIR", ("HADIR", ("HADIR", "PSW2")), "HADIR"), 1),
        (ontime("HADIR", "CT", "SAKIT", "DL", "BELUM", "HADIR"), 2),
        (ontime("HADIR", "HADIR", "TK", "HADIR"), 2),
        (ontime("TK", "TL2", "LIBUR"), 0),
    ],
)
def test_streak_on_time(days, streak):
    assert streak_on_time(days) == streak
    assert streak_on_time(reversed(days)) == streak


def month(employee_id=1, **kwargs) -> EmployeeMonthFacts:
    facts = dict(
        working_days=20,
        excused_days=2,
        present_days=18,
        on_time_days=18,
        unexcused_days=0,
        longest_on_time_streak=18,
        reports_required=20,
        reports_approved=20,
    )
    return EmployeeMonthFacts(employee_id=employee_id, **{**facts, **kwargs})


@pytest.mark.parametrize(
    ("facts", "perfect"),
    [
        (month(), True),
        (month(on_time_days=17), False),
        (month(unexcused_days=1), False),
        (month(excused_days=20, present_days=0, on_time_days=0), False),
        (month(working_days=0, excused_days=0, present_days=0, on_time_days=0), False),
        (month(excused_days=0, present_days=20, on_time_days=20), True),
    ],
)
def test_perfect_attendance(facts, perfect):
    assert perfect_attendance(facts) is perfect


def test_rank_perfect_attendance_ties_share_a_rank():
    facts = [
        month(1, working_days=22, excused_days=2, present_days=20, on_time_days=20),
        month(2, working_days=22, excused_days=0, present_days=22, on_time_days=22),
        month(3, working_days=23, excused_days=0, present_days=23, on_time_days=22),  # late once
        month(4, working_days=22, excused_days=0, present_days=22, on_time_days=22),
        month(5, working_days=22, excused_days=0, present_days=22, on_time_days=22,
              unexcused_days=1),
    ]  # fmt: skip
    assert rank_employees(facts, "perfect_attendance") == [
        Ranked(1, 2, D("22.00")),
        Ranked(1, 4, D("22.00")),
        Ranked(3, 1, D("20.00")),
    ]


def test_rank_on_time_streak_leaves_out_zero():
    facts = [month(1, longest_on_time_streak=0), month(2, longest_on_time_streak=4)]
    facts.append(month(3, longest_on_time_streak=9))
    assert [(r.rank, r.key) for r in rank_employees(facts, "on_time_streak")] == [(1, 3), (2, 2)]


def test_rank_reports_by_share_approved():
    facts = [
        month(1, reports_required=9, reports_approved=7),
        month(2, reports_required=0, reports_approved=0),
        month(3, reports_required=20, reports_approved=20),
        month(4, reports_required=3, reports_approved=0),
    ]
    assert rank_employees(facts, "reports") == [
        Ranked(1, 3, D("100.00")),
        Ranked(2, 1, D("77.78")),
        Ranked(3, 4, D("0.00")),
    ]


STREAKS = [10, 9, 9, 8]


@pytest.mark.parametrize(
    ("limit", "ranks"),
    [(None, [1, 2, 2, 4]), (1, [1]), (2, [1, 2, 2]), (3, [1, 2, 2]), (4, [1, 2, 2, 4]), (0, [])],
)
def test_rank_limit_keeps_ties_at_the_limit(limit, ranks):
    facts = [month(i, longest_on_time_streak=s) for i, s in enumerate(STREAKS, 1)]
    ranked = rank_employees(facts, "on_time_streak", limit=limit)
    assert [r.rank for r in ranked] == ranks


def test_rank_default_limit_is_ten():
    facts = [month(i, longest_on_time_streak=i) for i in range(1, 13)]
    ranked = rank_employees(facts, "on_time_streak")
    assert [r.key for r in ranked] == list(range(12, 2, -1))


@pytest.mark.parametrize("category", ["", "punctuality", "PERFECT_ATTENDANCE"])
def test_rank_employees_unknown_category(category):
    with pytest.raises(ValueError):
        rank_employees([month()], category)


def test_categories():
    assert EMPLOYEE_CATEGORIES == ("perfect_attendance", "on_time_streak", "reports")
    assert UNIT_CATEGORIES == ("attendance_rate", "punctuality", "report_completion")
    for category in EMPLOYEE_CATEGORIES:
        assert rank_employees([], category) == []


def unit(unit_id=1, **kwargs) -> UnitMonthFacts:
    facts = dict(
        expected_days=200,
        present_days=190,
        on_time_days=171,
        reports_required=3,
        reports_approved=2,
    )
    return UnitMonthFacts(unit_id=unit_id, **{**facts, **kwargs})


@pytest.mark.parametrize(
    ("facts", "category", "score"),
    [
        (unit(), "attendance_rate", D("95.00")),
        (unit(), "punctuality", D("90.00")),
        (unit(), "report_completion", D("66.67")),
        (unit(expected_days=0), "attendance_rate", None),
        (unit(present_days=0, on_time_days=0), "punctuality", None),
        (unit(reports_required=0, reports_approved=0), "report_completion", None),
        (unit(present_days=0, on_time_days=0), "attendance_rate", D("0.00")),
    ],
)
def test_unit_score(facts, category, score):
    assert unit_score(facts, category) == score
    if score is not None:
        assert score.as_tuple().exponent == -2


def test_unit_score_unknown_category():
    with pytest.raises(ValueError):
        unit_score(unit(), "reports")


def test_rank_units():
    facts = [
        unit(1, expected_days=100, present_days=90),
        unit(2, expected_days=0, present_days=0),
        unit(3, expected_days=50, present_days=45),
        unit(4, expected_days=100, present_days=99),
        unit(5, expected_days=10, present_days=8),
    ]
    assert rank_units(facts, "attendance_rate") == [
        Ranked(1, 4, D("99.00")),
        Ranked(2, 1, D("90.00")),
        Ranked(2, 3, D("90.00")),
        Ranked(4, 5, D("80.00")),
    ]
    assert [r.key for r in rank_units(facts, "attendance_rate", limit=2)] == [4, 1, 3]
    with pytest.raises(ValueError):
        rank_units(facts, "perfect_attendance")
