"""Masking per role on the pages, API responses and exports that show another person's NIP:
the person, their supervisor, unit head, HR and inspectors see it in full; a leader or a
colleague gets it masked (sigap.privacy.rules.AUDIENCE). Query counts stay bounded."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

import sigap
from sigap.core.tokens import token_issue
from sigap.discipline.rewards import EmployeeEntry, Rankings
from sigap.privacy.rules import mask_nip
from sigap.reports import tasks
from tests.factories import EmployeeFactory
from tests.privacy.masking_world import FULL_NIP, build_world

pytestmark = pytest.mark.django_db

TEMPLATES = Path(sigap.__file__).parent
RAW_NIP = re.compile(r"\{\{\s*[\w.]*\.nip\s*(\|[^}]*)?\}\}")
# templates that may print a NIP as it is stored, and why
RAW_NIP_ALLOWED = {
    "web/profile.html": "the signed-in person's own profile",
    "web/privacy/access_search.html": "the access log: HR admins and inspectors only",
}


@pytest.fixture
def world(freeze):
    freeze(2026, 11, 23, 10, 0)
    return build_world()


def shown(viewer: str, nip: str) -> str:
    return nip if viewer in FULL_NIP else mask_nip(nip)


def bearer(user) -> dict:
    return {
        "HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user, device_id='t', device_name='t').token}"
    }


def test_no_template_prints_a_raw_nip():
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()}"
        for path in TEMPLATES.rglob("templates/**/*.html")
        if str(path).split("templates/", 1)[1] not in RAW_NIP_ALLOWED
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_NIP.search(line)
    ]
    assert found == [], "use {% load privacy %}{% nip employee %}:\n" + "\n".join(found)
    assert RAW_NIP.search("<td>{{ row.employee.nip }}</td>")
    assert not RAW_NIP.search("<td>{% nip row.employee %}</td>")


@pytest.mark.parametrize("viewer", ["head", "hr", "inspector", "leader"])
def test_the_dashboards_people_table(client, world, viewer, django_assert_max_num_queries):
    client.force_login(world.user(viewer))
    url = reverse("web:dashboard_unit", args=[world.unit.pk])
    client.get(url)  # warm the caches
    with django_assert_max_num_queries(40) as captured:
        body = client.get(url).content.decode()
    assert f'data-value="{shown(viewer, world.staff.nip)}"' in body
    assert (world.staff.nip in body) == (viewer in FULL_NIP)
    EmployeeFactory.create_batch(15, agency=world.agency, unit=world.unit, supervisor=world.boss)
    with django_assert_max_num_queries(len(captured)):  # no query per person
        client.get(url)


@pytest.mark.parametrize("viewer", ["head", "hr", "inspector", "leader"])
def test_the_performance_ranking_and_its_xlsx(client, world, viewer):
    client.force_login(world.user(viewer))
    url = f"{reverse('web:performance_recap')}?unit={world.unit.pk}&month=2026-11"
    body = client.get(url).content.decode()
    assert f'<td class="mono">{shown(viewer, world.staff.nip)}</td>' in body
    assert (world.staff.nip in body) == (viewer in FULL_NIP)  # nor in the links
    assert f"/kinerja/rekap/pegawai/{world.staff.pk}/?month=2026-11" in body
    response = client.get(f"{url}&format=xlsx")
    cells = {c.value for row in load_workbook(io.BytesIO(response.content)).active for c in row}
    assert shown(viewer, world.staff.nip) in cells
    assert (world.staff.nip in cells) == (viewer in FULL_NIP)


def test_the_employee_page_opens_by_id_and_by_nip(client, world):
    client.force_login(world.user("leader"))
    for key in (world.staff.pk, world.staff.nip):
        response = client.get(reverse("web:performance_employee", args=[key]))
        assert response.status_code == 200
        assert mask_nip(world.staff.nip) in response.content.decode()
        assert world.staff.nip not in response.content.decode().replace(f"/{key}/", "")


@pytest.mark.parametrize("viewer", ["self", "boss", "head", "hr", "inspector", "leader"])
def test_me_shows_the_own_nip_and_the_supervisors_as_the_caller_may_see_it(client, world, viewer):
    person = world.staff if viewer == "self" else getattr(world, viewer)
    body = client.get("/api/v1/me", **bearer(person.user)).json()
    assert body["nip"] == person.nip  # always one's own in full
    if person.supervisor is not None:
        # a direct subordinate sees the supervisor's NIP (leave forms name it)
        expected = person.supervisor.nip
        assert body["supervisor"] == {"nip": expected, "name": person.supervisor.name}


@pytest.mark.parametrize(
    "viewer", ["self", "boss", "head", "hr", "inspector", "leader", "colleague"]
)
def test_the_rewards_rankings(client, world, viewer, django_assert_max_num_queries):
    ranked = [EmployeeEntry(1, 20, world.staff.pk, world.staff.name, world.staff.nip, "Alfa")]
    ranked += [
        EmployeeEntry(2, 19, e.pk, e.name, e.nip, "Alfa")
        for e in EmployeeFactory.create_batch(9, agency=world.agency, unit=world.unit)
    ]
    found = Rankings(2026, 10, employees={"perfect_attendance": ranked}, units={})
    cache.set(f"discipline:rankings:{world.agency.pk}:2026-10:10", found, 600)
    headers = bearer(world.user(viewer))
    client.get("/api/v1/rewards?month=2026-10", **headers)
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/rewards?month=2026-10", **headers).json()
    first = body["employees"]["perfect_attendance"][0]
    assert first["nip"] == shown(viewer, world.staff.nip)


@pytest.mark.parametrize("viewer", ["self", "hr", "leader", "colleague"])
def test_the_reward_certificate(client, world, viewer, monkeypatch):
    entry = EmployeeEntry(1, 20, world.staff.pk, world.staff.name, world.staff.nip, "Alfa")
    found = Rankings(2026, 10, employees={"perfect_attendance": [entry]}, units={})
    cache.set(f"discipline:rankings:{world.agency.pk}:2026-10:10", found, 600)
    printed = {}

    def fake_pdf(*, entry, **_kwargs):
        printed["nip"] = entry.nip
        return b"%PDF-1.4"

    monkeypatch.setattr("sigap.web.certificate_views.certificate_pdf", fake_pdf)
    client.force_login(world.user(viewer))
    url = reverse("web:reward_certificate", args=["perfect_attendance", 2026, 10])
    assert client.get(url).status_code == 200
    assert printed["nip"] == shown(viewer, world.staff.nip)


@pytest.mark.parametrize("viewer", ["head", "hr", "inspector", "leader"])
def test_the_official_attendance_exports(world, viewer):
    user = world.user(viewer)
    job = {"user_id": user.pk, "agency_id": world.agency.pk, "unit_id": world.unit.pk}
    daily, _name = tasks._build("j1", {**job, "kind": tasks.DAILY_XLSX, "date": "2026-11-23"})
    monthly, _name = tasks._build("j2", {**job, "kind": tasks.MONTHLY_XLSX, "month": [2026, 11]})
    for content in (daily, monthly):
        book = load_workbook(io.BytesIO(content))
        cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
        assert shown(viewer, world.staff.nip) in cells
        assert (world.staff.nip in cells) == (viewer in FULL_NIP)
        header = " ".join(str(c) for c in cells if isinstance(c, str)).lower()
        assert "phone" not in header and "telepon" not in header and "email" not in header


def test_an_export_of_a_user_who_is_gone_is_masked(world):
    job = {"user_id": 0, "agency_id": world.agency.pk, "kind": tasks.DAILY_XLSX}
    content, _name = tasks._build("j3", {**job, "date": "2026-11-23"})
    book = load_workbook(io.BytesIO(content))
    cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert mask_nip(world.staff.nip) in cells and world.staff.nip not in cells
