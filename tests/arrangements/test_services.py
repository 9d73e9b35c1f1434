"""Roster services and the check-in that follows the roster (database)."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.arrangements import services
from sigap.arrangements.models import (
    ApplicationStatus,
    EmergencyPolicy,
    EntryReason,
    FlexibleWorkApplication,
    Mode,
    RosterChange,
    RosterEntry,
    WfaRegion,
)
from sigap.attendance.models import AttendanceDay, RefusedCheckIn
from sigap.attendance.services import attendance_close_day
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.models import Notification
from tests.arrangements.conftest import plan
from tests.attendance.fixtures import MONDAY
from tests.factories import EmployeeFactory, PositionFactory

HOME_LAT, HOME_LON = -2.70, 118.90  # the factory's home
TUESDAY = MONDAY + dt.timedelta(days=1)


# --- check-in follows the roster ---------------------------------------------------------


def test_wfh_check_in_is_checked_against_the_registered_home(freeze, post_check_in, office_worker):
    freeze(2026, 11, 23, 7, 20)
    plan(office_worker, MONDAY, Mode.WFH)
    at_office = post_check_in()
    assert at_office.status_code == 422
    assert at_office.json()["code"] == "outside_geofence"
    at_home = post_check_in(lat=HOME_LAT, lon=HOME_LON)
    assert at_home.status_code == 201, at_home.json()
    body = at_home.json()
    assert (body["mode"], body["place"]["kind"]) == ("WFH", "home")
    assert body["place"]["radius_m"] == 150


def test_wfh_without_a_registered_home_is_refused(freeze, post_check_in, office_worker):
    freeze(2026, 11, 23, 7, 20)
    office_worker.home_latitude = office_worker.home_longitude = None
    office_worker.save()
    plan(office_worker, MONDAY, Mode.WFH)
    response = post_check_in(lat=HOME_LAT, lon=HOME_LON)
    assert response.status_code == 422
    assert response.json()["code"] == "no_arrangement"
    assert RefusedCheckIn.objects.filter(code="no_arrangement").count() == 1


def test_wfa_check_in_uses_the_agency_region(freeze, post_check_in, office_worker):
    freeze(2026, 11, 23, 7, 20)
    WfaRegion.objects.create(
        agency=office_worker.agency,
        name="Kabupaten",
        latitude=-2.6,
        longitude=118.9,
        radius_m=30000,
    )
    plan(office_worker, MONDAY, Mode.WFA)
    inside = post_check_in(lat=-2.75, lon=118.95)
    assert inside.status_code == 201, inside.json()
    assert inside.json()["place"]["kind"] == "region"
    far = post_check_in(kind="out", lat=-3.5, lon=119.5)
    assert far.status_code == 422
    assert far.json()["code"] == "outside_geofence"


def test_leave_day_refuses_check_in_and_closes_as_the_leave_code(
    freeze, post_check_in, office_worker
):
    freeze(2026, 11, 23, 7, 20)
    plan(office_worker, MONDAY, Mode.OFF, reason=EntryReason.REQUEST, absence_code="CT")
    response = post_check_in()
    assert response.status_code == 422
    assert response.json()["code"] == "not_a_working_day"
    assert response.json()["detail"]["code"] == "CT"
    freeze(2026, 11, 24, 1, 0)
    attendance_close_day(date=MONDAY)
    assert AttendanceDay.objects.get(employee=office_worker, date=MONDAY).status == "CT"


def test_dl_without_destination_accepts_anywhere_and_the_day_is_dl(
    freeze, post_check_in, office_worker
):
    freeze(2026, 11, 23, 7, 45)
    plan(office_worker, MONDAY, Mode.DL, reason=EntryReason.REQUEST)
    response = post_check_in(lat=-5.1, lon=119.4)
    assert response.status_code == 201, response.json()
    assert response.json()["day"]["status"] == "DL"


def test_dl_with_destination_is_checked_there(freeze, post_check_in, office_worker):
    freeze(2026, 11, 23, 7, 20)
    plan(
        office_worker,
        MONDAY,
        Mode.DL,
        reason=EntryReason.REQUEST,
        destination="Makassar",
        destination_latitude=-5.14,
        destination_longitude=119.42,
    )
    assert post_check_in().json()["code"] == "outside_geofence"
    assert post_check_in(lat=-5.141, lon=119.421).status_code == 201


def test_me_today_follows_the_roster(freeze, client, auth, office_worker):
    freeze(2026, 11, 23, 7, 0)
    plan(office_worker, MONDAY, Mode.WFH)
    today = client.get("/api/v1/me", **auth).json()["today"]
    assert today["mode"] == "WFH"
    assert today["place"]["kind"] == "home"
    assert today["report_required"] is True


# --- manual edits --------------------------------------------------------------------------


def test_unit_head_sets_a_day_and_it_is_logged(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    entry = services.roster_set(user=head.user, employee=office_worker, day=MONDAY, mode="WFH")
    assert (entry.mode, entry.reason) == ("WFH", EntryReason.MANUAL)
    change = RosterChange.objects.get()
    assert (change.old_mode, change.new_mode, change.changed_by) == ("WFO", "WFH", head.user)


def test_roster_edit_breaking_the_quota_needs_an_override_reason(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    EmergencyPolicy.objects.create(
        agency=office_worker.agency, name="PPKM 4", start=MONDAY, end=MONDAY, level=4, wfo_share=25
    )
    plan(head, MONDAY, Mode.WFH)
    plan(office_worker, MONDAY, Mode.WFH)  # nobody in the office: the cap (1 of 2) holds
    with pytest.raises(InvalidInput) as refused:
        services.roster_set(user=head.user, employee=head, day=MONDAY, mode="WFO")
        services.roster_set(user=head.user, employee=office_worker, day=MONDAY, mode="WFO")
    assert refused.value.code == "roster_violation"
    codes = [v["code"] for v in refused.value.detail["violations"]]
    assert codes == ["over_quota"]
    assert RosterEntry.objects.get(employee=office_worker).mode == "WFH"  # unchanged
    saved = services.roster_set(
        user=head.user,
        employee=office_worker,
        day=MONDAY,
        mode="WFO",
        override_reason="Rapat anggaran",
    )
    assert saved.override_reason == "Rapat anggaran"


def test_roster_edits_are_refused_in_the_past_and_outside_scope(freeze, head, office_worker):
    freeze(2026, 11, 24, 9, 0)
    with pytest.raises(InvalidInput) as past:
        services.roster_set(user=head.user, employee=office_worker, day=MONDAY, mode="WFH")
    assert past.value.code == "in_the_past"
    stranger = EmployeeFactory(agency=office_worker.agency)
    with pytest.raises(Forbidden):
        services.roster_set(
            user=stranger.user, employee=office_worker, day=TUESDAY + dt.timedelta(1), mode="WFH"
        )
    with pytest.raises(InvalidInput):
        services.roster_set(user=head.user, employee=office_worker, day=TUESDAY, mode="OFF")
    assert not RosterEntry.objects.exists()


def test_roster_edit_cannot_override_an_approved_request(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    plan(office_worker, MONDAY, Mode.OFF, reason=EntryReason.REQUEST, absence_code="CT")
    with pytest.raises(Conflict):
        services.roster_set(user=head.user, employee=office_worker, day=MONDAY, mode="WFO")


# --- recall --------------------------------------------------------------------------------


def test_supervisor_recalls_a_wfh_employee(
    freeze, head, office_worker, client, auth, django_capture_on_commit_callbacks
):
    freeze(2026, 11, 23, 6, 30)
    plan(office_worker, MONDAY, Mode.WFH, reason=EntryReason.POLICY)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.roster_recall(
            user=head.user, employee=office_worker, day=MONDAY, note="Rapat"
        )
    assert (entry.mode, entry.reason) == ("WFO", EntryReason.RECALL)
    assert Notification.objects.get(user=office_worker.user).kind == "recall"
    today = client.get("/api/v1/me", **auth).json()["today"]
    assert (today["mode"], today["place"]["kind"], today["recalled"]) == ("WFO", "office", True)


def test_recall_refusals(freeze, head, office_worker):
    freeze(2026, 11, 24, 6, 30)
    plan(office_worker, MONDAY, Mode.WFH)
    plan(office_worker, TUESDAY + dt.timedelta(1), Mode.WFO)
    with pytest.raises(InvalidInput):  # in the past
        services.roster_recall(user=head.user, employee=office_worker, day=MONDAY)
    with pytest.raises(Conflict):  # not remote that day
        services.roster_recall(
            user=head.user, employee=office_worker, day=TUESDAY + dt.timedelta(1)
        )
    colleague = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    with pytest.raises(Forbidden):
        services.roster_recall(user=colleague.user, employee=office_worker, day=TUESDAY)


# --- generation ----------------------------------------------------------------------------


def _unit_of(head, office_worker, n):
    return [office_worker, head] + [
        EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit) for _ in range(n - 2)
    ]


def test_generation_at_50_percent_keeps_the_quota_and_is_fair(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    people = _unit_of(head, office_worker, 10)
    EmergencyPolicy.objects.create(
        agency=office_worker.agency,
        name="PPKM 3",
        start=MONDAY,
        end=MONDAY + dt.timedelta(11),
        level=3,
        wfo_share=50,
    )
    end = MONDAY + dt.timedelta(11)
    report = services.roster_generate(
        user=head.user, unit=office_worker.unit, start=MONDAY, end=end
    )
    assert report.ok, report.problems
    assert report.days == 10 and report.people == 10
    home = RosterEntry.objects.filter(mode="WFH", reason=EntryReason.POLICY)
    assert home.count() == 50  # five of ten at home on each of ten working days
    per_day = {}
    for entry in home:
        per_day[entry.date] = per_day.get(entry.date, 0) + 1
    assert set(per_day.values()) == {5}
    office_days = [10 - home.filter(employee=p).count() for p in people]
    assert max(office_days) - min(office_days) <= 1


def test_generation_keeps_requests_and_recalls_and_replaces_its_own(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    _unit_of(head, office_worker, 4)
    plan(office_worker, MONDAY, Mode.OFF, reason=EntryReason.REQUEST, absence_code="CT")
    EmergencyPolicy.objects.create(
        agency=office_worker.agency, name="PPKM", start=MONDAY, end=TUESDAY, wfo_share=50
    )
    for _ in range(2):  # twice: the second run replaces the first one's entries
        report = services.roster_generate(
            user=head.user, unit=office_worker.unit, start=MONDAY, end=TUESDAY
        )
        assert report.ok
    assert RosterEntry.objects.get(employee=office_worker, date=MONDAY).absence_code == "CT"
    assert RosterEntry.objects.filter(date=TUESDAY, mode="WFH").count() == 2


def test_generation_that_cannot_hold_reports_and_saves_nothing(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    desk = PositionFactory(agency=office_worker.agency, public_service=True)
    for employee in _unit_of(head, office_worker, 4):
        employee.position = desk
        employee.save()
    EmergencyPolicy.objects.create(
        agency=office_worker.agency, name="PPKM 4", start=MONDAY, end=MONDAY, wfo_share=25
    )
    report = services.roster_generate(
        user=head.user, unit=office_worker.unit, start=MONDAY, end=MONDAY
    )
    assert not report.ok
    problem = report.problems[0]
    assert (problem.code, problem.day, problem.unit_id) == (
        "public_service_exceeds_quota",
        MONDAY,
        office_worker.unit_id,
    )
    assert not RosterEntry.objects.exists()


def test_generation_is_refused_outside_scope(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    with pytest.raises(Forbidden):
        services.roster_generate(
            user=office_worker.user, unit=office_worker.unit, start=MONDAY, end=MONDAY
        )


# --- flexible work -------------------------------------------------------------------------


def _apply(employee, **overrides):
    values = {
        "employee": employee,
        "reason": "Anak sakit",
        "work_plan": "10 dokumen per minggu",
        "days_per_week": 2,
        "valid_from": MONDAY,
        "valid_until": MONDAY + dt.timedelta(60),
        "preferred_weekdays": [0, 4],
    } | overrides
    return services.flexible_work_apply(**values)


def test_flexible_work_application_and_decision(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    office_worker.position.flexible_eligible = True
    office_worker.position.save()
    application = _apply(office_worker)
    with pytest.raises(Forbidden):  # the applicant is no unit head
        services.flexible_work_decide(
            user=office_worker.user, application=application, approve=True
        )
    decided = services.flexible_work_decide(user=head.user, application=application, approve=True)
    assert decided.status == ApplicationStatus.APPROVED
    with pytest.raises(Conflict):
        services.flexible_work_decide(user=head.user, application=application, approve=False)
    report = services.roster_generate(
        user=head.user, unit=office_worker.unit, start=MONDAY, end=MONDAY + dt.timedelta(4)
    )
    assert report.ok
    flexible = RosterEntry.objects.filter(employee=office_worker, reason=EntryReason.FLEXIBLE)
    assert sorted(e.date.weekday() for e in flexible) == [0, 4]


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ({"eligible": False}, "position_not_eligible"),
        ({"start_date": dt.date(2026, 6, 1)}, "new_employee"),
        ({"sanction_until": dt.date(2027, 1, 1)}, "under_sanction"),
    ],
)
def test_flexible_work_eligibility_refusals(freeze, office_worker, setup, reason):
    freeze(2026, 11, 20, 9, 0)
    office_worker.position.flexible_eligible = setup.pop("eligible", True)
    office_worker.position.save()
    for field, value in setup.items():
        setattr(office_worker, field, value)
    office_worker.save()
    with pytest.raises(InvalidInput) as refused:
        _apply(office_worker)
    assert refused.value.code == "not_eligible"
    assert refused.value.detail["reasons"] == [reason]
    assert not FlexibleWorkApplication.objects.exists()


def test_flexible_work_bad_input(freeze, office_worker):
    freeze(2026, 11, 20, 9, 0)
    office_worker.position.flexible_eligible = True
    office_worker.position.save()
    with pytest.raises(InvalidInput) as refused:
        _apply(office_worker, days_per_week=3, valid_until=MONDAY - dt.timedelta(1), reason="")
    assert set(refused.value.detail["fields"]) == {"days_per_week", "valid_until", "reason"}
    assert not FlexibleWorkApplication.objects.exists()


def test_meeting_room_capacity_caps_the_roster(freeze, head, office_worker):
    from sigap.arrangements.models import Room
    from sigap.org.models import Office

    freeze(2026, 11, 20, 9, 0)
    office = Office.objects.get(agency=office_worker.agency)
    room = Room.objects.create(office=office, name="Ruang Rapat", capacity=1)
    services.roster_set(user=head.user, employee=office_worker, day=MONDAY, mode="WFO", room=room)
    with pytest.raises(Conflict) as full:
        services.roster_set(user=head.user, employee=head, day=MONDAY, mode="WFO", room=room)
    assert full.value.code == "room_full"
    with pytest.raises(InvalidInput):
        services.roster_set(user=head.user, employee=head, day=TUESDAY, mode="WFH", room=room)
    assert RosterEntry.objects.filter(room=room).count() == 1


def test_generation_with_a_policy_starting_mid_period(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    _unit_of(head, office_worker, 4)
    EmergencyPolicy.objects.create(
        agency=office_worker.agency, name="PPKM", start=TUESDAY, end=TUESDAY, wfo_share=25
    )
    report = services.roster_generate(
        user=head.user, unit=office_worker.unit, start=MONDAY, end=MONDAY + dt.timedelta(4)
    )
    assert report.ok, report.problems
    assert not RosterEntry.objects.filter(date=MONDAY).exists()  # 100 %: nobody at home
    assert RosterEntry.objects.filter(date=TUESDAY, mode="WFH").count() == 3  # cap 1 of 4


def test_an_edit_that_improves_a_broken_day_needs_no_override(freeze, head, office_worker):
    freeze(2026, 11, 20, 9, 0)
    third = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    EmergencyPolicy.objects.create(
        agency=office_worker.agency, name="PPKM 4", start=MONDAY, end=MONDAY, wfo_share=25
    )
    # nobody planned yet: 3 in the office against a cap of 1; moving one home improves it
    entry = services.roster_set(user=head.user, employee=third, day=MONDAY, mode="WFH")
    assert entry.override_reason == ""
    with pytest.raises(InvalidInput):  # but bringing them back makes it worse again
        services.roster_set(user=head.user, employee=third, day=MONDAY, mode="WFO")
