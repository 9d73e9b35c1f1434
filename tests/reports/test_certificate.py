"""The certificate of one of the month's best (PDF) and its page: who gets which entry,
what 404s. Tuesday 24 November 2026 (WITA), the rankings of November 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sigap.discipline import rewards, rules
from sigap.reports import certificate
from tests.discipline.conftest import day
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, UnitFactory, UserFactory
from tests.reports.test_exports import _pdf_text

pytestmark = pytest.mark.django_db


def nov(n: int) -> dt.date:
    return dt.date(2026, 11, n)


@pytest.fixture
def org(freeze):
    """Citra (Dinas B) present and on time three days, Ani (Dinas A) two: both perfect,
    Citra first; Budi late once. Fajar is in another agency."""
    freeze(2026, 11, 24, 9, 0)
    agency = AgencyFactory(
        code="piagam", name="Pemkab Piagam", settings={"exports": {"place": "Mamuju"}}
    )
    a = UnitFactory(agency=agency, code="A", name="Dinas A")
    b = UnitFactory(agency=agency, code="B", name="Dinas B")
    OfficeFactory(agency=agency).units.add(a, b)
    ani = EmployeeFactory(agency=agency, unit=a, name="Ani Teladan")
    budi = EmployeeFactory(agency=agency, unit=a, name="Budi Biasa")
    citra = EmployeeFactory(agency=agency, unit=b, name="Citra Tepat")
    for n in (2, 3):
        day(ani, nov(n), "HADIR")
    day(budi, nov(2), "HADIR")
    day(budi, nov(3), "TL1", late=5)
    for n in (2, 3, 4):
        day(citra, nov(n), "HADIR")
    fajar = EmployeeFactory(name="Fajar Lain")
    for n in (2, 3, 4, 5):
        day(fajar, nov(n), "HADIR")
    return {
        "agency": agency,
        "a": a,
        "b": b,
        "ani": ani,
        "budi": budi,
        "citra": citra,
        "fajar": fajar,
    }


def test_every_category_has_words():
    assert set(certificate.EMPLOYEE_CATEGORIES) == set(rules.EMPLOYEE_CATEGORIES)
    assert set(certificate.UNIT_CATEGORIES) == set(rules.UNIT_CATEGORIES)


def test_an_employees_certificate(org):
    found = rewards.rankings(agency=org["agency"], year=2026, month=11)
    first = found.employees["perfect_attendance"][0]
    assert (first.name, first.rank, first.score) == ("Citra Tepat", 1, Decimal(3))
    with translation.override("id"):
        content = certificate.certificate_pdf(
            agency=org["agency"], year=2026, month=11, category="perfect_attendance", entry=first
        )
        words = [
            _("Certificate of appreciation").upper(),
            _("is presented to"),
            "Citra Tepat",
            f"NIP {org['citra'].nip}",
            "Dinas B",
            "PEMKAB PIAGAM",
            str(certificate.capfirst(_("perfect attendance"))),
            _("%(score)s working days present, every one of them on time") % {"score": "3"},
            _("Rank %(rank)d · %(month)s") % {"rank": 1, "month": "November 2026"},
            _("Regional Secretary"),
            "Mamuju, 24 November 2026",
        ]
    assert content.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content  # A4 landscape
    text = _pdf_text(content)
    for word in words:
        assert word.encode("latin-1").replace(b"\xb7", b"\\267") in text, word  # octal "·"
    assert b"November 2026" in text
    assert text.count(b"....................................") == 2  # the blank name and NIP


def test_an_opds_certificate(org):
    found = rewards.rankings(agency=org["agency"], year=2026, month=11)
    best = found.units["attendance_rate"][0]
    with translation.override("en"):
        content = certificate.certificate_pdf(
            agency=org["agency"], year=2026, month=11, category="attendance_rate", entry=best
        )
    text = _pdf_text(content)
    assert best.name.encode() in text and b"An attendance rate of 100 %" in text
    with pytest.raises(ValueError):
        certificate.certificate_pdf(
            agency=org["agency"], year=2026, month=11, category="perfect_attendance", entry=best
        )
    with pytest.raises(ValueError):
        certificate.certificate_pdf(
            agency=org["agency"], year=2026, month=11, category="nope", entry=best
        )


def test_scores_in_the_language():
    with translation.override("id"):
        assert certificate.score_text(Decimal("97.50")) == "97,50"
        assert certificate.score_text(Decimal("3.00")) == "3"


def url(category: str, year: int = 2026, month: int = 11) -> str:
    return reverse(
        "web:reward_certificate", kwargs={"category": category, "year": year, "month": month}
    )


def pdf_of(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    return _pdf_text(response.content)


def test_anyone_of_the_agency_downloads_a_certificate(client, org):
    client.force_login(org["budi"].user)
    response = client.get(url("perfect_attendance"))
    assert b"Citra Tepat" in pdf_of(response)
    assert (
        'filename="piagam-perfect-attendance-2026-11-citra-tepat.pdf"'
        in response["Content-Disposition"]
    )
    assert b"Ani Teladan" in pdf_of(client.get(url("perfect_attendance") + "?rank=2"))
    by_key = client.get(url("perfect_attendance") + f"?key={org['ani'].pk}")
    assert b"Ani Teladan" in pdf_of(by_key)
    opd = client.get(url("attendance_rate") + f"?key={org['b'].pk}")
    assert b"Dinas B" in pdf_of(opd)


@pytest.mark.parametrize(
    "path",
    [
        url("perfect_attendance") + "?rank=3",  # nobody at that rank
        url("perfect_attendance") + "?rank=x",
        url("perfect_attendance") + "?key=999999",
        url("best_dressed"),
        url("perfect_attendance", 2026, 12),  # not begun
        url("perfect_attendance", 2026, 13),
        url("perfect_attendance", 1999, 11),
    ],
)
def test_what_is_not_listed_is_404(client, org, path):
    client.force_login(org["budi"].user)
    assert client.get(path).status_code == 404


def test_another_agency_sees_its_own_rankings_only(client, org):
    client.force_login(org["fajar"].user)
    assert client.get(url("perfect_attendance") + f"?key={org['citra'].pk}").status_code == 404
    assert client.get(url("attendance_rate") + f"?key={org['b'].pk}").status_code == 404
    own = pdf_of(client.get(url("perfect_attendance")))
    assert b"Fajar Lain" in own and b"Citra" not in own


def test_without_an_agency_or_a_login(client, org):
    assert client.get(url("perfect_attendance")).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url("perfect_attendance")).status_code == 403
