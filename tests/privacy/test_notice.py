"""The privacy notice (/privasi/): open without signing in, Indonesian by default and English
on request, showing the agency's own retention settings and data protection contact, and
linked from the login page and the phone check-in page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sigap.org.agency_settings import agency_settings_problems
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory

pytestmark = pytest.mark.django_db

NOTICE = "/privasi/"


@pytest.fixture
def agency():
    found = AgencyFactory(
        code="pemkab-uji",
        name="Pemerintah Kabupaten Uji",
        settings={
            "privacy": {"selfie_days": 120, "refused_days": 45, "health_days": 400},
            "dpo": {"name": "Ibu Rina, PPDP", "email": "ppdp@ujikab.go.id"},
        },
    )
    return found


def test_the_notice_is_reachable_without_signing_in_in_indonesian(client, agency):
    response = client.get(NOTICE)
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("web:privacy_notice") == NOTICE
    assert "Pemberitahuan Privasi SIGAP" in body
    for words in (
        "bukan persetujuan",
        "Peraturan Pemerintah Nomor 94 Tahun 2021",
        "Peraturan Presiden Nomor 21 Tahun 2023",
        "Undang-Undang Nomor 27 Tahun 2022",
        "paling lambat 3 × 24 jam",
        "Lokasi, hanya saat presensi masuk dan pulang",
        "data biometrik",
        "data kesehatan",
    ):
        assert words in body, words


def test_the_notice_shows_the_agencys_retention_days_and_contact(client, agency):
    body = client.get(NOTICE).content.decode()  # the deployment's only agency
    assert '<td id="retention-selfie"><strong>120 hari</strong>' in body
    assert '<td id="retention-refused"><strong>45 hari</strong>' in body
    assert '<td id="retention-health"><strong>400 hari</strong>' in body
    assert "Ibu Rina, PPDP" in body and "mailto:ppdp@ujikab.go.id" in body
    assert "Pemerintah Kabupaten Uji" in body


def test_a_signed_in_employee_sees_their_own_agencys_settings(client, agency):
    AgencyFactory(settings={"privacy": {"selfie_days": 30}})  # another agency
    employee = EmployeeFactory(agency=agency)
    client.force_login(employee.user)
    body = client.get(NOTICE).content.decode()
    assert "<strong>120 hari</strong>" in body
    assert reverse("web:privacy_my_data") in body  # how to exercise the rights
    assert reverse("web:access_mine") in body
    assert reverse("web:request_new") in body


def test_with_several_agencies_the_address_names_one_or_the_defaults_show(client, agency):
    AgencyFactory(code="kota-lain", settings={"privacy": {"selfie_days": 30}})
    body = client.get(NOTICE).content.decode()
    assert "<strong>90 hari</strong>" in body  # the shipped default, with a note
    assert "Masuk untuk melihat pengaturan instansi Anda" in body
    assert "<strong>30 hari</strong>" in client.get(f"{NOTICE}?instansi=kota-lain").content.decode()


def test_the_notice_speaks_english_when_asked(client, agency):
    client.cookies["django_language"] = "en"
    body = client.get(NOTICE).content.decode()
    assert "SIGAP privacy notice" in body
    assert '<td id="retention-selfie"><strong>120 days</strong>' in body
    assert "not consent" in body and "within 3 × 24 hours" in body


def test_without_a_configured_officer_the_hr_office_is_named(client):
    AgencyFactory(name="Pemerintah Kota Contoh")
    body = client.get(NOTICE).content.decode()
    assert "BKPSDM Pemerintah Kota Contoh" in body


def test_the_officer_setting_is_checked_when_saved(agency):
    assert agency_settings_problems(agency, agency.settings) == {}
    problems = agency_settings_problems(agency, {"dpo": {"email": "not an email"}})
    assert set(problems) == {"dpo"}
    assert set(agency_settings_problems(agency, {"dpo": {"fax": "1"}})) == {"dpo"}


def test_the_login_page_links_the_notice(client, agency):
    body = client.get(reverse("web:login")).content.decode()
    assert f'href="{NOTICE}" id="privacy-notice-link"' in body


def test_the_check_in_page_links_the_notice(client, agency):
    office = OfficeFactory(agency=agency)
    employee = EmployeeFactory(agency=agency, office=office)
    client.force_login(employee.user)
    response = client.get(reverse("web:check_in"))
    assert response.status_code == 200
    assert f'href="{NOTICE}" id="privacy-notice-link"' in response.content.decode()
