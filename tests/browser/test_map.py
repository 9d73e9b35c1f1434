"""The check-in map (/peta/) in a real Chromium: HR opens it from the menu, the geofences
and the clustered markers are drawn by Leaflet, a popup names the person, the refused
attempts appear on request, and the CSP refuses nothing.

The server clock is frozen on Monday 2026-11-23 10:00 WITA (see tests/reports/test_map.py
for the agency: OPD A with its circle office in WITA, OPD B with a polygon office in WIT).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sigap.attendance.models import Review
from tests.browser.test_login import sign_in
from tests.factories import PASSWORD
from tests.reports import test_map as map_fixtures
from tests.reports.test_map import at_wita, check_in, refused

pytestmark = [pytest.mark.browser]
map_world = map_fixtures.map_world  # the fixture, shared with the selector tests


@pytest.fixture
def map_day(transactional_db, map_world):
    w = map_world
    check_in(w.staff_a, at_wita(7, 20))
    check_in(w.head_a, at_wita(7, 25), latitude=-2.68005, longitude=118.89005)
    check_in(w.staff_a1, at_wita(7, 42), review=Review.PENDING, review_reasons=["outside_geofence"])
    check_in(w.staff_b, at_wita(6, 30), zone="Asia/Jayapura", latitude=-2.505, longitude=140.705)
    refused(w.supervisor_b, at_wita(6, 10), code="outside_geofence", latitude=-2.6, longitude=140.6)
    return w


def _watch_console(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of the page."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return errors


def test_hr_opens_the_map(page: Page, live_server, map_day, results_dir, settings):
    settings.SIGAP_MAP_TILE_URL = ""
    errors = _watch_console(page)
    sign_in(page, map_day.hr_user.username, PASSWORD)
    page.locator("#menu-toggle").click()
    page.locator("#nav-map").click()
    expect(page).to_have_url(re.compile(r"/peta/$"))
    expect(page.locator("#map-note")).to_be_visible()  # no tiles configured

    status = page.locator("#map-status")
    expect(status).to_contain_text(re.compile(r"3\D+1\D+0"))  # 3 accepted, 1 flagged
    expect(page.locator("#checkin-map path.map-fence")).to_have_count(2)  # circle + polygon
    expect(page.locator("#checkin-map .leaflet-tile")).to_have_count(0)
    expect(page.locator("body[data-map-loaded='4']")).to_have_count(1)
    icons = page.locator("#checkin-map .leaflet-marker-pane .leaflet-marker-icon")
    expect(icons).to_have_count(2)  # A's three people in one cluster, B apart
    expect(page.locator("#checkin-map .marker-cluster").filter(has_text="3")).to_have_count(1)
    expect(page.locator(".map-cluster-flagged")).to_have_count(1)  # the worst child colours
    expect(page.locator("#checkin-map .map-pin")).to_have_count(1)

    # Bring the whole map on screen first: a pin at the viewport's edge makes the click
    # scroll the overflow:hidden map container itself, which Leaflet snaps back at once,
    # so the mouseup could land beside the pin (flaky under load).
    page.locator("#checkin-map").scroll_into_view_if_needed()
    page.locator("#checkin-map .map-pin-accepted").first.click()  # Staf B, alone in Papua
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Staf B")
    expect(popup).to_contain_text("07:30 WIT")

    page.locator("#map-refused").check()
    expect(status).to_contain_text(re.compile(r"3\D+1\D+1"))
    expect(page).to_have_url(re.compile(r"refused=1"))
    page.screenshot(path=str(results_dir / "map-hr.png"), full_page=True)
    assert [e for e in errors if "Content Security Policy" in e] == []
    assert [e for e in errors if e.startswith("uncaught")] == []


def test_head_on_a_phone_sees_the_own_subtree(new_page, live_server, map_day):
    page = new_page(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    errors = _watch_console(page)
    sign_in(page, map_day.head_a.user.username, PASSWORD)
    page.locator("#menu-toggle").click()
    page.locator("#nav-map").click()
    expect(page.locator("#map-status")).to_contain_text(re.compile(r"2\D+1\D+0"))
    expect(page.locator("#checkin-map path.map-fence")).to_have_count(1)
    options = page.locator("#map-unit option")
    expect(options).to_have_count(3)  # everything, Dinas A, Bidang A1
    page.locator("#map-unit").select_option(str(map_day.unit_a1.pk))
    expect(page.locator("#map-status")).to_contain_text(re.compile(r"0\D+1\D+0"))
    assert [e for e in errors if "Content Security Policy" in e or "uncaught" in e] == []
