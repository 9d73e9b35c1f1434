"""The `report_missing` flag: set once a required report is overdue, cleared when a report
comes in (at once, on commit of the submission) or the day no longer needs one; idempotent,
bounded queries, no attendance row created; the hourly task and the command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.arrangements.models import Mode
from sigap.attendance.models import AttendanceDay
from sigap.config.settings import CELERY_BEAT_SCHEDULE
from sigap.performance import tasks
from sigap.performance.services import daily_report_submit, flag_missing_reports
from sigap.performance.services.flags import REPORT_MISSING, report_missing_clear
from tests.arrangements.conftest import plan
from tests.attendance.fixtures import MONDAY
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def day_row(employee, date=MONDAY, flags=()):
    return AttendanceDay.objects.create(
        employee=employee,
        date=date,
        status="HADIR",
        codes=["HADIR"],
        flags=list(flags),
        final=True,
        rule_version="t",
        updated_at=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC),
    )


def flags_of(employee, date=MONDAY):
    return AttendanceDay.objects.get(employee=employee, date=date).flags


@pytest.fixture
def wfh_monday(office_worker):
    plan(office_worker, MONDAY, Mode.WFH)
    day_row(office_worker, flags=["outside_geofence"])
    return office_worker


def submit(employee, date=MONDAY):
    activity = {"description": "Menyusun laporan", "output_qty": 1, "output_unit": "dokumen"}
    return daily_report_submit(
        employee=employee, date=date, activities=[activity | {"minutes": 240}], user=None
    )


def test_no_flag_before_the_deadline(freeze, wfh_monday):
    freeze(2026, 11, 24, 10, 0, 0)  # Tuesday 10:00:00 is still on time
    result = flag_missing_reports(date=MONDAY)
    assert (result.flagged, flags_of(wfh_monday)) == (0, ["outside_geofence"])


def test_the_flag_is_set_after_the_deadline_and_a_second_run_changes_nothing(freeze, wfh_monday):
    office_day = EmployeeFactory(agency=wfh_monday.agency, unit=wfh_monday.unit)
    day_row(office_day)  # WFO: no report needed by default
    freeze(2026, 11, 24, 10, 0, 1)
    first = flag_missing_reports(date=MONDAY)
    assert (first.flagged, first.cleared) == (1, 0)
    assert flags_of(wfh_monday) == ["outside_geofence", REPORT_MISSING]
    assert flags_of(office_day) == []
    again = flag_missing_reports(date=MONDAY)
    assert (again.flagged, again.cleared) == (0, 0)
    assert flags_of(wfh_monday) == ["outside_geofence", REPORT_MISSING]


def test_a_report_submitted_late_clears_the_flag_at_once(
    freeze, wfh_monday, django_capture_on_commit_callbacks
):
    freeze(2026, 11, 24, 11, 0)
    flag_missing_reports(date=MONDAY)
    assert REPORT_MISSING in flags_of(wfh_monday)
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(wfh_monday)
    assert report.late is True
    assert flags_of(wfh_monday) == ["outside_geofence"]
    assert flag_missing_reports(date=MONDAY).flagged == 0  # a report exists: stays clear


def test_the_run_clears_flags_of_days_that_have_a_report_or_no_longer_need_one(
    freeze, office_worker
):
    other = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    for person in (office_worker, other):
        day_row(person, flags=[REPORT_MISSING])
    plan(office_worker, MONDAY, Mode.WFH)
    plan(other, MONDAY, Mode.OFF, absence_code="CT")  # leave approved afterwards
    freeze(2026, 11, 23, 16, 0)
    submit(office_worker)
    freeze(2026, 11, 25, 9, 0)
    result = flag_missing_reports(date=MONDAY)
    assert (result.flagged, result.cleared) == (0, 2)
    assert flags_of(office_worker) == flags_of(other) == []


def test_wfo_days_are_flagged_when_the_agency_requires_reports_on_them(freeze, office_worker):
    agency = office_worker.agency
    agency.settings = {"reports": {"required_on_wfo": True}}
    agency.save(update_fields=["settings"])
    day_row(office_worker)
    freeze(2026, 11, 25, 9, 0)
    assert flag_missing_reports(date=MONDAY, agency_id=agency.pk).flagged == 1


def test_days_without_an_attendance_row_are_counted_not_created(freeze, office_worker):
    plan(office_worker, MONDAY, Mode.WFA)
    freeze(2026, 11, 25, 9, 0)
    result = flag_missing_reports(date=MONDAY)
    assert (result.flagged, result.without_row) == (0, 1)
    assert not AttendanceDay.objects.exists()


def test_the_default_run_looks_back_over_the_last_days(freeze, wfh_monday):
    freeze(2026, 11, 27, 9, 0)
    result = flag_missing_reports()
    assert (result.start, result.end) == (dt.date(2026, 11, 17), dt.date(2026, 11, 26))
    assert result.flagged == 1


def test_the_queries_do_not_grow_with_the_people(freeze, office_worker):
    def run() -> int:
        with CaptureQueriesContext(connection) as queries:
            flag_missing_reports(date=MONDAY, agency_id=office_worker.agency_id)
        return len(queries.captured_queries)

    freeze(2026, 11, 25, 9, 0)
    plan(office_worker, MONDAY, Mode.WFH)
    day_row(office_worker)
    run()  # flags office_worker, warms the caches
    few = run()
    for _ in range(10):
        person = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
        plan(person, MONDAY, Mode.WFH)
        day_row(person, flags=[REPORT_MISSING])
    assert run() == few  # ten more people, already flagged: the same reads, nothing to write


def test_clearing_one_day_without_a_row_or_a_flag_does_nothing(office_worker):
    assert report_missing_clear(employee_id=office_worker.pk, date=MONDAY) is False
    day_row(office_worker)
    assert report_missing_clear(employee_id=office_worker.pk, date=MONDAY) is False


def test_the_hourly_task_and_the_command(freeze, wfh_monday, celery_eager):
    assert (
        CELERY_BEAT_SCHEDULE["flag-missing-reports"]["task"] == "performance.flag_missing_reports"
    )
    freeze(2026, 11, 24, 11, 0)
    assert tasks.flag_missing_reports_due.delay().get()["flagged"] == 1
    out = io.StringIO()
    call_command("flag_missing_reports", "2026-11-23", stdout=out)
    assert "0 hari ditandai" in out.getvalue()  # Indonesian by default
