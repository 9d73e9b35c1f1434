"""Health pages: the declaration before check-in on the phone page (required holds the
check-in back), the employee's own page, the unit's dashboard (counts for everyone in
scope, details for the unit head and HR, logged), a person's record, documents."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from sigap.health import services
from sigap.health.models import Declaration, HealthTest, WfhSuggestion
from sigap.privacy.models import AccessLog
from tests.health.conftest import MONDAY, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def page(client, who, url):
    client.force_login(who.user)
    return client.get(url)


# --- the phone page -----------------------------------------------------------------------


def test_the_phone_page_offers_the_declaration_before_check_in(en, world):
    html = page(en, world.staff, "/presensi/").content.decode()
    assert 'id="health-declare-form"' in html and 'id="health-optional"' in html
    assert html.index('id="health-declare"') < html.index('id="submit"')  # right before
    assert 'id="capture"' in html and "web/checkin.js" in html


def test_required_declaration_holds_the_check_in_back_until_made(en, world):
    world.settings(declaration="required")
    html = page(en, world.staff, "/presensi/").content.decode()
    assert 'id="health-required"' in html
    assert 'id="submit"' not in html and 'id="capture"' not in html
    assert "web/checkin.js" not in html
    sent = en.post(
        "/kesehatan/deklarasi/",
        {
            "date": "2026-11-23",
            "symptoms": ["cough"],
            "temperature_c": "37.2",
            "next": "/presensi/",
        },
    )
    assert sent.status_code == 302 and sent["Location"] == "/presensi/"
    declared = Declaration.objects.get(employee=world.staff)
    assert declared.symptoms == ["cough"] and str(declared.temperature_c) == "37.2"
    html = en.get("/presensi/").content.decode()
    assert 'id="health-declared"' in html and 'id="submit"' in html and 'id="capture"' in html


def test_off_shows_no_declaration(en, world):
    world.settings(declaration="off")
    html = page(en, world.staff, "/presensi/").content.decode()
    assert "health-declare" not in html and 'id="submit"' in html


def test_a_bad_declaration_is_refused_with_a_message(en, world):
    page(en, world.staff, "/kesehatan/")
    sent = en.post(
        "/kesehatan/deklarasi/", {"date": "2026-11-20", "symptoms": ["fever"]}, follow=True
    )
    assert not Declaration.objects.exists()
    assert "Declare for today" in sent.content.decode()
    en.post("/kesehatan/deklarasi/", {"date": "2026-11-23", "temperature_c": "48"})
    assert not Declaration.objects.exists()
    unsafe = en.post(
        "/kesehatan/deklarasi/", {"date": "2026-11-23", "next": "https://evil.example/"}
    )
    assert unsafe["Location"] == "/kesehatan/"


# --- the employee's own page ---------------------------------------------------------------


def test_own_page_shows_own_data_and_records_a_test(en, world):
    services.declaration_submit(
        employee=world.desk, day=MONDAY, symptoms=["fever"], temperature_c=38.0
    )
    html = page(en, world.desk, "/kesehatan/").content.decode()
    assert "Fever" in html and "38.0" in html
    assert "Periodic test required: none is on record." in html
    doc = io.BytesIO(PDF)
    doc.name = "hasil.pdf"
    sent = en.post(
        "/kesehatan/tes/",
        {"kind": "antigen", "taken_on": "2026-11-23", "result": "negative", "document": doc},
    )
    assert sent.status_code == 302
    test = HealthTest.objects.get(employee=world.desk)
    html = en.get("/kesehatan/").content.decode()
    assert f"/kesehatan/tes/{test.pk}/dokumen/" in html
    assert en.get(f"/kesehatan/tes/{test.pk}/dokumen/").status_code == 200
    assert not AccessLog.objects.exists()


# --- the unit's health page ----------------------------------------------------------------


@pytest.fixture
def flagged(world):
    services.declaration_submit(
        employee=world.staff, day=MONDAY, symptoms=["shortness_of_breath"], temperature_c=38.6
    )
    services.declaration_submit(
        employee=world.colleague, day=MONDAY, symptoms=[], temperature_c=None
    )
    services.health_test_record(
        user=world.hr.user,
        employee=world.desk,
        kind="pcr",
        taken_on=MONDAY - dt.timedelta(days=1),
        result="positive",
    )
    return world


def test_leaders_and_inspectors_see_counts_only(en, flagged):
    for viewer in (flagged.leader, flagged.inspector):
        html = page(en, viewer, "/kesehatan/unit/").content.decode()
        assert f'id="health-unit-{flagged.opd.pk}"' in html
        assert '<td class="declared">2</td>' in html and '<td class="flagged">1</td>' in html
        assert '<td class="positive">1</td>' in html
        assert "Shortness of breath" not in html and "38.6" not in html
        assert flagged.staff.name not in html and "health-suggestions" not in html
    assert not AccessLog.objects.exists()


def test_the_unit_head_sees_details_logged(en, flagged, django_assert_max_num_queries):
    en.force_login(flagged.head.user)
    with django_assert_max_num_queries(40):
        html = en.get("/kesehatan/unit/").content.decode()
    assert "Shortness of breath" in html and "38.6" in html
    assert flagged.staff.name in html and flagged.desk.name in html  # flag, positive
    assert (
        f'id="suggestion-{WfhSuggestion.objects.filter(employee=flagged.staff).get().pk}"' in html
    )
    assert 'id="health-overdue"' in html and flagged.desk2.name in html
    logged = set(AccessLog.objects.values_list("actor_id", "subject_id", "category", "channel"))
    assert logged == {
        (flagged.head.user_id, flagged.staff.pk, "health", "page"),
        (flagged.head.user_id, flagged.desk.pk, "health", "page"),
    }


def test_the_unit_page_query_count_does_not_grow_with_people(
    en, flagged, django_assert_max_num_queries
):
    from tests.factories import EmployeeFactory

    en.force_login(flagged.hr.user)
    en.get("/kesehatan/unit/")
    for n in range(8):
        someone = EmployeeFactory(agency=flagged.agency, unit=flagged.section, name=f"Tambahan {n}")
        services.declaration_submit(
            employee=someone, day=MONDAY, symptoms=["cough"], temperature_c=None
        )
    with django_assert_max_num_queries(40):
        html = en.get("/kesehatan/unit/").content.decode()
    assert html.count("Cough") >= 8


def test_the_unit_page_is_refused_to_staff_and_supervisors(en, flagged):
    assert page(en, flagged.staff, "/kesehatan/unit/").status_code == 403
    assert page(en, flagged.supervisor, "/kesehatan/unit/").status_code == 403
    assert (
        page(en, flagged.desk_head, f"/kesehatan/unit/?unit={flagged.section.pk}").status_code
        == 404
    )


def test_one_click_accepts_a_suggestion_once(en, flagged):
    suggestion = WfhSuggestion.objects.get(employee=flagged.staff)
    page(en, flagged.head, "/kesehatan/unit/")
    url = f"/kesehatan/saran/{suggestion.pk}/"
    assert en.post(url, {"action": "accept"}).status_code == 302
    assert WfhSuggestion.objects.get(pk=suggestion.pk).status == "accepted"
    assert en.post(url, {"action": "dismiss"}).status_code == 302
    assert WfhSuggestion.objects.get(pk=suggestion.pk).status == "accepted"
    page(en, flagged.colleague, "/")
    other = WfhSuggestion.objects.get(employee=flagged.desk)
    assert en.post(f"/kesehatan/saran/{other.pk}/", {"action": "accept"}).status_code == 404


# --- a person's record and documents --------------------------------------------------------


def test_a_persons_record_for_the_unit_head_and_hr_logged(en, flagged):
    url = f"/kesehatan/pegawai/{flagged.staff.nip}/"
    for viewer in (flagged.head, flagged.hr):
        html = page(en, viewer, url).content.decode()
        assert "Shortness of breath" in html
    assert list(AccessLog.objects.values_list("actor_id", "subject_id", "what")) == [
        (flagged.head.user_id, flagged.staff.pk, "health record (declarations, tests)"),
        (flagged.hr.user_id, flagged.staff.pk, "health record (declarations, tests)"),
    ]
    for viewer in (flagged.supervisor, flagged.leader, flagged.inspector):
        assert page(en, viewer, url).status_code == 403
    for viewer in (flagged.colleague, flagged.desk_head, flagged.outsider):
        assert page(en, viewer, url).status_code == 404
    assert AccessLog.objects.count() == 2


def test_hr_enters_a_test_from_the_record(en, flagged):
    url = f"/kesehatan/pegawai/{flagged.desk2.nip}/"
    html = page(en, flagged.hr, url).content.decode()
    assert 'id="health-test-form"' in html
    sent = en.post(f"{url}tes/", {"kind": "pcr", "taken_on": "2026-11-22", "result": "negative"})
    assert sent.status_code == 302
    assert HealthTest.objects.filter(employee=flagged.desk2, entered_by=flagged.hr.user).exists()
    page(en, flagged.desk_head, url)
    assert (
        en.post(
            f"{url}tes/", {"kind": "pcr", "taken_on": "2026-11-22", "result": "negative"}
        ).status_code
        == 403
    )


def test_document_download_for_owner_head_and_hr_only_logged(en, world):
    doc = io.BytesIO(PDF)
    doc.name = "hasil.pdf"
    test = services.health_test_record(
        user=world.desk.user,
        employee=world.desk,
        kind="pcr",
        taken_on=MONDAY,
        result="negative",
        document=doc,
    )
    url = f"/kesehatan/tes/{test.pk}/dokumen/"
    for viewer in (world.desk_head, world.head, world.hr):
        answer = page(en, viewer, url)
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert (
        AccessLog.objects.filter(
            subject=world.desk, what=f"health test document #{test.pk}"
        ).count()
        == 3
    )
    for viewer in (world.desk2, world.leader, world.inspector, world.outsider, world.staff):
        assert page(en, viewer, url).status_code == 404
    assert AccessLog.objects.count() == 3


def test_nav_links(en, world):
    html = page(en, world.staff, "/kesehatan/").content.decode()
    assert 'id="nav-health"' in html and "nav-health-unit" not in html
    assert 'id="nav-health-unit"' in page(en, world.head, "/kesehatan/").content.decode()
    assert 'id="nav-health-agency"' in page(en, world.leader, "/kesehatan/unit/").content.decode()
