"""The monthly recap selectors on a small fixture: expected hours (a normal week, Ramadan,
a holiday and leave pro rata), approved vs submitted minutes, missing required days, task
progress, bounded queries for a unit, and the days that count as TK once the month closes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.arrangements.models import Mode
from sigap.attendance.models import AttendanceDay
from sigap.performance import recap
from sigap.performance.models import Activity, DailyReport, Task, TaskStatus
from sigap.worktime.models import Holiday, HolidayKind, RamadanPeriod
from sigap.worktime.selectors import calendar_changed
from tests.arrangements.conftest import plan
from tests.factories import EmployeeFactory, UnitFactory

pytestmark = pytest.mark.django_db

NOV = (2026, 11)  # 21 working days (Mon 2 .. Mon 30), no national holiday
AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def d(day: int) -> dt.date:
    return dt.date(2026, 11, day)


def report(employee, day, status="approved", minutes=450, late=False):
    return DailyReport.objects.create(
        employee=employee,
        date=day,
        status=status,
        total_minutes=minutes,
        late=late,
        submitted_at=AT,
    )


def activity(rep, task=None, qty=1, minutes=60, order=0):
    return Activity.objects.create(
        report=rep,
        order=order,
        description="kerja",
        output_qty=qty,
        output_unit="dokumen",
        minutes=minutes,
        task=task,
    )


def task(employee, *, due, qty=10, status=TaskStatus.OPEN, created=AT, title="Tugas"):
    return Task.objects.create(
        assignee=employee,
        title=title,
        target_qty=qty,
        target_unit="dokumen",
        due=due,
        status=status,
        created_at=created,
    )


def leave_day(employee, day, code="CT"):
    return AttendanceDay.objects.create(
        employee=employee,
        date=day,
        status=code,
        codes=[code],
        rule_version="t",
        updated_at=AT,
    )


def week(employee, start):
    people = type(employee).objects.filter(pk=employee.pk)
    work = recap.WorkDays(
        agency=employee.agency, people=people, start=start, end=start + dt.timedelta(days=6)
    )
    return work.days(work.people[0])


def test_a_normal_week_is_37_and_a_half_hours(office_worker):
    days = week(office_worker, d(23))
    assert sum(x.minutes for x in days) == 2250
    assert [x.working for x in days] == [True] * 5 + [False] * 2


def test_a_ramadan_week_is_32_and_a_half_hours(office_worker):
    RamadanPeriod.objects.create(agency=office_worker.agency, start=d(23), end=d(29))
    calendar_changed(office_worker.agency_id)
    assert sum(x.minutes for x in week(office_worker, d(23))) == 1950


def test_the_month_of_one_employee(freeze, office_worker):
    freeze(2026, 12, 10, 9, 0)
    staff = office_worker
    Holiday.objects.create(
        agency=staff.agency, date=d(17), name="Hari jadi", kind=HolidayKind.LOCAL
    )
    calendar_changed(staff.agency_id)
    plan(staff, d(18), Mode.OFF, absence_code="CT")  # leave from the roster
    leave_day(staff, d(19), "SAKIT")  # a sick day on the attendance day
    plan(staff, d(2), Mode.WFH)  # a WFH day with its report
    plan(staff, d(9), Mode.WFH)  # required, missing
    plan(staff, d(10), Mode.WFA)  # required, missing
    plan(staff, d(11), Mode.DL)  # official travel: work, no report needed
    done = report(staff, d(2), "approved", 450)
    pending = report(staff, d(3), "submitted", 300)
    report(staff, d(4), "returned", 200, late=True)
    report(staff, d(5), "approved", 400, late=True)
    open_task = task(staff, due=d(30), title="SOP")
    overdue = task(staff, due=dt.date(2026, 10, 31), title="Lama")
    task(staff, due=d(20), status=TaskStatus.CANCELLED)
    task(staff, due=dt.date(2026, 10, 15), status=TaskStatus.DONE)
    task(staff, due=d(30), created=dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC))  # after the month
    activity(done, open_task, qty=3)
    activity(done, overdue, qty=Decimal("1.5"), order=1)
    activity(pending, open_task, qty=2)  # not approved: does not count

    month = recap.employee_month_recap(employee=staff, year=2026, month=11)

    assert month.expected_minutes == (21 - 3) * 450  # a holiday and two leave days pro rata
    assert (month.approved_minutes, month.submitted_minutes) == (850, 1350)
    assert month.achievement_pct == 10.5
    assert (month.reports_submitted, month.reports_approved) == (4, 2)
    assert (month.reports_pending, month.reports_returned, month.reports_late) == (1, 1, 2)
    assert month.reports_missing == 2
    progress = {p.task_id: (p.done, p.target, p.pct) for p in month.task_progress}
    assert progress == {
        open_task.pk: (Decimal("3"), Decimal("10"), 30.0),
        overdue.pk: (Decimal("1.5"), Decimal("10"), 15.0),
    }


def test_required_days_count_only_after_their_deadline(freeze, office_worker):
    plan(office_worker, d(26), Mode.WFH)  # Thursday: due Friday 27 at 10:00
    freeze(2026, 11, 27, 10, 0)
    assert recap.employee_month_recap(employee=office_worker, **_nov()).reports_missing == 0
    freeze(2026, 11, 27, 10, 0, 1)
    assert recap.employee_month_recap(employee=office_worker, **_nov()).reports_missing == 1


def test_wfo_days_are_required_when_the_agency_says_so(freeze, office_worker):
    freeze(2026, 12, 10, 9, 0)
    agency = office_worker.agency
    assert recap.employee_month_recap(employee=office_worker, **_nov()).reports_missing == 0
    agency.settings = {"reports": {"required_on_wfo": True}}
    agency.save(update_fields=["settings"])
    office_worker.agency.refresh_from_db()
    assert recap.employee_month_recap(employee=office_worker, **_nov()).reports_missing == 21


def _nov() -> dict:
    return {"year": NOV[0], "month": NOV[1]}


def _people(unit, n):
    people = [EmployeeFactory(agency=unit.agency, unit=unit) for _ in range(n)]
    for i, person in enumerate(people):
        plan(person, d(9), Mode.WFH)
        rep = report(person, d(2), "approved", 300 + i)
        activity(rep, task(person, due=d(30)), qty=1)
    return people


def test_a_unit_recap_takes_the_same_queries_for_3_and_30_people(
    freeze, office_worker, django_assert_max_num_queries
):
    freeze(2026, 12, 10, 9, 0)
    unit = office_worker.unit
    _people(unit, 2)
    recap.unit_month_recap(unit=unit, **_nov())  # warms the calendar and office caches
    with CaptureQueriesContext(connection) as three:
        small = recap.unit_month_recap(unit=unit, **_nov())
    _people(unit, 27)
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as thirty:
        large = recap.unit_month_recap(unit=unit, **_nov())
    assert (small.figures.employees, large.figures.employees) == (3, 30)
    assert len(three.captured_queries) == len(thirty.captured_queries)
    assert large.figures.reports_missing == 29  # the WFH day of the 9th (not office_worker)


def test_a_unit_recap_ranks_and_groups_its_subtree(freeze, office_worker):
    freeze(2026, 12, 10, 9, 0)
    top = office_worker.unit
    child = UnitFactory(agency=top.agency, parent=top, name="Bidang A")
    best = EmployeeFactory(agency=top.agency, unit=child, name="Terbaik")
    report(best, d(2), "approved", 900)
    report(office_worker, d(2), "approved", 450)
    result = recap.unit_month_recap(unit=top, **_nov())
    assert [r.employee.pk for r in result.rows] == [best.pk, office_worker.pk]
    assert [r.rank for r in result.rows] == [1, 2]
    assert [g.unit.pk for g in result.groups] == [top.pk, child.pk]
    assert result.groups[1].figures.approved_minutes == 900
    assert result.figures.approved_minutes == 1350
    alone = recap.unit_month_recap(unit=top, with_subtree=False, **_nov())
    assert [r.employee.pk for r in alone.rows] == [office_worker.pk]


def test_a_team_recap_has_the_direct_subordinates_only(freeze, team):
    freeze(2026, 12, 10, 9, 0)
    outsider = EmployeeFactory(agency=team["boss"].agency, unit=team["boss"].unit)
    result = recap.team_month_recap(supervisor=team["boss"], **_nov())
    ids = {r.employee.pk for r in result.rows}
    assert ids == {team["staff"].pk, team["other"].pk}
    assert outsider.pk not in ids and result.kind == "team"


@pytest.fixture
def remote_days(office_worker):
    for day in (9, 10, 11, 12):
        plan(office_worker, d(day), Mode.WFH)
    report(office_worker, d(10), "returned", 300)
    report(office_worker, d(11), "submitted", 300)
    report(office_worker, d(12), "approved", 300)
    return office_worker


def test_no_tk_days_before_the_month_closes(freeze, remote_days):
    freeze(2026, 12, 3, 16, 0)  # the 3rd working day of December: still open
    assert recap.unexcused_report_days(employee=remote_days, **_nov()) == []
    detail = recap.employee_month_detail(employee=remote_days, **_nov())
    assert not detail.month_closed and detail.closes_after == dt.date(2026, 12, 3)
    assert detail.unexcused == [(d(9), "report_missing"), (d(10), "report_returned")]  # at risk


def test_tk_days_after_the_month_closes(freeze, remote_days):
    freeze(2026, 12, 4, 8, 0)
    assert recap.unexcused_report_days(employee=remote_days, **_nov()) == [
        (d(9), "report_missing"),
        (d(10), "report_returned"),
    ]
    agency = remote_days.agency
    agency.settings = {"reports": {"wfh_requires_approved_report": False}}
    agency.save(update_fields=["settings"])
    assert recap.unexcused_report_days(employee=remote_days, **_nov()) == []


def test_the_employee_detail_has_a_row_per_day(freeze, remote_days):
    freeze(2026, 12, 4, 8, 0)
    detail = recap.employee_month_detail(employee=remote_days, **_nov())
    assert len(detail.days) == 30
    by_day = {row.day.date: row for row in detail.days}
    assert (by_day[d(12)].approved_minutes, by_day[d(11)].approved_minutes) == (300, 0)
    assert by_day[d(11)].submitted_minutes == 300
    assert by_day[d(1)].day.working is False
    assert detail.month_closed
