"""Browser tests: Playwright (Python) driving Debian's Chromium against live_server.

No browser is ever downloaded: the system's /usr/bin/chromium is used. When it is
missing the tests skip locally and fail when SIGAP_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sigap.core.models import User
from sigap.org.models import Agency, Employee, Position, PositionKind, Unit, UnitKind
from sigap.org.rules import make_nip

CHROMIUM = Path(os.environ.get("SIGAP_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("SIGAP_REQUIRE_BROWSER") == "1"
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
DEFAULT_TIMEOUT_MS = 15_000

# The machine has no network: stop Chromium from phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DEMO_USERNAME = "pegawai"
DEMO_PASSWORD = "sigap-demo-pass"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    nip: str
    name: str


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item so `page` can screenshot failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One headless Chromium for the browser tests of this package."""
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(f"SIGAP_REQUIRE_BROWSER=1: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which makes
    # Django refuse ORM calls from the test. Allow them while the browser is up only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150]


@pytest.fixture
def new_page(browser, live_server, request: pytest.FixtureRequest):
    """new_page(**context_options): a fresh context + page on live_server.

    Every context is closed after the test; if the test failed, each page's
    screenshot is saved under test-results/.
    """
    contexts = []

    def _new_page(**options):
        options = {"base_url": live_server.url, "locale": "id-ID", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page

    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    for index, context in enumerate(contexts):
        if failed:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            name = _artifact_name(request.node.nodeid)
            for number, page in enumerate(context.pages):
                target = RESULTS_DIR / f"{name}-{index}-{number}.png"
                try:
                    page.screenshot(path=str(target), full_page=True)
                except Exception as exc:  # a dead page must not hide the real failure
                    print(f"could not save {target}: {exc}")
        context.close()


@pytest.fixture
def results_dir() -> Path:
    """test-results/ at the repository root (ignored by git), created on demand."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    return RESULTS_DIR


@pytest.fixture
def page(new_page):
    """A desktop page in a fresh context whose base_url is live_server.url."""
    return new_page()


@pytest.fixture
def demo_login(transactional_db) -> DemoLogin:
    """A demo-like employee with a user account, in the WITA demo agency shape."""
    agency = Agency(code="kab-demo", name="Kabupaten Demo", time_zone="Asia/Makassar")
    agency.full_clean()
    agency.save()
    unit = Unit(agency=agency, code="DISKOMINFO", name="Dinas Komunikasi", kind=UnitKind.OPD)
    unit.full_clean()
    unit.save()
    position = Position(agency=agency, name="Pranata Komputer", kind=PositionKind.FUNCTIONAL)
    position.full_clean()
    position.save()
    user = User(username=DEMO_USERNAME)
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    nip = make_nip(dt.date(1990, 4, 17), (2015, 3), "F", 7)
    employee = Employee(
        agency=agency,
        nip=nip,
        name="Siti Rahmawati",
        unit=unit,
        position=position,
        user=user,
    )
    employee.full_clean()
    employee.save()
    return DemoLogin(username=DEMO_USERNAME, password=DEMO_PASSWORD, nip=nip, name=employee.name)
