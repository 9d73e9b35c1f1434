"""Requests in a real Chromium: an employee files annual leave (CT) through the form, the
supervisor approves it in the queue, and the employee's month calendar shows CT.

The server clock is frozen on Monday 2026-11-23 08:00 WITA; the leave covers Wednesday
25 and Thursday 26 November.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sigap.attendance.models import AttendanceRequest
from sigap.worktime.services import holidays_seed
from tests.browser.conftest import RESULTS_DIR
from tests.browser.test_login import sign_in
from tests.factories import PASSWORD, AgencyFactory, EmployeeFactory, OfficeFactory, UnitFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def team(transactional_db, settings, tmp_path):
    """A supervisor and their staff member in a WITA office."""
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = AgencyFactory(time_zone="Asia/Makassar")
    unit = UnitFactory(agency=agency, name="Dinas Komunikasi dan Informatika")
    office = OfficeFactory(agency=agency, name="Kantor Bupati")
    office.units.add(unit)
    holidays_seed(agency=agency, year=2026)
    boss = EmployeeFactory(agency=agency, unit=unit, name="Budi Atasan")
    worker = EmployeeFactory(agency=agency, unit=unit, supervisor=boss, name="Andi Pegawai")
    return worker, boss


def watch_csp(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    return errors


def file_leave(page: Page, worker) -> None:
    """The employee opens the form from the nav, sees fields follow the type, submits CT."""
    sign_in(page, worker.user.username, PASSWORD)
    page.locator("#menu-toggle").click()
    page.locator(".nav a[href='/pengajuan/']").click()
    expect(page).to_have_url(re.compile(r"/pengajuan/$"))
    expect(page.locator("#balance-pending")).to_have_text(re.compile(r"\b0\b"))
    page.locator("#new-request").click()
    expect(page).to_have_url(re.compile(r"/pengajuan/baru/$"))

    page.locator("#id_type").select_option("KOREKSI")
    expect(page.locator("#field-time")).to_be_visible()
    expect(page.locator("#field-start")).to_be_hidden()
    page.locator("#id_type").select_option("DL")
    expect(page.locator("#field-destination")).to_be_visible()
    expect(page.locator("#field-time")).to_be_hidden()
    page.locator("#id_type").select_option("CT")
    expect(page.locator("#field-destination")).to_be_hidden()
    expect(page.locator("#field-start")).to_be_visible()

    page.locator("#id_start").fill("2026-11-25")
    page.locator("#id_end").fill("2026-11-26")
    page.locator("#id_reason").fill("Acara keluarga")
    page.locator("#request-submit").click()

    expect(page).to_have_url(re.compile(r"/pengajuan/$"))
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator("article.req[data-type='CT']")).to_have_attribute(
        "data-status", "submitted"
    )
    expect(page.locator("#balance-pending")).to_have_text(re.compile(r"\b2\b"))


def approve_in_queue(page: Page, boss, request_id: int) -> None:
    sign_in(page, boss.user.username, PASSWORD)
    page.locator("#menu-toggle").click()
    page.locator("#nav-approvals").click()
    expect(page).to_have_url(re.compile(r"/pengajuan/persetujuan/$"))
    item = page.locator(f"#request-{request_id}")
    expect(item).to_contain_text("Andi Pegawai")
    expect(item.locator(".working-days")).to_have_text("2")
    item.locator("input[name=note]").fill("Selamat berlibur")
    page.screenshot(path=str(RESULTS_DIR / "requests-queue.png"), full_page=True)
    item.locator("button[value=approve]").click()
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator("#queue-empty")).to_be_visible()


def test_employee_files_leave_and_the_supervisor_approves_it(
    new_page, live_server, freeze, team, results_dir
):
    freeze(2026, 11, 23, 8, 0)
    worker, boss = team
    employee_page = new_page()
    csp_errors = watch_csp(employee_page)
    file_leave(employee_page, worker)
    created = AttendanceRequest.objects.get()
    employee_page.screenshot(path=str(results_dir / "requests-employee.png"), full_page=True)

    supervisor_page = new_page()
    csp_errors += watch_csp(supervisor_page)
    approve_in_queue(supervisor_page, boss, created.pk)
    created.refresh_from_db()
    assert created.status == "approved"

    employee_page.goto("/presensi/bulan/?m=2026-11")
    for day in ("2026-11-25", "2026-11-26"):
        cell = employee_page.locator(f"#calendar td[data-date='{day}']")
        expect(cell).to_have_class(re.compile(r"\bcode-CT\b"))
        expect(cell.locator(".dcode")).to_have_text("CT")
    expect(employee_page.locator("#calendar td[data-date='2026-11-24']")).not_to_have_class(
        re.compile(r"\bcode-CT\b")
    )
    employee_page.goto("/pengajuan/")
    expect(employee_page.locator(f"#request-{created.pk}")).to_have_attribute(
        "data-status", "approved"
    )
    expect(employee_page.locator(f"#request-{created.pk}")).to_contain_text("Selamat berlibur")
    employee_page.screenshot(path=str(results_dir / "requests-approved.png"), full_page=True)
    assert csp_errors == []
