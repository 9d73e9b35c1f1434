"""The retention page /privasi/retensi/: HR admins of the agency only, their own runs,
and a dry run that deletes nothing."""

from __future__ import annotations

import pytest

from sigap.core import clock
from sigap.org.models import Role
from sigap.privacy.models import PurgeRun
from tests.factories import AgencyFactory, EmployeeFactory, RoleFactory


@pytest.fixture
def hr(db):
    agency = AgencyFactory(code="retensi-a")
    user = EmployeeFactory(agency=agency).user
    RoleFactory(user=user, agency=agency, role=Role.HR_ADMIN)
    return user


def run(agency, *, dry_run=True):
    return PurgeRun.objects.create(
        agency=agency, started_at=clock.now(), finished_at=clock.now(), dry_run=dry_run,
        counts={"selfies": {"rows": 1234, "files": 1234}},
    )  # fmt: skip


def test_hr_sees_the_agency_runs_only(client, hr, django_assert_max_num_queries):
    agency = hr.employee.agency
    for _ in range(5):
        run(agency, dry_run=False)
    run(AgencyFactory(code="retensi-b"))
    client.force_login(hr)
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(12):
        page = client.get("/privasi/retensi/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('class="purge-run"') == 5
    assert "Check-in selfies: 1,234 / 1,234" in text
    assert "90 days after their month is locked" in text


def test_dry_run_button_records_a_dry_run(client, hr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(hr)
    response = client.post("/privasi/retensi/uji/")
    assert response.status_code == 302
    made = PurgeRun.objects.get()
    assert made.dry_run and made.by == hr and made.agency == hr.employee.agency
    assert {"selfies", "refused_attempts", "face_templates"} <= set(made.counts)
    assert 'data-dry-run="1"' in client.get("/privasi/retensi/").content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_others_are_refused(client, db, method):
    url = "/privasi/retensi/" if method == "get" else "/privasi/retensi/uji/"
    client.force_login(EmployeeFactory().user)
    assert getattr(client, method)(url).status_code == 403
    assert PurgeRun.objects.count() == 0


def test_nav_links_for_hr(client, hr):
    client.force_login(hr)
    text = client.get("/profil/").content.decode()
    assert 'id="nav-retention"' in text and 'id="nav-subject-export"' in text


def test_inspector_is_refused(client, db):
    agency = AgencyFactory(code="retensi-c")
    user = EmployeeFactory(agency=agency).user
    RoleFactory(user=user, agency=agency, role=Role.INSPECTOR)
    client.force_login(user)
    assert client.get("/privasi/retensi/").status_code == 403
