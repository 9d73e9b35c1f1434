"""The daily report in a real Chromium: the employee, on a phone and working from home,
follows the phone page's card to the form, repeats Friday's activity, adds a second one
with a photo, saves; the supervisor returns it with a note; the employee sees the note,
edits and submits again; the supervisor approves and the report becomes read-only.

The server clock is frozen at Monday 2026-11-23 16:00 WITA (a WFH day for the employee).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from sigap.arrangements.models import EntryReason, Mode, RosterEntry
from sigap.performance.models import DailyReport
from sigap.performance.services import daily_report_submit
from sigap.worktime.services import holidays_seed
from tests.browser.test_login import sign_in
from tests.factories import PASSWORD, AgencyFactory, EmployeeFactory, OfficeFactory, UnitFactory

pytestmark = pytest.mark.browser

MONDAY = dt.date(2026, 11, 23)
FRIDAY = dt.date(2026, 11, 20)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def people(transactional_db, settings, tmp_path, freeze):
    """A supervisor and an employee working from home on Monday, with Friday's report."""
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = AgencyFactory(time_zone="Asia/Makassar")
    unit = UnitFactory(agency=agency, name="Dinas Komunikasi dan Informatika")
    office = OfficeFactory(agency=agency, name="Kantor Bupati")
    office.units.add(unit)
    holidays_seed(agency=agency, year=2026)
    boss = EmployeeFactory(agency=agency, unit=unit, name="Atasan Langsung")
    staff = EmployeeFactory(agency=agency, unit=unit, supervisor=boss, name="Siti Rahmawati")
    RosterEntry.objects.create(
        employee=staff,
        date=MONDAY,
        mode=Mode.WFH,
        reason=EntryReason.POLICY,
        changed_at=dt.datetime(2026, 11, 19, tzinfo=dt.UTC),
    )
    freeze(2026, 11, 20, 16, 0)
    friday = {
        "description": "Verifikasi data SPBE",
        "output_qty": 3,
        "output_unit": "berkas",
        "minutes": 150,
    }
    daily_report_submit(employee=staff, date=FRIDAY, activities=[friday], user=staff.user)
    freeze(2026, 11, 23, 16, 0)
    return boss, staff


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def open_queue(page: Page, boss) -> None:
    sign_in(page, boss.user.username, PASSWORD)
    expect(page.locator("h1")).to_contain_text(boss.name)
    page.locator("#menu-toggle").click()
    page.locator("#nav-report-review").click()
    expect(page).to_have_url(re.compile(r"/kinerja/tinjauan/$"))


def open_form_from_the_phone_page(phone: Page, staff) -> None:
    """The check-in page shows the card (a report is required today: WFH)."""
    sign_in(phone, staff.user.username, PASSWORD)
    expect(phone.locator("h1")).to_contain_text(staff.name)
    phone.goto("/presensi/")
    expect(phone.locator("#report-today")).to_be_visible()
    expect(phone.locator("#report-today-required")).to_be_visible()
    phone.locator("#report-today-link").click()
    expect(phone).to_have_url(re.compile(r"/kinerja/$"))
    expect(phone.locator("#report-required")).to_be_visible()


def fill_two_activities(phone: Page, results_dir) -> None:
    """Row 1 repeated from Friday's report (no reload), row 2 typed with a photo."""
    phone.evaluate("window.__sameDocument = true")
    phone.locator("#repeat-previous").click()
    first = phone.locator("#activities fieldset.activity").nth(0)
    expect(first.locator("textarea")).to_have_value("Verifikasi data SPBE")
    expect(first.locator("[name$='-minutes']")).to_have_value("150")
    assert phone.evaluate("window.__sameDocument") is True
    phone.locator("#add-activity").click()
    second = phone.locator("#activities fieldset.activity").nth(1)
    second.locator("textarea").fill("Rapat koordinasi daring")
    second.locator("[name$='-output_qty']").fill("1")
    second.locator("[name$='-output_unit']").fill("notulen")
    second.locator("[name$='-minutes']").fill("90")
    second.locator("input[type=file]").set_input_files(
        files=[{"name": "rapat.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    phone.screenshot(path=str(results_dir / "report-phone-form.png"), full_page=True)
    phone.locator("#report-save").click()
    expect(phone).to_have_url(re.compile(r"/kinerja/2026-11-23/$"))
    expect(phone.locator("#report-status")).to_have_attribute("data-status", "submitted")


def return_with_a_note(desk: Page, report: DailyReport, note: str) -> None:
    card = desk.locator(f"#report-{report.pk}")
    expect(card).to_contain_text("Rapat koordinasi daring")
    expect(card.locator("a", has_text=re.compile("bukti|evidence"))).to_have_count(1)
    card.locator("input[name=note]").fill(note)
    card.locator("button[value=return]").click()
    expect(desk.locator(".msg.success")).to_be_visible()
    expect(desk.locator(f"#report-{report.pk}")).to_have_count(0)  # no longer waiting


def fix_and_submit_again(phone: Page, note: str) -> None:
    phone.goto("/kinerja/")
    expect(phone.locator("#returned-note")).to_contain_text(note)
    expect(phone.locator("#report-status")).to_have_attribute("data-status", "returned")
    second = phone.locator("#activities fieldset.activity").nth(1)
    expect(second.locator(".kept-evidence a")).to_be_visible()  # the photo is kept
    second.locator("textarea").fill("Rapat koordinasi daring; notulen terlampir")
    second.locator("[name$='-evidence_url']").fill("https://drive.example.go.id/notulen")
    phone.locator("#report-save").click()
    expect(phone.locator("#report-status")).to_have_attribute("data-status", "submitted")


def test_report_is_filled_returned_fixed_and_approved(new_page, live_server, people, results_dir):
    boss, staff = people
    phone, desk = new_page(**PHONE), new_page()
    errors: list[str] = []
    for page in (phone, desk):
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    open_form_from_the_phone_page(phone, staff)
    fill_two_activities(phone, results_dir)
    report = DailyReport.objects.get(employee=staff, date=MONDAY)
    activities = list(report.activities.order_by("order"))
    assert [a.description for a in activities] == [
        "Verifikasi data SPBE",
        "Rapat koordinasi daring",
    ]
    assert (report.total_minutes, activities[1].evidence.content_type) == (240, "image/png")

    open_queue(desk, boss)
    return_with_a_note(desk, report, "Lampirkan notulen rapatnya")
    report.refresh_from_db()
    assert (report.status, report.note) == ("returned", "Lampirkan notulen rapatnya")

    fix_and_submit_again(phone, "Lampirkan notulen rapatnya")
    report.refresh_from_db()
    assert (report.status, report.version) == ("submitted", 2)

    desk.reload()
    card = desk.locator(f"#report-{report.pk}")
    expect(card).to_contain_text("notulen terlampir")
    card.locator("button[value=approve]").click()
    expect(desk.locator(".msg.success")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "approved"
    phone.goto("/kinerja/")
    expect(phone.locator("#report-readonly")).to_be_visible()
    expect(phone.locator("#report-form")).to_have_count(0)
    phone.screenshot(path=str(results_dir / "report-phone-approved.png"), full_page=True)
    assert [e for e in errors if "Content Security Policy" in e] == []
