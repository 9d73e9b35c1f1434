"""Attendance services with the database: review, recompute, close_day, concurrency."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection

from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.attendance.services import (
    CheckInCommand,
    attendance_check_in,
    attendance_close_day,
    check_in_review,
)
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.geo import Point
from tests.attendance.fixtures import OFFICE_LAT, OFFICE_LON, jpeg_bytes
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def command(kind="in", lat=OFFICE_LAT, request_id=None) -> CheckInCommand:
    return CheckInCommand(
        request_id=request_id or uuid.uuid4(),
        kind=kind,
        point=Point(lat, OFFICE_LON),
        accuracy_m=12,
        captured_at=clock.now(),
        selfie=jpeg_bytes(),
    )


@pytest.fixture
def flag_policy(office_worker):
    agency = office_worker.agency
    agency.settings = {"attendance": {"outside_geofence": "flag"}}
    agency.save(update_fields=["settings"])
    return agency


@pytest.fixture
def supervisor(office_worker):
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    return boss


def test_flag_policy_accepts_outside_for_review(freeze, office_worker, flag_policy):
    freeze(2026, 11, 23, 7, 20)
    outcome = attendance_check_in(employee=office_worker, command=command(lat=OFFICE_LAT + 0.01))
    assert outcome.event.review == Review.PENDING
    assert "review_pending" in outcome.day.flags
    assert outcome.day.status == "HADIR"


def test_rejection_makes_the_check_in_not_count(freeze, office_worker, flag_policy, supervisor):
    freeze(2026, 11, 23, 7, 20)
    outside = attendance_check_in(
        employee=office_worker, command=command(lat=OFFICE_LAT + 0.01)
    ).event
    freeze(2026, 11, 23, 7, 50)
    attendance_check_in(employee=office_worker, command=command())
    decided = check_in_review(
        check_in=outside, reviewer=supervisor.user, accept=False, note="Di rumah"
    )
    assert decided.review == Review.REJECTED
    day = AttendanceDay.objects.get(employee=office_worker)
    assert day.status == "TL1"  # the 07:50 check-in is what counts now
    assert "review_pending" not in day.flags


def test_acceptance_keeps_the_time(freeze, office_worker, flag_policy, supervisor):
    freeze(2026, 11, 23, 7, 20)
    outside = attendance_check_in(
        employee=office_worker, command=command(lat=OFFICE_LAT + 0.01)
    ).event
    check_in_review(check_in=outside, reviewer=supervisor.user, accept=True, note="")
    day = AttendanceDay.objects.get(employee=office_worker)
    assert day.status == "HADIR"
    assert "review_pending" not in day.flags


def test_review_rules(freeze, office_worker, flag_policy, supervisor):
    freeze(2026, 11, 23, 7, 20)
    event = attendance_check_in(
        employee=office_worker, command=command(lat=OFFICE_LAT + 0.01)
    ).event
    with pytest.raises(Forbidden):
        check_in_review(check_in=event, reviewer=office_worker.user, accept=True, note="")
    stranger = EmployeeFactory(agency=office_worker.agency)
    with pytest.raises(Forbidden):
        check_in_review(check_in=event, reviewer=stranger.user, accept=True, note="")
    with pytest.raises(InvalidInput):
        check_in_review(check_in=event, reviewer=supervisor.user, accept=False, note="  ")
    check_in_review(check_in=event, reviewer=supervisor.user, accept=True, note="ok")
    with pytest.raises(Conflict):
        check_in_review(check_in=event, reviewer=supervisor.user, accept=False, note="x")


def test_close_day_finalises_tk_psw4_and_libur(freeze, office_worker):
    absent = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    freeze(2026, 11, 23, 7, 20)
    attendance_check_in(employee=office_worker, command=command())
    not_yet = attendance_close_day(date=dt.date(2026, 11, 23))
    assert not_yet.finalised == 0
    freeze(2026, 11, 24, 0, 30)
    result = attendance_close_day(date=dt.date(2026, 11, 23))
    assert result.finalised == 2
    days = {d.employee_id: d for d in AttendanceDay.objects.filter(date="2026-11-23")}
    assert days[office_worker.pk].status == "PSW4"
    assert days[office_worker.pk].final
    assert days[absent.pk].status == "TK"
    attendance_close_day(date=dt.date(2026, 11, 22))
    assert AttendanceDay.objects.get(employee=absent, date="2026-11-22").status == "LIBUR"
    again = attendance_close_day(date=dt.date(2026, 11, 23))
    assert again.finalised == 0  # idempotent


def test_close_day_query_count_is_bounded(freeze, office_worker, django_assert_max_num_queries):
    for _ in range(30):
        EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    freeze(2026, 11, 24, 1, 0)
    with django_assert_max_num_queries(20):
        result = attendance_close_day(date=dt.date(2026, 11, 23))
    assert result.finalised == 31


def test_close_day_command(freeze, office_worker, capsys):
    from django.core.management import call_command

    freeze(2026, 11, 24, 1, 0)
    call_command("close_day", "2026-11-23")
    assert AttendanceDay.objects.get(employee=office_worker).status == "TK"


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_requests_with_one_request_id_store_one_event(
    postgres, freeze, office_worker
):
    freeze(2026, 11, 23, 7, 20)
    rid = uuid.uuid4()
    statuses, errors = [], []
    barrier = threading.Barrier(20)

    def send():
        try:
            barrier.wait()
            outcome = attendance_check_in(employee=office_worker, command=command(request_id=rid))
            statuses.append(outcome.replayed)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert CheckIn.objects.filter(request_id=rid).count() == 1
    assert statuses.count(False) == 1
    assert AttendanceDay.objects.filter(employee=office_worker).count() == 1
