"""The back office of TPP tables: a new version starts from the shipped bands; gaps,
overlaps, rates out of 0-100 % and overlapping versions are refused with the reason and
save nothing; a version used by a locked month is read-only; other agencies are invisible."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from sigap.discipline import rules
from sigap.discipline.models import TppBand, TppTableVersion
from sigap.discipline.statements import statement_for
from sigap.discipline.tables import default_version
from tests.discipline.conftest import day
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
URL = "/admin/discipline/tpptableversion/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def hr(client, org):
    user = org.hr.user
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="discipline"))
    client.force_login(user)
    client.cookies["django_language"] = "en"  # pages follow the language cookie
    return org.hr


def form(agency, *, start="2026-12-01", until="", bands=None, share="60", absent="4") -> dict:
    bands = (
        bands
        if bands is not None
        else [
            (kind, b.code, b.low, b.high, b.rate)
            for kind, table in (
                ("late", rules.DEFAULT_TABLE.late_bands),
                ("early", rules.DEFAULT_TABLE.early_bands),
            )
            for b in table
        ]
    )
    data = {
        "agency": agency.pk,
        "name": "Perbup 7/2026",
        "effective_from": start,
        "effective_until": until,
        "absent_rate": absent,
        "missed_rollcall_rate": "2",
        "discipline_share": share,
        "cap": "100",
        "convert_minutes": "on",
        "missing_punch_minutes": "91",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "leave_rates-TOTAL_FORMS": "0",
        "leave_rates-INITIAL_FORMS": "0",
    }
    for n, (kind, code, low, high, rate) in enumerate(bands):
        data |= {
            f"bands-{n}-kind": kind,
            f"bands-{n}-code": code,
            f"bands-{n}-low": str(low),
            f"bands-{n}-high": "" if high is None else str(high),
            f"bands-{n}-rate": str(rate),
        }
    return data


def test_the_add_form_starts_from_the_shipped_table(client, hr):
    html = client.get(f"{URL}add/").content.decode()
    assert 'value="TL4"' in html and 'value="PSW1"' in html
    assert 'name="bands-7-code"' in html and 'name="bands-8-code"' not in html


def test_a_valid_version_is_saved_with_its_bands(client, hr):
    response = client.post(f"{URL}add/", form(hr.agency))
    assert response.status_code == 302
    version = TppTableVersion.objects.get()
    assert version.bands.count() == 8 and version.agency == hr.agency


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {
                "bands": [
                    ("late", "TL1", 1, 30, "0.5"),
                    ("late", "TL2", 32, None, "1"),
                    ("early", "PSW1", 1, None, "1"),
                ]
            },
            "gap",
        ),
        (
            {
                "bands": [
                    ("late", "TL1", 1, 30, "0.5"),
                    ("late", "TL2", 30, None, "1"),
                    ("early", "PSW1", 1, None, "1"),
                ]
            },
            "overlaps",
        ),
        (
            {
                "bands": [
                    ("late", "TL1", 1, 30, "0.5"),
                    ("late", "TL2", 31, 60, "1"),
                    ("early", "PSW1", 1, None, "1"),
                ]
            },
            "open-ended",
        ),
        ({"bands": [("late", "TL1", 1, None, "120"), ("early", "PSW1", 1, None, "1")]}, "100"),
        ({"share": "101"}, "100"),
        ({"start": "2026-12-15"}, "first day of a month"),
    ],
)
def test_bad_tables_are_refused_and_save_nothing(client, hr, change, message):
    response = client.post(f"{URL}add/", form(hr.agency, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TppTableVersion.objects.exists() and not TppBand.objects.exists()


def test_overlapping_versions_are_refused(client, hr):
    default_version(agency=hr.agency, effective_from=dt.date(2026, 1, 1), name="Perbup 2026")
    response = client.post(f"{URL}add/", form(hr.agency, start="2026-12-01"))
    assert response.status_code == 200 and "overlaps" in response.content.decode()
    assert "Perbup 2026" in response.content.decode()
    assert TppTableVersion.objects.count() == 1


def test_a_version_used_by_a_locked_month_cannot_change(client, hr, org, freeze):
    freeze(2026, 11, 24, 9, 0)
    version = default_version(agency=hr.agency, effective_from=dt.date(2026, 1, 1), name="2026")
    day(org.staff[0], dt.date(2026, 10, 5), "TK")
    assert statement_for(employee=org.staff[0], year=2026, month=10).frozen_at is not None
    data = form(hr.agency, start="2026-01-01", absent="10") | {
        "bands-TOTAL_FORMS": "0",
        "bands-INITIAL_FORMS": "0",
        "name": "2026",
    }
    response = client.post(f"{URL}{version.pk}/change/", data)
    assert response.status_code == 200 and "10/2026" in response.content.decode()
    version.refresh_from_db()
    assert version.absent_rate == Decimal("4.00")
    assert client.get(f"{URL}{version.pk}/delete/").status_code == 403


def test_other_agencies_are_invisible_and_cannot_be_chosen(client, hr):
    other = AgencyFactory(code="lain", name="Pemkab Lain")
    foreign = default_version(agency=other, effective_from=dt.date(2026, 1, 1), name="Milik lain")
    assert "Milik lain" not in client.get(URL).content.decode()
    assert client.get(f"{URL}{foreign.pk}/change/").status_code == 302  # not found -> index
    response = client.post(f"{URL}add/", form(other))
    assert response.status_code == 200
    assert TppTableVersion.objects.filter(agency=other).count() == 1


def test_a_new_version_recomputes_the_open_month(
    client, hr, org, freeze, celery_eager, django_capture_on_commit_callbacks
):
    freeze(2026, 11, 24, 9, 0)
    day(org.staff[0], dt.date(2026, 11, 2), "TK")
    before = statement_for(employee=org.staff[0], year=2026, month=11)
    assert before.deduction_pct == Decimal("4.00")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}add/", form(hr.agency, start="2026-11-01", absent="10"))
    assert response.status_code == 302
    after = statement_for(employee=org.staff[0], year=2026, month=11)
    assert after.deduction_pct == Decimal("10.00") and after.table_version is not None
