"""The unit head's roster page (/jadwal/) in a real Chromium: a click changes a cell and
the day's office count without a reload; the generator runs and reports its result.

The server clock is frozen on Friday 2026-11-20 09:00 WITA, so the week of Monday
23 November is ahead and editable. The unit has six people under a 50 % WFO policy
(cap 3); three of them are already planned at home by the policy.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from sigap.arrangements.models import EmergencyPolicy, EntryReason, Mode, RosterEntry
from sigap.worktime.services import holidays_seed
from tests.browser.test_login import sign_in
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    UnitFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_eager")]

MONDAY = dt.date(2026, 11, 23)
WEEK = [MONDAY + dt.timedelta(days=n) for n in range(5)]


@pytest.fixture
def unit_team(transactional_db):
    """A unit head and five staff in WITA, a 50 % policy for the week, three at home."""
    agency = AgencyFactory(time_zone="Asia/Makassar")
    unit = UnitFactory(agency=agency, name="Dinas Komunikasi dan Informatika")
    office = OfficeFactory(agency=agency, name="Kantor Bupati", seat_capacity=40)
    office.units.add(unit)
    holidays_seed(agency=agency, year=2026)
    head = EmployeeFactory(agency=agency, unit=unit, name="Kepala Dinas")
    unit.head = head
    unit.save(update_fields=["head"])
    staff = [
        EmployeeFactory(agency=agency, unit=unit, supervisor=head, name=f"Staf {n}")
        for n in range(1, 6)
    ]
    EmergencyPolicy.objects.create(
        agency=agency, name="PPKM 3", start=WEEK[0], end=WEEK[-1], level=3, wfo_share=50
    )
    for day in WEEK:
        for person in staff[2:]:
            RosterEntry.objects.create(
                employee=person,
                date=day,
                mode=Mode.WFH,
                reason=EntryReason.POLICY,
                changed_at=dt.datetime(2026, 11, 19, tzinfo=dt.UTC),
            )
    return unit, head, staff


def open_roster(page: Page, unit, head) -> None:
    """Sign in as the unit head, follow the nav link, then open the week of 23 November."""
    sign_in(page, head.user.username, PASSWORD)
    expect(page.locator("h1")).to_contain_text(head.name)
    page.locator("#menu-toggle").click()
    page.locator(".nav").get_by_role("link", name=re.compile("Jadwal|Work roster")).first.click()
    expect(page).to_have_url(re.compile(r"/jadwal/$"))
    page.goto(f"/jadwal/?unit={unit.pk}&start=2026-11-23&view=week")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads


def test_head_edits_a_cell_and_runs_the_generator(
    page: Page, live_server, freeze, unit_team, results_dir
):
    freeze(2026, 11, 20, 9, 0)
    unit, head, staff = unit_team
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    open_roster(page, unit, head)
    count = page.locator(f"#wfo-{unit.pk}-2026-11-23 .wfo")
    expect(count).to_have_text("3")

    target = page.locator(f"#cell-{staff[0].pk}-2026-11-23")
    expect(target).to_have_attribute("data-mode", "WFO")
    target.locator("button.rchip").click()

    expect(page.locator(f"#cell-{staff[0].pk}-2026-11-23")).to_have_attribute("data-mode", "WFH")
    expect(count).to_have_text("2")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    entry = RosterEntry.objects.get(employee=staff[0], date=MONDAY)
    assert (entry.mode, entry.reason) == ("WFH", EntryReason.MANUAL)

    page.locator("#generate").click()

    result = page.locator("#job-result")
    expect(result).to_be_visible()
    expect(result).to_have_class(re.compile(r"\bok\b"))
    expect(result).to_contain_text(re.compile(r"\d+"))
    edited = page.locator(f"#cell-{staff[0].pk}-2026-11-23")
    expect(edited).to_have_attribute("data-mode", "WFH")  # the manual edit is kept
    expect(count).to_have_text("3")  # the generator fills the quota again
    assert page.evaluate("window.__sameDocument") is True
    assert RosterEntry.objects.get(employee=staff[0], date=MONDAY).reason == EntryReason.MANUAL
    for day in WEEK:
        in_office = 6 - RosterEntry.objects.filter(date=day).exclude(mode=Mode.WFO).count()
        assert in_office <= 3
    page.screenshot(path=str(results_dir / "roster-head.png"), full_page=True)
    refused = [text for text in console_errors if "Content Security Policy" in text]
    assert refused == []  # htmx runs under the CSP: no inline style or script


def test_refused_change_asks_for_an_override_reason(
    page: Page, live_server, freeze, unit_team, results_dir
):
    freeze(2026, 11, 20, 9, 0)
    unit, head, staff = unit_team
    open_roster(page, unit, head)

    home = page.locator(f"#cell-{staff[2].pk}-2026-11-23")
    home.locator("button.rchip").click()  # WFH -> WFA: fine
    expect(page.locator(f"#cell-{staff[2].pk}-2026-11-23")).to_have_attribute("data-mode", "WFA")
    page.locator(f"#cell-{staff[2].pk}-2026-11-23 button.rchip").click()  # WFA -> WFO: over quota

    reason = page.locator("#override-reason")
    expect(reason).to_be_visible()
    expect(reason).to_be_focused()
    expect(page.locator('#roster-problems li[data-code="over_quota"]')).to_be_visible()
    assert RosterEntry.objects.get(employee=staff[2], date=MONDAY).mode == Mode.WFA
    page.screenshot(path=str(results_dir / "roster-override.png"), full_page=True)

    reason.fill("Rapat koordinasi")
    page.locator("#override-save").click()

    expect(page.locator("#override-reason")).to_have_count(0)
    expect(page.locator(f"#cell-{staff[2].pk}-2026-11-23")).to_have_attribute("data-mode", "WFO")
    expect(page.locator(f"#wfo-{unit.pk}-2026-11-23")).to_have_class(re.compile("violation"))
    entry = RosterEntry.objects.get(employee=staff[2], date=MONDAY)
    assert (entry.mode, entry.override_reason) == ("WFO", "Rapat koordinasi")
    assert page.evaluate("window.__sameDocument") is True
