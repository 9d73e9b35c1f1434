"""Signing in through the real login page (/masuk/) and landing on the home page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def sign_in(page: Page, login: str, password: str) -> None:
    page.goto("/masuk/")
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(password)
    # Scoped to the sign-in form: the header's language switcher has submit buttons too.
    page.locator("form:has(input[name=password]) button[type=submit]").click()


def test_sign_in_by_username_lands_on_home(page: Page, live_server, demo_login):
    sign_in(page, demo_login.username, demo_login.password)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text(demo_login.name)


def test_wrong_password_stays_on_login_page_with_error(page: Page, live_server, demo_login):
    sign_in(page, demo_login.username, "not-the-password")

    expect(page).to_have_url(re.compile(r"/masuk/$"))
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).not_to_have_text(re.compile(r"^\s*$"))
    expect(page.locator("input[name=password]")).to_be_visible()


def test_sign_in_by_nip_lands_on_home(page: Page, live_server, demo_login):
    assert len(demo_login.nip) == 18
    sign_in(page, demo_login.nip, demo_login.password)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text(demo_login.name)


def test_home_on_a_phone(new_page, live_server, demo_login, results_dir):
    page = new_page(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    sign_in(page, demo_login.username, demo_login.password)
    expect(page.locator("h1")).to_contain_text(demo_login.name)

    target = results_dir / "home-phone.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 0
