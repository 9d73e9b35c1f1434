"""Roll-call services on a small agency: pre-fill numbers for every reason, attendance
from check-ins (inside/outside the place and window), confirmations, logged corrections,
virtual marking, sessions from series and the beat task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.org.selectors import scope_for
from sigap.rollcall import selectors, services, tasks
from sigap.rollcall.models import (
    Participation,
    Rollcall,
    RollcallSeries,
    UnitReport,
    UnitReportCorrection,
)
from tests.rollcall.fixtures import MONDAY, OFFICE_A, at, check_in

pytestmark = pytest.mark.django_db

EXPECTED_A = {
    "expected": 14,
    "present": 3,  # the head, "present" and the division's person
    "absent_by_reason": {
        "DL": 1,
        "leave": 1,
        "sick": 2,  # CS and SAKIT
        "permission": 1,
        "TK": 4,  # TK, early (before the window), outside the geofence, rejected check-in
        "not_yet": 2,  # BELUM and no day yet
    },
}


def numbers(report: UnitReport) -> dict:
    return {
        "expected": report.expected,
        "present": report.present,
        "absent_by_reason": report.absent_by_reason,
    }


def test_prefill_numbers_of_every_reason(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    assert services.rollcall_prefill(rollcall=rollcall) == 2
    report_a = UnitReport.objects.get(rollcall=rollcall, unit=small.opd_a)
    assert numbers(report_a) == EXPECTED_A
    report_b = UnitReport.objects.get(rollcall=rollcall, unit=small.opd_b)
    # head B, the Beta employee and the HR admin, none with a day yet
    assert (report_b.expected, report_b.present) == (3, 0)
    assert report_b.absent_by_reason["not_yet"] == 3
    rollcall.refresh_from_db()
    assert rollcall.prefilled_at is not None


def test_prefill_records_attendance_and_misses(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    p = small.people
    present = set(
        Participation.objects.filter(rollcall=rollcall, present=True).values_list(
            "employee_id", flat=True
        )
    )
    assert present == {small.head_a.pk, p["present"].pk, p["division"].pk}
    assert set(
        Participation.objects.filter(rollcall=rollcall, present=True).values_list(
            "source", flat=True
        )
    ) == {"check_in"}
    missed = set(
        Participation.objects.filter(rollcall=rollcall, present=False).values_list(
            "employee_id", flat=True
        )
    )
    for name in ("tk", "early", "outside", "rejected", "belum", "noday", "beta"):
        assert p[name].pk in missed
    for name in ("dl", "ct", "cs", "sakit", "izin", "libur", "tb"):
        assert p[name].pk not in missed


def test_prefill_has_bounded_queries(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    with CaptureQueriesContext(connection) as queries:
        services.rollcall_prefill(rollcall=rollcall)
    assert len(queries) <= 30
    # more employees do not add queries
    from tests.factories import EmployeeFactory

    for _ in range(5):
        EmployeeFactory(agency=small.agency, unit=small.opd_a)
    with CaptureQueriesContext(connection) as again:
        services.rollcall_prefill(rollcall=rollcall)
    assert len(again) <= len(queries) + 2


def test_missed_rollcalls_for_discipline(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    tk = small.people["tk"]
    missed = selectors.missed_rollcalls(employee=tk, start=MONDAY, end=MONDAY)
    assert [(m.rollcall_id, m.date) for m in missed] == [(rollcall.pk, MONDAY)]
    assert selectors.missed_rollcalls(employee=small.people["dl"], start=MONDAY, end=MONDAY) == []
    # a sick note approved later excuses the day
    belum = small.people["belum"]
    assert len(selectors.missed_rollcalls(employee=belum, start=MONDAY, end=MONDAY)) == 1
    belum.attendance_days.update(status="SAKIT")
    assert selectors.missed_rollcalls(employee=belum, start=MONDAY, end=MONDAY) == []


def test_confirm_and_prefill_again_keeps_the_confirmed_report(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    report = services.unit_report_confirm(
        rollcall=rollcall, unit=small.opd_a, by=small.head_a, note="Tertib"
    )
    assert report.confirmed_by == small.head_a
    assert report.note == "Tertib"
    check_in(small.people["tk"], at(7, 50))
    services.rollcall_prefill(rollcall=rollcall)
    report.refresh_from_db()
    assert numbers(report) == EXPECTED_A  # confirmed: left alone


def test_confirm_before_the_prefill_is_refused(small):
    rollcall = small.rollcall()
    with pytest.raises(Conflict) as refused:
        services.unit_report_confirm(rollcall=rollcall, unit=small.opd_a, by=small.head_a)
    assert refused.value.code == "not_prefilled"


def test_correction_is_logged(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    new_absent = {**EXPECTED_A["absent_by_reason"], "TK": 2, "not_yet": 1}
    report = services.unit_report_correct(
        rollcall=rollcall,
        unit=small.opd_a,
        by=small.head_a,
        present=6,
        absent_by_reason=new_absent,
        reason="Tiga orang ikut apel di halaman belakang",
    )
    assert (report.present, report.corrected, report.confirmed_by) == (6, True, small.head_a)
    log = UnitReportCorrection.objects.get(report=report)
    assert log.old == {"present": 3, "absent_by_reason": EXPECTED_A["absent_by_reason"]}
    assert log.new == {"present": 6, "absent_by_reason": new_absent}
    assert log.by == small.head_a


@pytest.mark.parametrize(
    ("present", "change", "reason", "field"),
    [
        (4, {}, "lupa", "absent_by_reason"),  # 4 + 11 != 14
        (3, {}, "   ", "reason"),
        (-1, {"TK": 5}, "lupa", "present"),
        (3, {"TK": -1, "DL": 6}, "lupa", "absent_by_reason"),
    ],
)
def test_bad_correction_changes_nothing(small, freeze, present, change, reason, field):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    with pytest.raises(InvalidInput) as refused:
        services.unit_report_correct(
            rollcall=rollcall,
            unit=small.opd_a,
            by=small.head_a,
            present=present,
            absent_by_reason={**EXPECTED_A["absent_by_reason"], **change},
            reason=reason,
        )
    assert field in refused.value.detail["fields"]
    report = UnitReport.objects.get(rollcall=rollcall, unit=small.opd_a)
    assert numbers(report) == EXPECTED_A
    assert report.confirmed_at is None
    assert not UnitReportCorrection.objects.exists()


@pytest.mark.parametrize(
    ("point", "minute", "counts"),
    [
        (OFFICE_A, (7, 20), True),
        (OFFICE_A, (8, 0), True),
        (OFFICE_A, (8, 1), False),  # after the cut-off
        (OFFICE_A, (6, 29), False),  # before the window
        ((-2.70, 118.89), (7, 20), False),  # 2 km away
    ],
)
def test_attendance_from_a_check_in_at_a_point(db, point, minute, counts):
    from tests.rollcall.fixtures import build_small_agency

    small = build_small_agency(with_check_ins=False)
    rollcall = small.rollcall(
        place_kind="point", latitude=OFFICE_A[0], longitude=OFFICE_A[1], radius_m=80
    )
    person = small.people["present"]
    check_in(person, at(*minute), point=point, inside=False)  # its own geofence is not asked
    services.participations_from_check_ins(rollcall=rollcall)
    assert (
        Participation.objects.filter(rollcall=rollcall, employee=person, present=True).exists()
        is counts
    )


def test_virtual_session_marking_updates_the_report(small, freeze):
    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall(kind="virtual", meeting_link="https://meet.example.id/apel")
    services.rollcall_prefill(rollcall=rollcall)
    report = UnitReport.objects.get(rollcall=rollcall, unit=small.opd_a)
    assert report.present == 0  # check-ins do not count for a virtual roll call
    assert report.absent_by_reason["not_yet"] == 2 + 6  # at work, waiting to be marked
    scope = scope_for(small.head_a.user)
    services.participation_mark(
        rollcall=rollcall,
        employee=small.people["present"],
        present=True,
        by=small.head_a,
        scope=scope,
    )
    report.refresh_from_db()
    assert report.present == 1
    row = Participation.objects.get(rollcall=rollcall, employee=small.people["present"])
    assert (row.present, row.source, row.marked_by) == (True, "marked", small.head_a)


def test_marking_outside_the_unit_is_refused(small):
    rollcall = small.rollcall()
    with pytest.raises(Forbidden):
        services.participation_mark(
            rollcall=rollcall,
            employee=small.people["beta"],
            present=True,
            by=small.head_a,
            scope=scope_for(small.head_a.user),
        )


def test_sessions_from_series(small):
    services.rollcall_series_ensure_defaults(agency=small.agency)
    assert RollcallSeries.objects.filter(agency=small.agency).count() == 3
    first = services.rollcalls_create_due(agency=small.agency, date=MONDAY)
    assert first is not None and (first.start_time, first.series.frequency) == (
        dt.time(7, 30),
        "weekly",
    )
    assert services.rollcalls_create_due(agency=small.agency, date=MONDAY) == first
    assert services.rollcalls_create_due(agency=small.agency, date=dt.date(2026, 11, 17)) is None
    RollcallSeries.objects.filter(frequency="monthly").update(active=True)
    seventeenth = services.rollcalls_create_due(agency=small.agency, date=dt.date(2026, 11, 17))
    assert seventeenth.series.frequency == "monthly"
    assert services.rollcalls_create_due(agency=small.agency, date=dt.date(2026, 11, 24)) is None


def test_the_beat_task_creates_and_prefills(small, freeze, celery_eager):
    services.rollcall_series_ensure_defaults(agency=small.agency)
    freeze(2026, 11, 23, 7, 0)
    assert tasks.tick.delay().get() == {"sessions": 1, "prefilled": 0}
    freeze(2026, 11, 23, 8, 1)
    assert tasks.tick.delay().get() == {"sessions": 1, "prefilled": 1}
    rollcall = Rollcall.objects.get(agency=small.agency)
    assert rollcall.reports.count() == 2
    assert tasks.tick.delay().get()["prefilled"] == 0


def test_heads_are_notified_at_the_prefill(small, freeze, django_capture_on_commit_callbacks):
    from sigap.core.models import Notification

    freeze(2026, 11, 23, 8, 5)
    rollcall = small.rollcall()
    with django_capture_on_commit_callbacks(execute=True):
        services.rollcall_prefill(rollcall=rollcall)
    users = set(Notification.objects.filter(kind="rollcall").values_list("user_id", flat=True))
    assert users == {small.head_a.user_id, small.head_b.user_id}


def test_a_provisional_prefill_misses_nobody_and_the_task_refills_at_the_cutoff(
    small, freeze, celery_eager
):
    services.rollcall_series_ensure_defaults(agency=small.agency)
    freeze(2026, 11, 23, 7, 20)
    tasks.tick.delay().get()
    rollcall = Rollcall.objects.get(agency=small.agency)
    services.rollcall_prefill(rollcall=rollcall)  # HR's "pre-fill now"
    assert not Participation.objects.filter(rollcall=rollcall, present=False).exists()
    freeze(2026, 11, 23, 8, 1)
    assert tasks.tick.delay().get()["prefilled"] == 1
    assert Participation.objects.filter(rollcall=rollcall, present=False).count() == 9
    report = UnitReport.objects.get(rollcall=rollcall, unit=small.opd_a)
    assert numbers(report) == EXPECTED_A
