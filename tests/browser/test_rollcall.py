"""The roll-call board in a real Chromium: the board is open on the hall's projector (one
browser context, the leader's); the head of an OPD confirms its report in another context;
the board's row turns confirmed without a reload (htmx polls every 5 s).

The server clock is frozen on Monday 2026-11-23 08:05 WITA, after the 08:00 cut-off.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sigap.rollcall import services
from tests.browser.test_login import sign_in
from tests.browser.test_requests import watch_csp
from tests.factories import PASSWORD
from tests.rollcall.fixtures import build_small_agency

pytestmark = pytest.mark.browser


@pytest.fixture
def session(transactional_db, settings, freeze):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    freeze(2026, 11, 23, 8, 5)
    small = build_small_agency()
    rollcall = small.rollcall()
    services.rollcall_prefill(rollcall=rollcall)
    return small, rollcall


def test_the_board_updates_when_a_unit_head_confirms(new_page, live_server, session, results_dir):
    small, rollcall = session
    board = new_page(viewport={"width": 1600, "height": 900})
    csp_errors = watch_csp(board)
    sign_in(board, small.leader.username, PASSWORD)
    board.goto(f"/apel/{rollcall.pk}/papan/")
    row = board.locator(f"#board-unit-{small.opd_a.pk}")
    expect(row).to_have_attribute("data-state", "prefilled")
    expect(row.locator(".b-present")).to_have_text("3")
    expect(board.locator("#total-confirmed")).to_have_text("0/2")
    board.evaluate("window.sigapNoReload = true")

    head = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    csp_errors += watch_csp(head)
    sign_in(head, small.head_a.user.username, PASSWORD)
    head.locator("#menu-toggle").click()
    head.locator("#nav-rollcall").click()
    expect(head).to_have_url(re.compile(r"/apel/$"))
    head.locator(f"#rollcall-{rollcall.pk} a[href='/apel/{rollcall.pk}/']").click()
    report = head.locator(f"#report-{small.opd_a.pk}")
    expect(report.locator(".r-expected")).to_have_text("14")
    report.locator("input[name=note]").fill("Apel berjalan tertib")
    report.locator(".confirm-button").click()
    expect(head.locator(".msg.success")).to_be_visible()
    expect(head.locator(f"#report-{small.opd_a.pk}")).to_have_attribute("data-state", "confirmed")
    head.screenshot(path=str(results_dir / "rollcall-head.png"), full_page=True)

    expect(row).to_have_attribute("data-state", "confirmed", timeout=12_000)
    expect(row.locator(".b-state")).to_contain_text("✔")
    expect(board.locator("#total-confirmed")).to_have_text("1/2")
    expect(board.locator(f"#board-unit-{small.opd_b.pk}")).to_have_attribute(
        "data-state", "prefilled"
    )
    assert board.evaluate("window.sigapNoReload") is True  # the same page, never reloaded
    board.screenshot(path=str(results_dir / "rollcall-board.png"), full_page=True)
    assert csp_errors == []
