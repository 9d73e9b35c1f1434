"""Health services on the database: declarations, test results, WFH suggestions (accept /
dismiss through the roster), reminders."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from sigap.arrangements.models import RosterChange, RosterEntry
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound, PayloadTooLarge
from sigap.core.models import Notification
from sigap.health import services
from sigap.health.models import Declaration, HealthTest, ScreeningReminder, WfhSuggestion
from tests.health.conftest import MONDAY, PDF, png_bytes

pytestmark = pytest.mark.django_db
TUESDAY, WEDNESDAY, THURSDAY = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 3))


def upload(data: bytes, name: str = "hasil.pdf"):
    handle = io.BytesIO(data)
    handle.name = name
    handle.size = len(data)
    return handle


def declare(employee, day=MONDAY, symptoms=(), temperature=None, notes=""):
    return services.declaration_submit(
        employee=employee, day=day, symptoms=list(symptoms), temperature_c=temperature, notes=notes
    )


# --- declarations ------------------------------------------------------------------------


def test_a_well_declaration_is_stored_and_raises_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = declare(world.staff, temperature=36.6, notes="sehat")
    assert (d.flagged, d.temperature_c, d.threshold_c, d.notes) == (
        False,
        Decimal("36.6"),
        Decimal("37.5"),
        "sehat",
    )
    assert not WfhSuggestion.objects.exists()
    assert not Notification.objects.exists()


def test_a_flagged_declaration_tells_the_unit_head_and_suggests_wfh(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = declare(world.staff, symptoms=["cough", "fever", "cough"], temperature=38.4)
    assert d.flagged and d.symptoms == ["fever", "cough"]
    suggestion = WfhSuggestion.objects.get()
    assert (suggestion.declaration, suggestion.status) == (d, "pending")
    assert suggestion.days == [TUESDAY.isoformat(), WEDNESDAY.isoformat(), THURSDAY.isoformat()]
    note = Notification.objects.get()
    assert note.user == world.head.user  # the section has no head: the OPD's head
    assert note.kind == "health_flag" and "cough" not in note.body and "38" not in note.body


def test_without_any_unit_head_hr_is_told(world, django_capture_on_commit_callbacks):
    world.opd.head = None
    world.opd.save(update_fields=["head"])
    with django_capture_on_commit_callbacks(execute=True):
        declare(world.staff, temperature=38.0)
    assert list(Notification.objects.values_list("user", flat=True)) == [world.hr.user_id]


def test_replacing_is_idempotent_and_unflagging_withdraws_the_suggestion(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        declare(world.staff, symptoms=["fever"])
        declare(world.staff, symptoms=["fever", "cough"])  # still flagged: nothing new
    assert Declaration.objects.count() == 1
    assert WfhSuggestion.objects.count() == 1
    assert Notification.objects.count() == 1
    declare(world.staff, symptoms=[])
    assert Declaration.objects.get().flagged is False
    assert not WfhSuggestion.objects.exists()


def test_a_decided_suggestion_is_not_raised_twice_for_the_same_day(world):
    declare(world.staff, symptoms=["fever"])
    services.suggestion_dismiss(user=world.head.user, suggestion_id=WfhSuggestion.objects.get().pk)
    declare(world.staff, symptoms=[])
    declare(world.staff, symptoms=["fever"])
    assert list(WfhSuggestion.objects.values_list("status", flat=True)) == ["dismissed"]


def test_yesterday_may_be_declared_older_days_and_tomorrow_not(world):
    declare(world.staff, day=MONDAY - dt.timedelta(days=1))
    for day in (MONDAY - dt.timedelta(days=2), MONDAY + dt.timedelta(days=1)):
        with pytest.raises(InvalidInput) as refused:
            declare(world.staff, day=day)
        assert "date" in refused.value.detail["fields"]
    assert Declaration.objects.count() == 1


def test_bad_input_is_refused_and_changes_nothing(world):
    for kwargs, field in (
        ({"symptoms": ["flu"]}, "symptoms"),
        ({"temperature": 45}, "temperature_c"),
        ({"temperature": "abc"}, "temperature_c"),
    ):
        with pytest.raises(InvalidInput) as refused:
            declare(world.staff, **kwargs)
        assert field in refused.value.detail["fields"]
    assert not Declaration.objects.exists()


def test_an_agency_that_collects_none_refuses(world):
    world.settings(declaration="off")
    with pytest.raises(Conflict) as refused:
        declare(world.staff)
    assert refused.value.code == "declarations_off"


def test_the_agency_threshold_decides(world):
    world.settings(temperature_threshold_c=38.0)
    assert declare(world.staff, temperature=37.8).flagged is False
    assert declare(world.colleague, temperature=38.0).flagged is True


# --- test results --------------------------------------------------------------------------


def test_the_employee_records_a_test_with_its_document(world):
    test = services.health_test_record(
        user=world.desk.user,
        employee=world.desk,
        kind="antigen",
        taken_on=MONDAY,
        result="negative",
        document=upload(PDF),
    )
    assert test.document_type == "application/pdf" and test.document_size == len(PDF)
    assert test.document.name.startswith("health/2026/11/")
    with default_storage.open(test.document.name, "rb") as f:
        assert f.read() == PDF
    assert not WfhSuggestion.objects.exists()


def test_an_image_document_is_re_encoded(world):
    test = services.health_test_record(
        user=world.desk.user,
        employee=world.desk,
        kind="pcr",
        taken_on=MONDAY,
        result="negative",
        document=upload(png_bytes(), "hasil.png"),
    )
    assert test.document_type == "image/png" and test.document.name.endswith(".png")


def test_documents_are_checked_by_content_and_size(world):
    fake = upload(b"%PDF-1.4 but no end marker" + b"x" * 100)
    with pytest.raises(InvalidInput) as refused:
        services.health_test_record(
            user=world.desk.user,
            employee=world.desk,
            kind="pcr",
            taken_on=MONDAY,
            result="negative",
            document=fake,
        )
    assert refused.value.code == "invalid_document"
    big = upload(b"%PDF-" + b"0" * (5 * 1024 * 1024) + b"%%EOF")
    with pytest.raises(PayloadTooLarge):
        services.health_test_record(
            user=world.desk.user,
            employee=world.desk,
            kind="pcr",
            taken_on=MONDAY,
            result="negative",
            document=big,
        )
    with pytest.raises(InvalidInput) as missing:
        services.health_test_record(
            user=world.desk.user,
            employee=world.desk,
            kind="pcr",
            taken_on=MONDAY,
            result="negative",
        )
    assert "document" in missing.value.detail["fields"]
    assert not HealthTest.objects.exists()


def test_hr_enters_without_a_document_others_may_not_enter(world):
    services.health_test_record(
        user=world.hr.user, employee=world.desk, kind="pcr", taken_on=MONDAY, result="negative"
    )
    for who in (world.desk_head, world.head, world.colleague, world.outsider):
        with pytest.raises(Forbidden):
            services.health_test_record(
                user=who.user, employee=world.desk, kind="pcr", taken_on=MONDAY, result="negative"
            )
    assert HealthTest.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "taken_on", "result", "field"),
    [
        ("saliva", MONDAY, "negative", "kind"),
        ("pcr", MONDAY, "maybe", "result"),
        ("pcr", MONDAY + dt.timedelta(days=1), "negative", "taken_on"),
        ("pcr", MONDAY - dt.timedelta(days=400), "negative", "taken_on"),
    ],
)
def test_test_input_is_checked(world, kind, taken_on, result, field):
    with pytest.raises(InvalidInput) as refused:
        services.health_test_record(
            user=world.hr.user, employee=world.desk, kind=kind, taken_on=taken_on, result=result
        )
    assert field in refused.value.detail["fields"]


def test_a_positive_test_suggests_wfh_and_tells_the_desk_head(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        test = services.health_test_record(
            user=world.hr.user,
            employee=world.desk,
            kind="antigen",
            taken_on=MONDAY - dt.timedelta(days=3),
            result="positive",
        )
    suggestion = WfhSuggestion.objects.get(test=test)
    # taken last Friday, entered today: from today on
    assert suggestion.days == [MONDAY.isoformat(), TUESDAY.isoformat(), WEDNESDAY.isoformat()]
    assert Notification.objects.get().user == world.desk_head.user


# --- suggestions ------------------------------------------------------------------------


def _flag(world):
    declare(world.desk, symptoms=["fever"])
    return WfhSuggestion.objects.get()


def test_accepting_plans_wfh_with_the_health_override_once(
    world, django_capture_on_commit_callbacks
):
    suggestion = _flag(world)  # a public-service position: WFH breaks the desk's staffing rule
    with django_capture_on_commit_callbacks(execute=True):
        done = services.suggestion_accept(user=world.desk_head.user, suggestion_id=suggestion.pk)
    assert done.status == "accepted" and done.decided_by == world.desk_head.user
    entries = RosterEntry.objects.filter(employee=world.desk).order_by("date")
    assert [(e.date, e.mode) for e in entries] == [
        (TUESDAY, "WFH"),
        (WEDNESDAY, "WFH"),
        (THURSDAY, "WFH"),
    ]
    assert {e.override_reason for e in entries} == {"health"}
    assert done.applied_days == [d.isoformat() for d in (TUESDAY, WEDNESDAY, THURSDAY)]
    assert Notification.objects.filter(user=world.desk.user, kind="health_wfh").count() == 1
    changes = RosterChange.objects.count()
    again = services.suggestion_accept(user=world.desk_head.user, suggestion_id=suggestion.pk)
    assert again.status == "accepted"
    assert RosterChange.objects.count() == changes  # the second click changes nothing
    services.suggestion_dismiss(user=world.desk_head.user, suggestion_id=suggestion.pk)
    assert WfhSuggestion.objects.get().status == "accepted"


def test_accepting_without_a_broken_rule_stores_no_override(world):
    declare(world.staff, symptoms=["fever"])
    suggestion = WfhSuggestion.objects.get()
    services.suggestion_accept(user=world.hr.user, suggestion_id=suggestion.pk)
    assert set(RosterEntry.objects.values_list("mode", "override_reason")) == {("WFH", "")}


def test_dismissing_leaves_the_roster(world):
    suggestion = _flag(world)
    done = services.suggestion_dismiss(user=world.head.user, suggestion_id=suggestion.pk)
    assert done.status == "dismissed"
    assert not RosterEntry.objects.exists()
    services.suggestion_accept(user=world.head.user, suggestion_id=suggestion.pk)
    assert not RosterEntry.objects.exists()


def test_only_the_unit_head_and_hr_decide(world):
    suggestion = _flag(world)
    for who in (
        world.desk,
        world.desk2,
        world.leader,
        world.inspector,
        world.outsider,
        world.supervisor,
    ):
        with pytest.raises(NotFound):
            services.suggestion_accept(user=who.user, suggestion_id=suggestion.pk)
    assert WfhSuggestion.objects.get().status == "pending"


# --- reminders -----------------------------------------------------------------------------


def test_reminders_go_to_front_line_staff_once(world, django_capture_on_commit_callbacks):
    services.health_test_record(  # due 2026-11-24: due soon (lead 2)
        user=world.hr.user,
        employee=world.desk,
        kind="pcr",
        taken_on=MONDAY - dt.timedelta(days=13),
        result="negative",
    )
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        sent = services.screening_reminders_send(agency=world.agency, today=MONDAY)
    # desk: due soon; desk2 and the desk head: no test on record (overdue); nobody else
    assert sent == 3
    notes = dict(Notification.objects.values_list("user", "title"))
    assert set(notes) == {world.desk.user_id, world.desk2.user_id, world.desk_head.user_id}
    assert "24-11-2026" in notes[world.desk.user_id]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.screening_reminders_send(agency=world.agency, today=MONDAY) == 0
    assert ScreeningReminder.objects.count() == 3
    later = MONDAY + dt.timedelta(days=2)  # desk is now overdue: one more
    assert services.screening_reminders_send(agency=world.agency, today=later) == 1
