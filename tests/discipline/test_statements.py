"""Monthly TPP statements: lines computed from days, roll calls and reports against a
hand-computed month; frozen when the month is locked; recomputed when a day of an open
month changes; a table change never alters a locked month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.arrangements.models import EntryReason, Mode, RosterEntry
from sigap.attendance.services import attendance_day_recompute
from sigap.discipline.models import TppStatement, TppTableVersion
from sigap.discipline.statements import statement_for, statements_freeze_due, statements_refresh
from sigap.discipline.tables import default_version, version_problems
from tests.discipline.conftest import at, day, missed_rollcall
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def october(org):
    """Staff 1's October (hand-computed: 1 + 1.5 + 4 + 1.5 + 2 = 10 % of the discipline
    part): TL2 45 min; TL1 10 min + PSW2 40 min; TK; TL4 for a missing check-in; leave
    (nothing); a missed roll call on a present day (2 %) and one on a sick day (excused)."""
    person = org.staff[0]
    day(person, dt.date(2026, 10, 1), "TL2", late=45)
    day(person, dt.date(2026, 10, 2), "TL1", codes=["TL1", "PSW2"], late=10, early=40)
    day(person, dt.date(2026, 10, 5), "TK")
    day(person, dt.date(2026, 10, 6), "TL4", flags=["no_check_in"])
    day(person, dt.date(2026, 10, 7), "CT")
    day(person, dt.date(2026, 10, 12), "HADIR")
    missed_rollcall(person, dt.date(2026, 10, 12))
    day(person, dt.date(2026, 10, 19), "SAKIT")
    missed_rollcall(person, dt.date(2026, 10, 19))
    return person


def test_a_locked_month_is_computed_line_by_line_and_frozen(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    person = october(org)
    statement = statement_for(employee=person, year=2026, month=10)
    assert [(x["date"], x["code"], x["rate"], x["reason"]) for x in statement.lines] == [
        ("2026-10-01", "TL2", "1", ""),
        ("2026-10-02", "TL1", "0.5", ""),
        ("2026-10-02", "PSW2", "1", ""),
        ("2026-10-05", "TK", "4", ""),
        ("2026-10-06", "TL4", "1.5", "no_check_in"),
        ("2026-10-12", "APEL", "2", ""),
    ]
    assert statement.deduction_pct == Decimal("10.00")
    assert statement.discipline_pct == Decimal("54.00")  # 60 % x (100 - 10) %
    assert statement.final_pct == statement.discipline_pct + statement.performance_pct
    assert statement.counts == {"TL2": 1, "TL1": 1, "PSW2": 1, "TK": 1, "TL4": 1, "APEL": 1}
    assert statement.tk_days == 1
    assert statement.late_early_minutes == 45 + 10 + 40 + 91  # a missing punch counts 91
    assert statement.frozen_at is not None and statement.table_version is None
    assert statement.table["absent_rate"] == "4"  # the shipped defaults, kept with it


def test_a_frozen_month_never_changes_with_the_table_or_the_days(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    person = october(org)
    before = statement_for(employee=person, year=2026, month=10)
    version = default_version(
        agency=org.agency, effective_from=dt.date(2026, 10, 1), name="Perbup baru"
    )
    version.absent_rate = Decimal("10")
    version.save()
    day(person, dt.date(2026, 10, 8), "TK")
    statements_refresh(agency=org.agency, year=2026, month=10)
    after = TppStatement.objects.get(pk=before.pk)
    assert after.lines == before.lines and after.final_pct == before.final_pct
    assert after.frozen_at == before.frozen_at


def test_a_version_used_by_a_frozen_month_is_read_only(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    version = default_version(agency=org.agency, effective_from=dt.date(2026, 9, 1), name="2026")
    person = october(org)
    statement = statement_for(employee=person, year=2026, month=10)
    assert statement.table_version == version
    problems = version_problems(version, version.bands.all(), version.leave_rates.all())
    assert "10/2026" in " ".join(problems["__all__"])


def test_an_open_month_is_provisional_and_follows_an_approved_sick_day(
    org, freeze, django_capture_on_commit_callbacks, celery_eager
):
    freeze(2026, 11, 24, 9, 0)
    person = org.staff[1]
    day(person, dt.date(2026, 11, 16), "TK")
    first = statement_for(employee=person, year=2026, month=11)
    assert first.frozen_at is None and [x["code"] for x in first.lines] == ["TK"]
    # an approved sick note plans the day OFF (SAKIT) and recomputes it: the statement follows
    RosterEntry.objects.create(
        employee=person,
        date=dt.date(2026, 11, 16),
        mode=Mode.OFF,
        reason=EntryReason.REQUEST,
        absence_code="SAKIT",
        changed_at=at(dt.date(2026, 11, 17)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        attendance_day_recompute(employee=person, date=dt.date(2026, 11, 16))
    refreshed = TppStatement.objects.get(pk=first.pk)
    assert refreshed.lines == [] and refreshed.deduction_pct == 0
    assert refreshed.computed_at >= first.computed_at


def test_the_nightly_freeze_freezes_last_month_once_it_locks(org, freeze):
    freeze(2026, 11, 4, 20, 0)  # the clarification deadline: still open
    october(org)
    statements_refresh(agency=org.agency, year=2026, month=10)
    october_rows = TppStatement.objects.filter(year=2026, month=10)
    assert not october_rows.filter(frozen_at__isnull=False).exists()
    statements_freeze_due(agency=org.agency)  # September and August are locked already
    assert not october_rows.filter(frozen_at__isnull=False).exists()
    freeze(2026, 11, 5, 1, 0)
    assert statements_freeze_due(agency=org.agency) == october_rows.count() == 7
    assert not october_rows.filter(frozen_at__isnull=True).exists()
    assert statements_freeze_due(agency=org.agency) == 0  # once


def test_leave_rates_of_a_version_apply(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    version = default_version(agency=org.agency, effective_from=dt.date(2026, 11, 1), name="v")
    version.leave_rates.create(code="CS", rate=Decimal("0.75"))
    person = org.staff[2]
    day(person, dt.date(2026, 11, 2), "CS")
    day(person, dt.date(2026, 11, 3), "CS")
    statement = statement_for(employee=person, year=2026, month=11)
    assert [(x["code"], x["rate"]) for x in statement.lines] == [("CS", "0.75"), ("CS", "0.75")]
    assert statement.table_version == version


def test_a_whole_unit_is_computed_in_bounded_queries(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    for person in org.staff:
        day(person, dt.date(2026, 11, 2), "TL1", late=5)
    with CaptureQueriesContext(connection) as small:
        statements_refresh(agency=org.agency, year=2026, month=11)
    TppStatement.objects.all().delete()
    for _n in range(12):
        extra = EmployeeFactory(agency=org.agency, unit=org.opd, supervisor=org.boss)
        day(extra, dt.date(2026, 11, 3), "TK")
        missed_rollcall(extra, dt.date(2026, 11, 9))
    with CaptureQueriesContext(connection) as large:
        written = statements_refresh(agency=org.agency, year=2026, month=11)
    assert written == TppStatement.objects.count() == 5 + 12 + 2  # both OPDs' people
    assert len(large.captured_queries) <= len(small.captured_queries) + 2


def test_overlapping_versions_and_dates_are_refused(org):
    default_version(agency=org.agency, effective_from=dt.date(2026, 1, 1), name="2026")
    clash = TppTableVersion(
        agency=org.agency,
        name="Baru",
        effective_from=dt.date(2026, 6, 15),
        effective_until=dt.date(2026, 7, 30),
        absent_rate=Decimal("4"),
        missed_rollcall_rate=Decimal("2"),
        discipline_share=Decimal("101"),
        cap=Decimal("100"),
    )
    problems = version_problems(clash, [], [])
    assert (
        "first day of a month" in " ".join(problems["effective_from"]).lower()
        or problems["effective_from"]
    )
    assert any("2026" in m for m in problems["effective_from"])  # names the overlapped one
    assert problems["effective_until"]
    assert problems["discipline_share"] and problems["late_bands"]
