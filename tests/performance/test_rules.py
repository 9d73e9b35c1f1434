"""Daily-report and performance rules (DOMAIN.md sections 1, 6, 7): pure, table-driven."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sigap.arrangements.rules import Mode
from sigap.performance.rules import (
    DAY_MINUTES,
    KNOWN_MODES,
    PREDICATE_BANDS,
    WEEKLY_MINUTES,
    ActivityIn,
    DayPlan,
    EmployeeMonth,
    EmployeeMonthInput,
    Issue,
    IssueCode,
    ReportFacts,
    ReportSettings,
    TaskProgress,
    TaskTarget,
    counts_as_unexcused,
    employee_month,
    expected_minutes,
    missing_report_flag,
    next_working_day,
    percent,
    performance_part_pct,
    predicate_for,
    report_date_issue,
    report_deadline,
    report_editable,
    report_is_late,
    report_required,
    total_minutes,
    unexcused_reason,
    unit_month,
    validate_activities,
)

D = date.fromisoformat
DT = datetime.fromisoformat
WITA = ZoneInfo("Asia/Makassar")
DEFAULT = ReportSettings()
WFO_REQUIRED = ReportSettings(required_on_wfo=True)
LENIENT = ReportSettings(wfh_requires_approved_report=False)
HOLIDAYS_2026 = frozenset({D("2026-01-01"), D("2026-03-20"), D("2026-12-25")})


def act(**changes: object) -> ActivityIn:
    """A valid activity, changed where a test says so."""
    fields: dict[str, object] = {
        "description": "Menyusun laporan kegiatan",
        "output_qty": 1,
        "output_unit": "dokumen",
        "minutes": 60,
        "evidence_url": None,
        "task_id": None,
    }
    fields.update(changes)
    return ActivityIn(**fields)  # type: ignore[arg-type]


def codes(activities: list[ActivityIn], settings: ReportSettings = DEFAULT) -> list[tuple]:
    return [(i.code, i.index) for i in validate_activities(activities, settings=settings)]


# --- module hygiene -----------------------------------------------------------------------


def test_rules_import_no_django() -> None:
    """The rules load in a bare interpreter without pulling in Django."""
    code = (
        "import sys, sigap.performance.rules; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_issue_codes_are_stable() -> None:
    assert {c.value for c in IssueCode} == {
        "no_activities",
        "empty_description",
        "minutes_not_positive",
        "minutes_too_many",
        "day_over_24h",
        "negative_output",
        "output_unit_required",
        "too_many_activities",
        "description_too_long",
        "evidence_url_invalid",
    }


def test_settings_defaults() -> None:
    assert DEFAULT.deadline_time == time(10, 0)
    assert DEFAULT.required_on_wfo is False
    assert DEFAULT.wfh_requires_approved_report is True
    assert (DEFAULT.max_activity_minutes, DEFAULT.max_activities, DEFAULT.max_description) == (
        1440,
        30,
        2000,
    )


@pytest.mark.parametrize(
    "changes",
    [{"max_activity_minutes": 0}, {"max_activity_minutes": 1441}, {"max_activities": 0}],
)
def test_settings_refuse_absurd_limits(changes: dict) -> None:
    with pytest.raises(ValueError):
        ReportSettings(**changes)


# --- validation ---------------------------------------------------------------------------

NC, ED, DTL = IssueCode.NO_ACTIVITIES, IssueCode.EMPTY_DESCRIPTION, IssueCode.DESCRIPTION_TOO_LONG
MNP, MTM, D24 = IssueCode.MINUTES_NOT_POSITIVE, IssueCode.MINUTES_TOO_MANY, IssueCode.DAY_OVER_24H
NEG, UNIT, URL = (
    IssueCode.NEGATIVE_OUTPUT,
    IssueCode.OUTPUT_UNIT_REQUIRED,
    IssueCode.EVIDENCE_URL_INVALID,
)
TMA = IssueCode.TOO_MANY_ACTIVITIES


@pytest.mark.parametrize(
    ("activities", "expected"),
    [
        pytest.param([], [(NC, None)], id="no-activities"),
        pytest.param([act()], [], id="valid"),
        pytest.param([act(description="")], [(ED, 0)], id="empty-description"),
        pytest.param([act(description=" \n\t ")], [(ED, 0)], id="blank-description"),
        pytest.param([act(description="x" * 2000)], [], id="description-at-max"),
        pytest.param([act(description="  " + "x" * 2000 + "  ")], [], id="padding-not-counted"),
        pytest.param([act(description="x" * 2001)], [(DTL, 0)], id="description-over-max"),
        pytest.param([act(minutes=0)], [(MNP, 0)], id="zero-minutes"),
        pytest.param([act(minutes=-30)], [(MNP, 0)], id="negative-minutes"),
        pytest.param([act(minutes=1)], [], id="one-minute"),
        pytest.param([act(minutes=1440)], [], id="one-activity-24h"),
        pytest.param([act(minutes=1441)], [(MTM, 0), (D24, None)], id="one-activity-over-24h"),
        pytest.param([act(minutes=720), act(minutes=720)], [], id="day-exactly-24h"),
        pytest.param([act(minutes=720), act(minutes=721)], [(D24, None)], id="day-24h-plus-1"),
        pytest.param(
            [act(minutes=1440), act(minutes=-60), act(minutes=1)],
            [(MNP, 1), (D24, None)],
            id="negative-does-not-offset-total",
        ),
        pytest.param([act(output_qty=-1)], [(NEG, 0)], id="negative-output"),
        pytest.param([act(output_qty=Decimal("-0.5"))], [(NEG, 0)], id="negative-decimal"),
        pytest.param([act(output_qty=0, output_unit="")], [], id="zero-output-no-unit"),
        pytest.param([act(output_qty=1, output_unit="")], [(UNIT, 0)], id="output-no-unit"),
        pytest.param([act(output_qty=0.5, output_unit="  ")], [(UNIT, 0)], id="blank-unit"),
        pytest.param([act(minutes=1)] * 30, [], id="30-activities"),
        pytest.param([act(minutes=1)] * 31, [(TMA, None)], id="31-activities"),
        pytest.param(
            [act(), act(description="", minutes=0, output_qty=-2, evidence_url="ftp://x.id/a")],
            [(ED, 1), (MNP, 1), (NEG, 1), (URL, 1)],
            id="all-problems-of-a-line",
        ),
    ],
)
def test_validate_activities(activities: list[ActivityIn], expected: list[tuple]) -> None:
    assert codes(activities) == expected


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("https://drive.example.go.id/file/123", True),
        ("http://10.0.0.5/bukti.pdf", True),
        ("HTTPS://Example.com/a?b=c#d", True),
        ("https://[2001:db8::1]/x", True),
        ("https://example.com:8443/x", True),
        ("ftp://example.com/file", False),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("example.com/bukti.jpg", False),
        ("//example.com/bukti.jpg", False),
        ("https://", False),
        ("http:///path-only", False),
        ("https://user:secret@example.com/", False),
        ("https://exa mple.com/", False),
        ("https://example.com/\x00", False),
        ("http://[::1", False),
        ("https://example.com/" + "a" * 2000, False),
    ],
)
def test_evidence_url(url: str | None, valid: bool) -> None:
    assert codes([act(evidence_url=url)]) == ([] if valid else [(URL, 0)])


def test_custom_activity_cap() -> None:
    settings = ReportSettings(max_activity_minutes=480, max_activities=2, max_description=10)
    assert codes([act(minutes=480, description="x" * 10)], settings) == []
    lines = [act(minutes=481, description="short")] * 3
    over = [(MTM, i) for i in range(3)]
    assert codes(lines, settings) == [(TMA, None), *over, (D24, None)]  # 1443 min in all


def test_issue_details() -> None:
    issues = validate_activities(
        [act(minutes=900), act(minutes=600, description="x" * 2001)], settings=DEFAULT
    )
    assert issues == [
        Issue(DTL, 1, "description", {"max": 2000, "length": 2001}),
        Issue(D24, None, "minutes", {"max": 1440, "total": 1500}),
    ]
    assert validate_activities([], settings=DEFAULT) == [Issue(NC, None, "activities")]


def test_total_minutes_ignores_non_positive() -> None:
    assert total_minutes([act(minutes=90), act(minutes=-30), act(minutes=0)]) == 90
    assert DAY_MINUTES == 24 * 60


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "holidays", "weekend", "expected"),
    [
        ("2026-06-01", (), (5, 6), "2026-06-02"),  # Monday -> Tuesday
        ("2026-06-05", (), (5, 6), "2026-06-08"),  # Friday -> Monday
        ("2026-06-06", (), (5, 6), "2026-06-08"),  # Saturday -> Monday
        ("2026-03-19", HOLIDAYS_2026, (5, 6), "2026-03-23"),  # Thursday, Friday holiday
        ("2025-12-31", HOLIDAYS_2026, (5, 6), "2026-01-02"),  # year end, 1 January holiday
        ("2026-12-24", HOLIDAYS_2026, (5, 6), "2026-12-28"),  # Christmas Friday + weekend
        ("2026-12-31", {D("2027-01-01")}, (5, 6), "2027-01-04"),  # year end into a weekend
        ("2026-06-05", (), (6,), "2026-06-06"),  # six-day week: Saturday works
        ("2026-06-05", {D("2026-06-06")}, (), "2026-06-07"),  # shift unit, no weekend
    ],
)
def test_next_working_day(day: str, holidays, weekend, expected: str) -> None:
    assert next_working_day(D(day), holidays=holidays, weekend=weekend) == D(expected)


def test_next_working_day_long_holiday() -> None:
    lebaran = {D("2026-03-20") + timedelta(days=i) for i in range(10)}  # to 29 March
    assert next_working_day(D("2026-03-19"), holidays=lebaran) == D("2026-03-30")


def test_next_working_day_without_any_working_day() -> None:
    with pytest.raises(ValueError):
        next_working_day(D("2026-06-01"), holidays=(), weekend=range(7))


def test_report_deadline() -> None:
    assert report_deadline(
        D("2026-06-05"), next_working_day=D("2026-06-08"), settings=DEFAULT
    ) == DT("2026-06-08 10:00")
    noon = ReportSettings(deadline_time=time(12, 30))
    assert report_deadline(D("2026-06-05"), next_working_day=D("2026-06-08"), settings=noon) == DT(
        "2026-06-08 12:30"
    )
    with pytest.raises(ValueError):
        report_deadline(D("2026-06-05"), next_working_day=D("2026-06-05"), settings=DEFAULT)


@pytest.mark.parametrize(
    ("submitted", "late"),
    [
        ("2026-06-05 16:00:00", False),
        ("2026-06-08 09:59:59", False),
        ("2026-06-08 10:00:00", False),
        ("2026-06-08 10:00:00.999999", False),
        ("2026-06-08 10:00:01", True),
        ("2026-06-09 08:00:00", True),
    ],
)
def test_report_is_late(submitted: str, late: bool) -> None:
    deadline = report_deadline(D("2026-06-05"), next_working_day=D("2026-06-08"), settings=DEFAULT)
    assert report_is_late(DT(submitted), deadline) is late
    aware = deadline.replace(tzinfo=WITA)
    assert report_is_late(DT(submitted).replace(tzinfo=WITA), aware) is late


def test_report_is_late_refuses_mixed_naive_and_aware() -> None:
    with pytest.raises(TypeError):
        report_is_late(DT("2026-06-08 10:00").replace(tzinfo=WITA), DT("2026-06-08 10:00"))


@pytest.mark.parametrize(
    ("status", "editable"), [("submitted", True), ("returned", True), ("approved", False)]
)
def test_report_editable(status: str, editable: bool) -> None:
    assert report_editable(status) is editable


def test_report_editable_unknown_status() -> None:
    with pytest.raises(ValueError):
        report_editable("draft")


@pytest.mark.parametrize(
    ("work_date", "issue"),
    [("2026-06-04", None), ("2026-06-05", None), ("2026-06-06", "in_the_future")],
)
def test_report_date_issue(work_date: str, issue: str | None) -> None:
    assert report_date_issue(D(work_date), D("2026-06-05")) == issue


# --- duty to report and its consequence ---------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "default", "wfo_required"),
    [
        ("WFH", True, True),
        ("WFA", True, True),
        ("WFO", False, True),
        ("DL", False, False),
        ("OFF", False, False),
        (None, False, False),
        (Mode.WFH, True, True),
        (Mode.WFO, False, True),
    ],
)
def test_report_required(mode: str | None, default: bool, wfo_required: bool) -> None:
    assert report_required(mode=mode, settings=DEFAULT) is default
    assert report_required(mode=mode, settings=WFO_REQUIRED) is wfo_required


def test_modes_match_the_arrangement_modes() -> None:
    assert {m.value for m in Mode} == KNOWN_MODES


@pytest.mark.parametrize("mode", ["wfh", "HOME", ""])
def test_unknown_mode_is_refused(mode: str) -> None:
    with pytest.raises(ValueError):
        report_required(mode=mode, settings=DEFAULT)
    with pytest.raises(ValueError):
        counts_as_unexcused(mode=mode, report_status=None, month_closed=True, settings=DEFAULT)


@pytest.mark.parametrize(
    ("required", "submitted", "deadline_passed"),
    list(itertools.product([False, True], repeat=3)),
)
def test_missing_report_flag(required: bool, submitted: bool, deadline_passed: bool) -> None:
    flagged = missing_report_flag(
        required=required, submitted=submitted, deadline_passed=deadline_passed
    )
    assert flagged is (required and not submitted and deadline_passed)


# The only (mode, status) pairs that cost an unexcused day, and why.
COUNTING: dict[tuple[str | None, str | None], str] = {
    ("WFH", None): "report_missing",
    ("WFH", "returned"): "report_returned",
    ("WFA", None): "report_missing",
    ("WFA", "returned"): "report_returned",
}


@pytest.mark.parametrize(
    ("mode", "status", "closed", "settings"),
    list(
        itertools.product(
            ["WFH", "WFA", "WFO", "DL", "OFF", None],
            [None, "submitted", "approved", "returned"],
            [False, True],
            [DEFAULT, LENIENT, WFO_REQUIRED],
        )
    ),
)
def test_counts_as_unexcused_table(
    mode: str | None, status: str | None, closed: bool, settings: ReportSettings
) -> None:
    expected = (
        COUNTING.get((mode, status)) if closed and settings.wfh_requires_approved_report else None
    )
    reason = unexcused_reason(
        mode=mode, report_status=status, month_closed=closed, settings=settings
    )
    counts = counts_as_unexcused(
        mode=mode, report_status=status, month_closed=closed, settings=settings
    )
    assert (reason, counts) == (expected, expected is not None)


def test_unexcused_unknown_status() -> None:
    with pytest.raises(ValueError):
        unexcused_reason(mode="WFH", report_status="lost", month_closed=True, settings=DEFAULT)


# --- expected hours -----------------------------------------------------------------------

MONDAY = D("2026-06-01")


def week(minutes: int = 450, *, holidays=(), leave=(), dl=(), weekend: bool = False) -> list:
    """Mon-Fri plans of one week (days given as 0..4); with `weekend`, Sat and Sun too.

    `dl` days stay plain working days: official travel is work elsewhere.
    """
    days = [
        DayPlan(MONDAY + timedelta(days=i), i not in holidays, minutes, i in leave)
        for i in range(5)
    ]
    if weekend:
        days += [DayPlan(MONDAY + timedelta(days=i), False, 0) for i in (5, 6)]
    return days


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param(week(), 2250, id="normal-week-37.5h"),
        pytest.param(week(weekend=True), 2250, id="with-weekend-days"),
        pytest.param(week(holidays=(3,)), 1800, id="one-holiday"),
        pytest.param(week(390), 1950, id="ramadan-week-32.5h"),
        pytest.param(week(390, holidays=(4,)), 1560, id="ramadan-week-with-holiday"),
        pytest.param(week(leave=(0, 1)), 1350, id="two-leave-days"),
        pytest.param(week(dl=(2,)), 2250, id="dl-is-expected"),
        pytest.param(week(holidays=(0,), leave=(0, 1)), 1350, id="leave-on-holiday-once"),
        pytest.param([], 0, id="nothing"),
    ],
)
def test_expected_minutes(days: list[DayPlan], expected: int) -> None:
    assert expected_minutes(days) == expected


def test_normal_week_is_the_weekly_norm() -> None:
    assert WEEKLY_MINUTES == 2250 == expected_minutes(week())


@pytest.mark.parametrize(
    "days",
    [week() + [DayPlan(MONDAY, True, 450)], [DayPlan(MONDAY, True, -1)]],
    ids=["duplicate-date", "negative-minutes"],
)
def test_expected_minutes_refuses_bad_plans(days: list[DayPlan]) -> None:
    with pytest.raises(ValueError):
        expected_minutes(days)


# --- percentages, predicates, TPP share ---------------------------------------------------


@pytest.mark.parametrize(
    ("done", "target", "pct"),
    [
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 16, 6.3),  # 6.25 rounds half up
        (1, 8, 12.5),
        (0, 10, 0.0),
        (5, 4, 125.0),
        (Decimal("2.5"), 10, 25.0),
        (10, 0, 0.0),
        (10, -5, 0.0),
    ],
)
def test_percent(done, target, pct: float) -> None:
    assert percent(done, target) == pct


@pytest.mark.parametrize(
    ("pct", "predicate"),
    [
        (250.0, "Sangat Baik"),
        (110.0, "Sangat Baik"),
        (109.9, "Baik"),
        (90.0, "Baik"),
        (89.9, "Butuh Perbaikan"),
        (70.0, "Butuh Perbaikan"),
        (69.9, "Kurang"),
        (50.0, "Kurang"),
        (49.9, "Sangat Kurang"),
        (0.0, "Sangat Kurang"),
        (-1.0, "Sangat Kurang"),
    ],
)
def test_predicate_bands(pct: float, predicate: str) -> None:
    assert predicate_for(pct) == predicate


def test_predicate_bands_are_data() -> None:
    assert PREDICATE_BANDS == (
        (110, "Sangat Baik"),
        (90, "Baik"),
        (70, "Butuh Perbaikan"),
        (50, "Kurang"),
        (0, "Sangat Kurang"),
    )
    agency = ((100, "Sangat Baik"), (80, "Baik"), (0, "Kurang"))
    assert predicate_for(100, agency) == "Sangat Baik"
    assert predicate_for(99.9, agency) == "Baik"
    with pytest.raises(ValueError):
        predicate_for(50, ((0, "Kurang"), (100, "Baik")))
    with pytest.raises(ValueError):
        predicate_for(50, ())


@pytest.mark.parametrize(
    ("achievement", "cap", "share"),
    [
        (125.0, 100, 100.0),
        (100.0, 100, 100.0),
        (75.5, 100, 75.5),
        (0.0, 100, 0.0),
        (-3.0, 100, 0.0),
        (95.0, 90, 90.0),
    ],
)
def test_performance_part_pct(achievement: float, cap: float, share: float) -> None:
    assert performance_part_pct(achievement, cap=cap) == share


def test_performance_part_default_cap_and_bad_cap() -> None:
    assert performance_part_pct(130.0) == 100.0
    with pytest.raises(ValueError):
        performance_part_pct(50.0, cap=0)


# --- monthly recap ------------------------------------------------------------------------


def report(day: str, status: str, minutes: int, late: bool = False) -> ReportFacts:
    return ReportFacts(D(day), status, minutes, late)


MONTH = EmployeeMonthInput(
    employee_id=42,
    expected_minutes=900,
    reports=(
        report("2026-06-01", "approved", 450),
        report("2026-06-02", "approved", 400, late=True),
        report("2026-06-03", "submitted", 450),
        report("2026-06-04", "returned", 300, late=True),
    ),
    required_days=tuple(D(f"2026-06-0{d}") for d in (1, 2, 3, 4, 5, 8)),
    outputs={7: 6, 3: 5, 99: 2},
    targets={7: TaskTarget(10, "dokumen", D("2026-06-30")), 3: TaskTarget(4, "laporan")},
)


def test_employee_month() -> None:
    assert employee_month(MONTH) == EmployeeMonth(
        employee_id=42,
        approved_minutes=850,  # submitted and returned minutes do not count
        submitted_minutes=1600,
        expected_minutes=900,
        achievement_pct=94.4,
        reports_submitted=4,
        reports_pending=1,
        reports_approved=2,
        reports_returned=1,
        reports_late=2,
        reports_missing=2,  # 5 and 8 June
        task_progress=(TaskProgress(3, 5, 4, 125.0), TaskProgress(7, 6, 10, 60.0)),
        predicate="Baik",
    )


@pytest.mark.parametrize(
    ("approved", "expected", "pct", "predicate"),
    [
        (2475, 2250, 110.0, "Sangat Baik"),  # raw, above 100
        (2250, 2250, 100.0, "Baik"),
        (1125, 2250, 50.0, "Kurang"),
        (450, 0, 0.0, "Sangat Kurang"),  # nothing expected (a month of leave)
        (0, 2250, 0.0, "Sangat Kurang"),
    ],
)
def test_employee_achievement(approved: int, expected: int, pct: float, predicate: str) -> None:
    data = EmployeeMonthInput(1, expected, (report("2026-06-01", "approved", approved),))
    month = employee_month(data)
    assert (month.achievement_pct, month.predicate) == (pct, predicate)


def test_employee_month_without_reports() -> None:
    month = employee_month(EmployeeMonthInput(1, 2250, (), required_days=(MONDAY,)))
    assert (month.reports_submitted, month.reports_missing, month.task_progress) == (0, 1, ())
    assert month.predicate == "Sangat Kurang"


@pytest.mark.parametrize(
    "reports",
    [
        (report("2026-06-01", "approved", 60), report("2026-06-01", "submitted", 60)),
        (report("2026-06-01", "draft", 60),),
    ],
    ids=["two-reports-one-day", "unknown-status"],
)
def test_employee_month_refuses_bad_input(reports: tuple[ReportFacts, ...]) -> None:
    with pytest.raises(ValueError):
        employee_month(EmployeeMonthInput(1, 2250, reports))


def person(employee_id: int, approved: int, missing: int = 0, expected: int = 1000):
    required = tuple(MONDAY + timedelta(days=10 + i) for i in range(missing))
    reports = (report("2026-06-01", "approved", approved, late=True),)
    return employee_month(EmployeeMonthInput(employee_id, expected, reports, required))


def test_unit_month_totals_and_ranking() -> None:
    months = [
        person(5, 900, missing=1),
        person(2, 900),
        person(9, 950),
        person(1, 900, missing=1),
        person(3, 0, expected=500),
    ]
    unit = unit_month(months)
    assert unit.ranking == ((9, 95.0), (2, 90.0), (1, 90.0), (5, 90.0), (3, 0.0))
    assert (unit.employees, unit.approved_minutes, unit.expected_minutes) == (5, 3650, 4500)
    assert unit.achievement_pct == 81.1  # 3650 / 4500, not the mean of the percentages
    assert unit.predicate == "Butuh Perbaikan"
    assert (unit.reports_submitted, unit.reports_approved, unit.reports_late) == (5, 5, 5)
    assert (unit.reports_missing, unit.reports_pending, unit.reports_returned) == (2, 0, 0)


def test_unit_month_empty_and_duplicates() -> None:
    empty = unit_month([])
    assert (empty.employees, empty.achievement_pct, empty.ranking) == (0, 0.0, ())
    with pytest.raises(ValueError):
        unit_month([person(1, 100), person(1, 200)])
