"""Roster pages: the unit head's grid (/jadwal/), edits by click, the generator job, recalls,
flexible work (/kerja-fleksibel/), and who may see what."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sigap.arrangements import tasks
from sigap.arrangements.models import (
    ApplicationStatus,
    EmergencyPolicy,
    EntryReason,
    FlexibleWorkApplication,
    Mode,
    RosterChange,
    RosterEntry,
)
from sigap.core import clock
from sigap.org.models import Role
from tests.attendance.fixtures import MONDAY
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    PositionFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

TUESDAY = MONDAY + dt.timedelta(days=1)
WEDNESDAY = MONDAY + dt.timedelta(days=2)
FRIDAY = MONDAY + dt.timedelta(days=4)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def head(office_worker):
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="Kepala")
    unit = office_worker.unit
    unit.head = boss
    unit.save(update_fields=["head"])
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    return boss


@pytest.fixture
def friday(freeze):
    """Friday 2026-11-20 09:00 WITA: the week of Monday 23 November is ahead."""
    return freeze(2026, 11, 20, 9, 0)


def plan(employee, day, mode, reason=EntryReason.MANUAL, **fields):
    return RosterEntry.objects.create(
        employee=employee,
        date=day,
        mode=mode,
        reason=reason,
        changed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        **fields,
    )


def policy(agency, share, start=MONDAY, end=FRIDAY):
    return EmergencyPolicy.objects.create(
        agency=agency, name=f"PPKM {share}", start=start, end=end, wfo_share=share
    )


def page_url(unit, start=MONDAY, view="week"):
    return f"{reverse('web:roster')}?unit={unit.pk}&start={start.isoformat()}&view={view}"


def grid_form(unit, start=MONDAY, **values):
    return {"unit": unit.pk, "start": start.isoformat(), "view": "week", **values}


def cell(html, employee, day):
    """The <td> of one employee and day."""
    found = re.search(rf'<td id="cell-{employee.pk}-{day.isoformat()}"(.*?)</td>', html, re.S)
    assert found, f"no cell for {employee} on {day}"
    return found.group(0)


def total(html, unit, day):
    """'1 / 2' from the count row of a unit and day, and whether it is highlighted."""
    found = re.search(rf'<td id="wfo-{unit.pk}-{day.isoformat()}" class="([^"]*)">(.*?)</td>', html)
    assert found, f"no count for {unit} on {day}"
    text = re.sub(r"<[^>]+>", " ", found.group(2))
    return " ".join(text.split()), "violation" in found.group(1)


# --- the grid ------------------------------------------------------------------------------


def test_grid_shows_modes_reasons_and_the_quota(client, friday, head, office_worker):
    unit = office_worker.unit
    policy(unit.agency, 50)  # 2 people at 50 %: one in the office
    plan(office_worker, MONDAY, Mode.WFH)
    plan(office_worker, TUESDAY, Mode.OFF, reason=EntryReason.REQUEST, absence_code="CT")
    client.force_login(head.user)

    response = client.get(page_url(unit))

    assert response.status_code == 200
    html = response.content.decode()
    monday = cell(html, office_worker, MONDAY)
    assert 'data-mode="WFH"' in monday
    assert "rchip m-WFH" in monday and "<button" in monday
    assert "✎" in monday  # set by hand
    leave = cell(html, office_worker, TUESDAY)
    assert 'data-mode="OFF"' in leave and ">CT<" in leave
    assert "<button" not in leave  # an approved request is not editable here
    assert 'data-mode="WFO"' in cell(html, head, MONDAY)
    assert total(html, unit, MONDAY) == ("1 / 1", False)
    assert total(html, unit, WEDNESDAY) == ("2 / 1", True)  # over the quota: highlighted
    assert 'data-code="over_quota"' in html
    assert ">Sen<" in html and "23 Nov" in html  # Indonesian day names
    assert "23 November 2026 – 29 November 2026" in html
    assert "<script>" not in html
    assert 'id="roster-config"' in html


def test_month_view_and_navigation(client, friday, head, office_worker):
    client.force_login(head.user)
    html = client.get(page_url(office_worker.unit, dt.date(2026, 11, 10), "month")).content
    html = html.decode()
    assert "1 November 2026 – 30 November 2026" in html
    assert 'data-date="2026-11-30"' in html and 'data-date="2026-11-29"' not in html
    assert "start=2026-10-31" in html and "start=2026-12-01" in html


def test_grid_queries_do_not_grow_with_the_unit(
    client, friday, head, office_worker, django_assert_max_num_queries
):
    unit = office_worker.unit
    policy(unit.agency, 50)
    client.force_login(head.user)
    client.get(page_url(unit))  # warm the caches (calendar, unit tree, offices)
    with CaptureQueriesContext(connection) as small:
        client.get(page_url(unit))
    people = [EmployeeFactory(agency=unit.agency, unit=unit) for _ in range(18)]
    for number, person in enumerate(people):
        plan(person, MONDAY + dt.timedelta(days=number % 5), Mode.WFH)
    client.get(page_url(unit))
    with django_assert_max_num_queries(20):
        response = client.get(page_url(unit))
    with CaptureQueriesContext(connection) as big:
        client.get(page_url(unit))
    assert response.content.decode().count('<tr id="row-') == 20
    assert len(big) == len(small)


def test_click_cycles_the_mode(client, friday, head, office_worker):
    unit = office_worker.unit
    client.force_login(head.user)
    response = client.post(
        reverse("web:roster_cell"),
        grid_form(unit, employee=office_worker.pk, date=MONDAY.isoformat(), mode="WFH"),
        **HTMX,
    )
    assert response.status_code == 200
    entry = RosterEntry.objects.get(employee=office_worker, date=MONDAY)
    assert (entry.mode, entry.reason, entry.changed_by) == ("WFH", EntryReason.MANUAL, head.user)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roster-grid"')  # the fragment, not the page
    monday = cell(html, office_worker, MONDAY)
    assert 'data-mode="WFH"' in monday
    assert '"mode": "WFA"' in html_lib.unescape(monday)  # the next click makes it WFA
    assert total(html, unit, MONDAY) == ("1 / 2", False)


def test_quota_violation_asks_for_a_reason_then_saves(client, friday, head, office_worker):
    unit = office_worker.unit
    policy(unit.agency, 25, end=MONDAY)  # cap 1 of 2
    plan(office_worker, MONDAY, Mode.WFH)
    client.force_login(head.user)
    values = grid_form(unit, employee=office_worker.pk, date=MONDAY.isoformat(), mode="WFO")

    refused = client.post(reverse("web:roster_cell"), values, **HTMX).content.decode()

    assert 'id="override-reason"' in refused
    assert 'data-code="over_quota"' in refused
    assert "pending" in cell(refused, office_worker, MONDAY)
    assert RosterEntry.objects.get(employee=office_worker, date=MONDAY).mode == "WFH"
    assert not RosterChange.objects.exists()

    saved = client.post(
        reverse("web:roster_cell"), {**values, "override_reason": "Rapat anggaran"}, **HTMX
    ).content.decode()

    entry = RosterEntry.objects.get(employee=office_worker, date=MONDAY)
    assert (entry.mode, entry.override_reason) == ("WFO", "Rapat anggaran")
    assert 'id="override-reason"' not in saved
    assert total(saved, unit, MONDAY) == ("2 / 1", True)


def test_a_past_day_is_refused_with_the_message(client, freeze, head, office_worker):
    freeze(2026, 11, 24, 9, 0)
    client.force_login(head.user)
    html = client.post(
        reverse("web:roster_cell"),
        grid_form(office_worker.unit, employee=office_worker.pk, date="2026-11-23", mode="WFH"),
        **HTMX,
    ).content.decode()
    assert 'id="roster-error"' in html
    assert "<button" not in cell(html, office_worker, MONDAY)  # past days are not clickable
    assert not RosterEntry.objects.exists()


# --- the generator -------------------------------------------------------------------------


def _staff(head, office_worker, n):
    return [office_worker, head] + [
        EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit) for _ in range(n - 2)
    ]


def test_generator_job_reports_success_and_refreshes_the_grid(client, friday, head, office_worker):
    _staff(head, office_worker, 10)
    policy(office_worker.agency, 50)
    client.force_login(head.user)

    response = client.post(reverse("web:roster_generate"), grid_form(office_worker.unit), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert RosterEntry.objects.filter(mode="WFH", reason=EntryReason.POLICY).count() == 25
    result = re.search(r'id="job-result">(.*?)</p>', html).group(1)
    assert "25" in result
    assert 'class="result ok"' in html
    assert 'hx-swap-oob="true"' in html  # the grid shows the new entries at once
    assert total(html, office_worker.unit, MONDAY) == ("5 / 5", False)


def test_generator_that_cannot_hold_lists_the_problems_and_saves_nothing(
    client, friday, head, office_worker
):
    desk = PositionFactory(agency=office_worker.agency, public_service=True)
    for employee in _staff(head, office_worker, 4):
        employee.position = desk
        employee.save()
    policy(office_worker.agency, 25)
    client.force_login(head.user)

    html = client.post(
        reverse("web:roster_generate"), grid_form(office_worker.unit), **HTMX
    ).content.decode()

    assert 'class="result error"' in html
    problems = re.search(r'id="job-problems">(.*?)</ul>', html, re.S).group(1)
    assert 'data-code="public_service_exceeds_quota"' in problems
    assert office_worker.unit.name in problems
    assert "Senin, 23 November 2026" in problems
    assert 'hx-swap-oob="true"' not in html
    assert not RosterEntry.objects.exists()


def test_generator_job_is_polled_until_done(client, friday, head, office_worker, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.roster_generate_task, "delay", lambda *args: queued.append(args))
    client.force_login(head.user)

    started = client.post(
        reverse("web:roster_generate"), grid_form(office_worker.unit), **HTMX
    ).content.decode()

    job_id = re.search(r'hx-get="/jadwal/buat/([0-9a-f]+)/"', started).group(1)
    assert 'hx-trigger="every 1s"' in started and "<progress" in started
    [args] = queued
    assert args[:5] == (office_worker.unit_id, "2026-11-23", "2026-11-29", head.user.pk, job_id)
    tasks.roster_generate_task(*args)
    assert tasks.roster_job(job_id)["done"] == tasks.roster_job(job_id)["total"] == 1

    done = client.get(reverse("web:roster_job", args=[job_id]), **HTMX).content.decode()

    assert 'hx-trigger="every 1s"' not in done
    assert 'class="result ok"' in done
    client.force_login(office_worker.user)  # somebody else's job
    assert client.get(reverse("web:roster_job", args=[job_id])).status_code == 404
    assert client.get(reverse("web:roster_job", args=["nope"])).status_code == 404


# --- recall --------------------------------------------------------------------------------


def test_head_recalls_from_the_list_and_the_grid(client, freeze, head, office_worker):
    freeze(2026, 11, 23, 6, 30)
    colleague = EmployeeFactory(
        agency=office_worker.agency, unit=office_worker.unit, supervisor=head
    )
    plan(office_worker, MONDAY, Mode.WFH, reason=EntryReason.POLICY)
    plan(colleague, MONDAY, Mode.WFA, reason=EntryReason.POLICY)
    client.force_login(head.user)

    page = client.get(page_url(office_worker.unit)).content.decode()
    assert f'id="remote-{office_worker.pk}"' in page
    assert 'class="recall"' in cell(page, office_worker, MONDAY)

    response = client.post(
        reverse("web:roster_recall"),
        {"employee": office_worker.pk, "date": "2026-11-23", "note": "Rapat"},
    )
    assert response.status_code == 302
    entry = RosterEntry.objects.get(employee=office_worker, date=MONDAY)
    assert (entry.mode, entry.reason, entry.note) == ("WFO", EntryReason.RECALL, "Rapat")

    html = client.post(
        reverse("web:roster_recall"),
        grid_form(office_worker.unit, employee=colleague.pk, date="2026-11-23", note="Sidak"),
        **HTMX,
    ).content.decode()
    assert 'id="roster-notice"' in html
    assert 'data-mode="WFO"' in cell(html, colleague, MONDAY)
    assert "↩" in cell(html, colleague, MONDAY)


def test_supervisor_sees_only_the_remote_list(client, freeze, office_worker):
    freeze(2026, 11, 23, 6, 30)
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="Atasan")
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    plan(office_worker, MONDAY, Mode.WFH, reason=EntryReason.POLICY)
    client.force_login(boss.user)

    html = client.get(reverse("web:roster")).content.decode()

    assert f'id="remote-{office_worker.pk}"' in html
    assert 'id="roster-table"' not in html
    assert client.get(page_url(office_worker.unit)).status_code == 403
    assert client.post(reverse("web:roster_cell"), grid_form(office_worker.unit)).status_code == 403
    client.post(reverse("web:roster_recall"), {"employee": office_worker.pk, "date": "2026-11-23"})
    assert RosterEntry.objects.get(employee=office_worker).reason == EntryReason.RECALL


# --- scope ---------------------------------------------------------------------------------


def test_employee_gets_403(client, friday, head, office_worker):
    client.force_login(office_worker.user)
    assert client.get(page_url(office_worker.unit)).status_code == 403
    assert client.get(reverse("web:roster")).status_code == 403
    values = grid_form(office_worker.unit, employee=office_worker.pk, date="2026-11-23", mode="WFH")
    assert client.post(reverse("web:roster_cell"), values).status_code == 403
    assert client.post(reverse("web:roster_generate"), values).status_code == 403
    assert not RosterEntry.objects.exists()


def test_head_of_another_opd_gets_403_and_another_agency_404(client, friday, head, office_worker):
    other_unit = UnitFactory(agency=office_worker.agency)
    other_head = EmployeeFactory(agency=office_worker.agency, unit=other_unit)
    other_unit.head = other_head
    other_unit.save(update_fields=["head"])
    foreign = UnitFactory(agency=AgencyFactory())
    client.force_login(other_head.user)

    assert client.get(reverse("web:roster")).status_code == 200  # their own unit
    assert client.get(page_url(office_worker.unit)).status_code == 403
    assert client.get(page_url(foreign)).status_code == 404
    assert client.get(f"{reverse('web:roster')}?unit=abc").status_code == 404
    values = grid_form(office_worker.unit, employee=office_worker.pk, date="2026-11-23", mode="WFH")
    assert client.post(reverse("web:roster_cell"), values).status_code == 403
    assert not RosterEntry.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    for url in (reverse("web:roster"), reverse("web:flexible")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_hr_admin_plans_any_unit_of_the_agency(client, friday, office_worker):
    admin = UserFactory()
    RoleFactory(user=admin, agency=office_worker.agency, role=Role.HR_ADMIN)
    client.force_login(admin)
    html = client.get(reverse("web:roster")).content.decode()
    assert f'id="row-{office_worker.pk}"' in html
    values = grid_form(office_worker.unit, employee=office_worker.pk, date="2026-11-23", mode="WFA")
    client.post(reverse("web:roster_cell"), values, **HTMX)
    assert RosterEntry.objects.get(employee=office_worker).mode == "WFA"


def test_nav_links_follow_the_roles(client, friday, head, office_worker):
    client.force_login(head.user)
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:roster")}"' in html
    client.force_login(office_worker.user)
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:roster")}"' not in html
    assert f'href="{reverse("web:flexible")}"' in html


# --- flexible work -------------------------------------------------------------------------


def _application_form(**overrides):
    return {
        "reason": "Anak sakit",
        "work_plan": "10 dokumen per minggu",
        "mode": "WFH",
        "days_per_week": "2",
        "preferred_weekdays": ["0", "4"],
        "valid_from": "2026-11-23",
        "valid_until": "2027-01-22",
    } | overrides


def test_employee_applies_for_flexible_work(client, friday, head, office_worker):
    office_worker.position.flexible_eligible = True
    office_worker.position.save()
    client.force_login(office_worker.user)
    assert 'id="flexible-form"' in client.get(reverse("web:flexible")).content.decode()

    response = client.post(reverse("web:flexible"), _application_form())

    assert response.status_code == 302
    application = FlexibleWorkApplication.objects.get(employee=office_worker)
    assert (application.days_per_week, application.preferred_weekdays) == (2, [0, 4])
    assert application.status == ApplicationStatus.SUBMITTED
    html = client.get(reverse("web:flexible")).content.decode()
    assert f'id="mine-{application.pk}"' in html
    assert "23 November 2026 – 22 Januari 2027" in html


def test_flexible_application_errors_are_shown_per_field(client, friday, office_worker):
    office_worker.position.flexible_eligible = True
    office_worker.position.save()
    client.force_login(office_worker.user)

    response = client.post(
        reverse("web:flexible"), _application_form(days_per_week="3", valid_until="2026-11-01")
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="error-days_per_week"' in html
    assert 'id="error-valid_until"' in html
    assert not FlexibleWorkApplication.objects.exists()
    office_worker.position.flexible_eligible = False
    office_worker.position.save()
    refused = client.post(reverse("web:flexible"), _application_form()).content.decode()
    assert 'id="error-form"' in refused


def test_unit_head_decides_flexible_work(client, friday, head, office_worker):
    office_worker.position.flexible_eligible = True
    office_worker.position.save()
    client.force_login(office_worker.user)
    client.post(reverse("web:flexible"), _application_form())
    application = FlexibleWorkApplication.objects.get()
    decide = reverse("web:flexible_decide", args=[application.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403  # own application

    client.force_login(head.user)
    html = client.get(reverse("web:flexible")).content.decode()
    assert f'id="application-{application.pk}"' in html
    client.post(decide, {"decision": "refuse"})  # a refusal needs a note
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    client.post(decide, {"decision": "approve", "note": "Setuju"})
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("approved", "Setuju")
    assert (
        f'id="application-{application.pk}"'
        not in client.get(reverse("web:flexible")).content.decode()
    )

    stranger = EmployeeFactory(agency=office_worker.agency)
    client.force_login(stranger.user)
    assert client.post(decide, {"decision": "refuse", "note": "x"}).status_code == 404


def test_clock_is_the_one_the_page_uses(client, friday, head, office_worker):
    """Without ?start the page shows the week of the (frozen) today."""
    client.force_login(head.user)
    html = client.get(reverse("web:roster")).content.decode()
    today = clock.today("Asia/Makassar")
    assert today == dt.date(2026, 11, 20)
    assert "16 November 2026 – 22 November 2026" in html
