"""Request services on the database: balance, refusals, approval chains, effects on days."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from PIL import Image

from sigap.arrangements.models import RosterEntry
from sigap.attendance.models import (
    AttendanceDay,
    AttendanceRequest,
    CheckIn,
    MonthReopening,
    RequestStep,
)
from sigap.attendance.requests import selectors, services
from sigap.attendance.requests.effects import days_recompute
from sigap.attendance.requests.rules import working_days
from sigap.attendance.services import attendance_close_day
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, PayloadTooLarge
from sigap.core.models import Notification, User
from sigap.org.models import Role
from sigap.worktime.selectors import calendar_for, employee_zone
from sigap.worktime.services import holidays_seed
from tests.factories import EmployeeFactory, RoleFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NEXT_MONDAY = D(2026, 6, 22)  # tests mostly run on Monday 15 June 2026, 08:00 WITA
DESTINATION = (-2.60, 118.80)  # about 12 km from the office


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(office_worker):
    """The worker (Andi) -> supervisor (Budi) -> unit head (Kepala), and an HR admin."""
    agency, unit = office_worker.agency, office_worker.unit
    head = EmployeeFactory(agency=agency, unit=unit, name="Kepala Dinas")
    unit.head = head
    unit.save(update_fields=["head"])
    boss = EmployeeFactory(agency=agency, unit=unit, name="Budi Atasan", supervisor=head)
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    hr = UserFactory()
    RoleFactory(user=hr, agency=agency, role=Role.HR_ADMIN)
    return SimpleNamespace(
        agency=agency, unit=unit, worker=office_worker, boss=boss, head=head, hr=hr
    )


def fresh(user: User) -> User:
    """A new user object: scope_for() memoises the scope on the object it is given."""
    return User.objects.get(pk=user.pk)


def submit(employee, type="CT", start=NEXT_MONDAY, end=None, attachment=None, **kw):
    kw.setdefault("reason", "Keperluan keluarga")
    draft = services.RequestDraft(type=type, start=start, end=end or start, **kw)
    return services.request_submit(employee=employee, draft=draft, attachment=attachment)


def decide(user, request, approve=True, note=""):
    return services.request_decide(user=fresh(user), request=request, approve=approve, note=note)


def existing(employee, type, start, end, status, days):
    return AttendanceRequest.objects.create(
        employee=employee,
        type=type,
        start=start,
        end=end,
        reason="x",
        status=status,
        working_days=days,
        submitted_at=dt.datetime(start.year, 1, 2, tzinfo=dt.UTC),
    )


# --- the CT balance ----------------------------------------------------------------------


def test_balance_deducts_cuti_bersama_and_carries_last_years_unused_days(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    holidays_seed(agency=org.agency, year=2025)  # 11 cuti bersama days in 2025, 8 in 2026
    balance = selectors.leave_balance(employee=org.worker, year=2026)
    # 2025: 12 - 11 cuti bersama = 1 unused, carried; 2026: 12 + 1 - 8
    assert (balance.entitlement, balance.carried_over, balance.cuti_bersama) == (12, 1, 8)
    assert balance.remaining == 5


def test_balance_counts_approved_and_pending_days_and_caps_the_carry_over(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    existing(org.worker, "CT", D(2025, 3, 3), D(2025, 3, 13), "approved", 9)
    existing(org.worker, "CT", D(2026, 2, 2), D(2026, 2, 3), "approved", 2)
    existing(org.worker, "CT", D(2026, 7, 1), D(2026, 7, 1), "submitted", 1)
    existing(org.worker, "CT", D(2026, 8, 3), D(2026, 8, 7), "rejected", 5)
    balance = selectors.leave_balance(employee=org.worker, year=2026)
    # 2025 (no cuti bersama recorded): 12 - 9 = 3 carried; 2026: 12 + 3 - 8 - 2 - 1
    assert (balance.carried_over, balance.taken, balance.pending, balance.remaining) == (
        3,
        2,
        1,
        4,
    )
    AttendanceRequest.objects.filter(start__year=2025).update(working_days=1)
    assert selectors.leave_balance(employee=org.worker, year=2026).carried_over == 6  # cap 18


def test_no_ct_in_a_year_with_long_leave(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    existing(org.worker, "CB", D(2026, 1, 5), D(2026, 3, 4), "approved", 40)
    assert selectors.leave_balance(employee=org.worker, year=2026).remaining == 0


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"start": D(2026, 6, 22), "end": D(2026, 6, 19)}, "end_before_start"),
        ({"start": D(2026, 6, 22), "end": D(2026, 7, 10)}, "balance_exceeded"),
        ({"type": "CAP", "start": D(2026, 6, 22), "end": D(2026, 8, 1)}, "too_long"),
        ({"type": "SAKIT", "start": D(2026, 6, 16)}, "in_the_future"),
        ({"type": "IZIN", "start": D(2026, 5, 11)}, "month_locked"),
        ({"type": "DL", "start": D(2026, 6, 22)}, "reference_required"),
        ({"type": "CS", "start": D(2026, 6, 15), "end": D(2026, 6, 17)}, "doctor_note_required"),
        (
            {"type": "KOREKSI", "start": None, "correction_date": D(2026, 6, 12)},
            "correction_fields_required",
        ),
    ],
)
def test_each_refusal_saves_nothing(org, freeze, kwargs, code, tmp_path):
    freeze(2026, 6, 15, 8, 0)
    before = (AttendanceRequest.objects.count(), RequestStep.objects.count())
    with pytest.raises(InvalidInput) as refused:
        submit(org.worker, **kwargs)
    assert refused.value.code == code
    assert refused.value.detail["issues"][0]["code"] == code
    assert (AttendanceRequest.objects.count(), RequestStep.objects.count()) == before
    assert not (tmp_path / "media").exists()


def test_balance_exceeded_names_the_balance(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    with pytest.raises(InvalidInput) as refused:
        submit(org.worker, start=D(2026, 6, 22), end=D(2026, 7, 10))  # 15 working days
    assert refused.value.detail["remaining"] == 10
    assert refused.value.detail["requested"] == 15
    assert "10" in str(refused.value.message)


def test_overlapping_request_is_refused(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    first = submit(org.worker, start=D(2026, 6, 22), end=D(2026, 6, 24))
    with pytest.raises(InvalidInput) as refused:
        submit(org.worker, type="IZIN", start=D(2026, 6, 24))
    assert refused.value.code == "overlaps"
    assert refused.value.detail["ids"] == [first.pk]


def test_attachment_is_checked_by_content(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    with pytest.raises(InvalidInput) as refused:
        submit(
            org.worker, type="CS", start=D(2026, 6, 15), end=D(2026, 6, 17), attachment=b"GIF89a"
        )
    assert refused.value.code == "invalid_attachment"
    with pytest.raises(PayloadTooLarge):
        submit(org.worker, type="IZIN", attachment=PDF + b"0" * (5 * 1024 * 1024))
    assert AttendanceRequest.objects.count() == 0
    created = submit(
        org.worker, type="CS", start=D(2026, 6, 15), end=D(2026, 6, 17), attachment=PDF
    )
    assert created.attachment.name.endswith(".pdf")
    assert created.attachment.read() == PDF


@pytest.mark.parametrize("format_", ["JPEG", "PNG"])
def test_image_attachment_is_reencoded_without_metadata(org, freeze, format_):
    freeze(2026, 6, 15, 8, 0)
    exif = Image.Exif()
    exif[0x010F] = "Kamera Uji"  # Make
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (10, 20, 30)).save(buf, format_, exif=exif.tobytes())
    created = submit(org.worker, type="IZIN", attachment=buf.getvalue())
    stored = Image.open(created.attachment)
    assert stored.format == format_
    assert not stored.getexif()


def test_unknown_type_and_missing_fields_are_invalid_input(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    with pytest.raises(InvalidInput) as refused:
        submit(org.worker, type="LIBURAN")
    assert list(refused.value.detail["fields"]) == ["type"]
    with pytest.raises(InvalidInput) as refused:
        submit(org.worker, type="DL", reason=" ", destination_latitude=-2.6)
    assert set(refused.value.detail["fields"]) == {"reason", "destination_latitude"}


# --- approval chains ------------------------------------------------------------------------


def test_submit_creates_one_supervisor_step_and_notifies_them(
    org, freeze, django_capture_on_commit_callbacks
):
    freeze(2026, 6, 15, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        created = submit(org.worker, start=D(2026, 6, 22), end=D(2026, 6, 24))
    assert created.status == "submitted"
    assert created.working_days == 3
    assert [(s.role, s.approver) for s in created.steps.all()] == [("supervisor", org.boss)]
    assert Notification.objects.get().user == org.boss.user


def test_one_step_approval(org, freeze, django_capture_on_commit_callbacks):
    freeze(2026, 6, 15, 8, 0)
    created = submit(org.worker, start=D(2026, 6, 22))
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(org.boss.user, created, note="Silakan")
    assert decided.status == "approved"
    assert decided.decided_at is not None
    step = decided.steps.get()
    assert (step.decision, step.decided_by, step.note) == ("approved", org.boss.user, "Silakan")
    assert Notification.objects.get().user == org.worker.user


def test_two_step_approval_goes_to_the_unit_head(org, freeze, django_capture_on_commit_callbacks):
    freeze(2026, 6, 15, 8, 0)
    created = submit(org.worker, type="CAP", start=D(2026, 6, 22), end=D(2026, 6, 23))
    assert [s.role for s in created.steps.all()] == ["supervisor", "unit_head"]
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(org.boss.user, created).status == "submitted"
    assert Notification.objects.get().user == org.head.user
    with pytest.raises(Forbidden):  # not the boss's turn any more, and never the worker's
        decide(org.worker.user, created)
    assert decide(org.head.user, created).status == "approved"
    assert list(created.steps.values_list("decision", flat=True)) == ["approved", "approved"]
    assert AttendanceDay.objects.get(employee=org.worker, date=D(2026, 6, 23)).status == "CAP"


def test_supervisor_who_heads_the_unit_decides_once(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    org.worker.supervisor = org.head
    org.worker.save(update_fields=["supervisor"])
    created = submit(org.worker, type="CAP", start=D(2026, 6, 22))
    assert [(s.role, s.approver) for s in created.steps.all()] == [("supervisor", org.head)]


def test_without_supervisor_the_unit_head_decides(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    org.worker.supervisor = None
    org.worker.save(update_fields=["supervisor"])
    created = submit(org.worker)
    assert [(s.role, s.approver) for s in created.steps.all()] == [("unit_head", org.head)]


def test_a_unit_head_without_supervisor_goes_to_the_parent_units_head(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    regent = EmployeeFactory(agency=org.agency)
    parent = UnitFactory(agency=org.agency, head=regent)
    regent.unit = parent
    regent.save(update_fields=["unit"])
    org.unit.parent = parent
    org.unit.save(update_fields=["parent"])
    created = submit(org.head)
    assert [(s.role, s.approver) for s in created.steps.all()] == [("unit_head", regent)]
    assert decide(regent.user, created).status == "approved"


def test_nobody_above_means_hr_decides(org, freeze, django_capture_on_commit_callbacks):
    freeze(2026, 6, 15, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        created = submit(org.head)
    step = created.steps.get()
    assert (step.role, step.approver) == ("unit_head", None)
    assert Notification.objects.get().user == org.hr
    with pytest.raises(Forbidden):
        decide(org.boss.user, created)
    assert decide(org.hr, created).status == "approved"


def test_rejection_keeps_the_note_skips_the_rest_and_leaves_the_days(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    created = submit(org.worker, type="CAP", start=D(2026, 6, 22))
    rejected = decide(org.boss.user, created, approve=False, note="Ada rapat")
    assert rejected.status == "rejected"
    steps = list(rejected.steps.values_list("decision", "note"))
    assert steps == [("rejected", "Ada rapat"), ("skipped", "")]
    assert not AttendanceDay.objects.filter(employee=org.worker).exists()
    assert not RosterEntry.objects.filter(employee=org.worker).exists()


def test_only_the_current_approver_decides_and_only_once(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    created = submit(org.worker)
    outsider = EmployeeFactory(agency=org.agency)
    for user in (outsider.user, org.worker.user, org.hr):  # HR only for steps nobody decides
        with pytest.raises(Forbidden):
            decide(user, created)
    decide(org.boss.user, created)
    with pytest.raises(Conflict):
        decide(org.boss.user, created)


def test_cancel_only_by_the_employee_while_submitted(org, freeze):
    freeze(2026, 6, 15, 8, 0)
    created = submit(org.worker)
    with pytest.raises(Forbidden):
        services.request_cancel(user=fresh(org.boss.user), request=created)
    cancelled = services.request_cancel(user=fresh(org.worker.user), request=created)
    assert cancelled.status == "cancelled"
    assert created.steps.get().decision == "skipped"
    second = submit(org.worker)  # the cancelled one no longer overlaps
    decide(org.boss.user, second)
    with pytest.raises(Conflict):
        services.request_cancel(user=fresh(org.worker.user), request=second)


# --- effects on the days ---------------------------------------------------------------------


def test_approved_leave_changes_each_working_day_at_once(org, freeze, post_check_in):
    freeze(2026, 6, 15, 7, 20)
    assert post_check_in().status_code == 201  # checked in, then asks for the week off
    created = submit(org.worker, start=D(2026, 6, 15), end=D(2026, 6, 21))
    assert created.working_days == 4  # 16 June is a holiday, 20-21 a weekend
    decide(org.boss.user, created)
    days = dict(AttendanceDay.objects.filter(employee=org.worker).values_list("date", "status"))
    assert days == {D(2026, 6, d): "CT" for d in (15, 17, 18, 19)}  # future days too
    entries = RosterEntry.objects.filter(employee=org.worker)
    assert sorted(e.date.day for e in entries) == [15, 17, 18, 19]
    assert {(e.mode, e.absence_code, e.request_ref) for e in entries} == {("OFF", "CT", created.pk)}
    assert selectors.leave_balance(employee=org.worker, year=2026).taken == 4


def test_approved_travel_checks_in_at_the_destination_only(org, freeze, post_check_in):
    freeze(2026, 11, 20, 9, 0)
    created = submit(
        org.worker,
        type="DL",
        start=D(2026, 11, 23),
        reference="094/123/DL/2026",
        destination="Kantor Gubernur",
        destination_latitude=DESTINATION[0],
        destination_longitude=DESTINATION[1],
    )
    decide(org.boss.user, created)
    assert AttendanceDay.objects.get(employee=org.worker, date=D(2026, 11, 23)).status == "DL"
    freeze(2026, 11, 23, 7, 20)
    far = post_check_in()  # at the office, 12 km from the destination
    assert far.status_code == 422
    assert far.json()["code"] == "outside_geofence"
    there = post_check_in(lat=DESTINATION[0], lon=DESTINATION[1])
    assert there.status_code == 201, there.content
    body = there.json()
    assert (body["mode"], body["place"]["kind"], body["day"]["status"]) == (
        "DL",
        "destination",
        "DL",
    )


def test_correction_adds_an_event_and_the_day_becomes_hadir(org, freeze, post_check_in):
    freeze(2026, 11, 23, 16, 5)
    assert post_check_in(kind="out").status_code == 201  # forgot to check in
    freeze(2026, 11, 24, 9, 0)
    attendance_close_day(date=D(2026, 11, 23))
    day = AttendanceDay.objects.get(employee=org.worker, date=D(2026, 11, 23))
    assert day.status == "TL4"
    original = CheckIn.objects.values().get()
    created = submit(
        org.worker,
        type="KOREKSI",
        start=None,
        correction_date=D(2026, 11, 23),
        correction_kind="in",
        correction_time=dt.time(7, 25),
    )
    decide(org.boss.user, created)
    day.refresh_from_db()
    assert day.status == "HADIR"
    assert "corrected" in day.flags
    assert "no_check_in" not in day.flags
    assert CheckIn.objects.values().get(pk=original["id"]) == original
    added = CheckIn.objects.get(source="correction")
    assert added.recorded_at.isoformat() == "2026-11-22T23:25:00+00:00"  # 07:25 WITA
    assert (added.kind, added.inside, added.review, added.selfie.name) == ("in", True, "none", "")
    assert added.place_kind == "office"
    created.refresh_from_db()
    assert created.corrected_event == added


def test_two_corrections_turn_tk_into_hadir(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    attendance_close_day(date=D(2026, 11, 23))
    assert AttendanceDay.objects.get(employee=org.worker, date=D(2026, 11, 23)).status == "TK"
    for kind, time in (("in", dt.time(7, 25)), ("out", dt.time(16, 5))):
        created = submit(
            org.worker,
            type="KOREKSI",
            start=None,
            correction_date=D(2026, 11, 23),
            correction_kind=kind,
            correction_time=time,
        )
        decide(org.boss.user, created)
    day = AttendanceDay.objects.get(employee=org.worker, date=D(2026, 11, 23))
    assert (day.status, day.flags) == ("HADIR", ["corrected"])


def test_rejected_correction_leaves_the_day(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    attendance_close_day(date=D(2026, 11, 23))
    created = submit(
        org.worker,
        type="KOREKSI",
        start=None,
        correction_date=D(2026, 11, 23),
        correction_kind="in",
        correction_time=dt.time(7, 25),
    )
    decide(org.boss.user, created, approve=False)
    day = AttendanceDay.objects.get(employee=org.worker, date=D(2026, 11, 23))
    assert (day.status, CheckIn.objects.count()) == ("TK", 0)


def test_days_recompute_is_bounded(org, freeze, django_assert_max_num_queries):
    freeze(2026, 6, 15, 8, 0)
    employee_zone(org.worker)  # warm the office map and the calendar caches
    calendar_for(agency=org.agency, day=D(2026, 7, 1), zone="Asia/Makassar")
    days = working_days(D(2026, 7, 1), D(2026, 9, 30), holidays=frozenset())
    with django_assert_max_num_queries(6):
        days_recompute(employee=org.worker, days=days)
    assert AttendanceDay.objects.filter(employee=org.worker).count() == len(days)


# --- month lock -------------------------------------------------------------------------------


def test_hr_reopens_a_locked_month_and_closes_it_again(org, freeze):
    freeze(2026, 6, 15, 8, 0)  # May's clarification deadline was 4 June
    with pytest.raises(InvalidInput) as refused:
        submit(org.worker, type="IZIN", start=D(2026, 5, 11))
    assert refused.value.detail["months"] == ["2026-05"]
    with pytest.raises(Forbidden):
        services.month_reopen(
            user=fresh(org.boss.user), agency=org.agency, year=2026, month=5, reason="x"
        )
    reopening = services.month_reopen(
        user=fresh(org.hr), agency=org.agency, year=2026, month=5, reason="Banding TPP"
    )
    assert (reopening.reopened_by, reopening.reason, reopening.closed_at) == (
        org.hr,
        "Banding TPP",
        None,
    )
    with pytest.raises(Conflict):
        services.month_reopen(user=fresh(org.hr), agency=org.agency, year=2026, month=5, reason="y")
    assert submit(org.worker, type="IZIN", start=D(2026, 5, 11)).status == "submitted"
    services.month_close(user=fresh(org.hr), agency=org.agency, year=2026, month=5)
    assert MonthReopening.objects.get().closed_at is not None
    with pytest.raises(InvalidInput) as again:
        submit(org.worker, type="IZIN", start=D(2026, 5, 12))
    assert again.value.code == "month_locked"
    with pytest.raises(Conflict):
        services.month_close(user=fresh(org.hr), agency=org.agency, year=2026, month=5)
