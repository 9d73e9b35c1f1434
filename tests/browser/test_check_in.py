"""The phone check-in page (/presensi/) in a real Chromium: fake camera, emulated GPS.

The server clock is frozen at Monday 2026-11-23 07:42 WITA (12 minutes late: TL1) and
the browser's clock is moved to the same instant with Playwright's clock (the page
stamps captured_at from `new Date()`, and the server refuses a skew of more than a few
minutes). `clock.install(time=...)` fakes Date and the timers from that instant and lets
them run on in real time, so the camera, the GPS watch and Leaflet keep working.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from sigap.attendance import services
from sigap.attendance.models import AttendanceDay, CheckIn, RefusedCheckIn
from sigap.core.geo import Point
from sigap.worktime.services import holidays_seed
from tests.attendance.fixtures import jpeg_bytes
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_TIMEOUT_MS,
    RESULTS_DIR,
    _artifact_name,
)
from tests.browser.test_login import sign_in
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser

OFFICE_LAT, OFFICE_LON = -2.68, 118.89
OUTSIDE_LAT = -2.69  # about 1.1 km south of the office
MONDAY_0742 = (2026, 11, 23, 7, 42)
# A fake camera (a generated test pattern) that needs no permission prompt.
FAKE_CAMERA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="module")
def camera_browser(browser):
    """A second Chromium with the fake camera, launched by the package's Playwright."""
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *FAKE_CAMERA_ARGS]
    )
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def worker(transactional_db, settings, tmp_path):
    """An office worker in WITA: office at (-2.68, 118.89) with a 100 m geofence."""
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = AgencyFactory(time_zone="Asia/Makassar")
    unit = UnitFactory(agency=agency)
    office = OfficeFactory(
        agency=agency,
        name="Kantor Bupati",
        latitude=OFFICE_LAT,
        longitude=OFFICE_LON,
        radius_m=100,
    )
    office.units.add(unit)
    holidays_seed(agency=agency, year=2026)
    return EmployeeFactory(agency=agency, unit=unit, name="Andi Pegawai")


@pytest.fixture
def monday_morning(freeze) -> dt.datetime:
    return freeze(*MONDAY_0742)


@pytest.fixture
def phone(camera_browser, live_server, monday_morning, request: pytest.FixtureRequest):
    """phone(latitude=..., longitude=...) -> (context, page): a phone-sized context with
    the fake camera, the given GPS fix, and the browser clock at the server's time."""
    contexts: list[BrowserContext] = []

    def _phone(*, latitude: float = OFFICE_LAT, longitude: float = OFFICE_LON):
        context = camera_browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            timezone_id="Asia/Makassar",
            geolocation={"latitude": latitude, "longitude": longitude, "accuracy": 10},
            permissions=["geolocation", "camera"],
            **PHONE,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.clock.install(time=monday_morning)
        contexts.append(context)
        return context, context.new_page()

    yield _phone

    report = getattr(request.node, "rep_call", None)
    for index, context in enumerate(contexts):
        if report is not None and report.failed:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            for number, page in enumerate(context.pages):
                target = RESULTS_DIR / f"{_artifact_name(request.node.nodeid)}-{index}-{number}.png"
                try:
                    page.screenshot(path=str(target), full_page=True)
                except Exception as exc:  # a dead page must not hide the real failure
                    print(f"could not save {target}: {exc}")
        context.close()


def open_check_in(page: Page, worker) -> None:
    sign_in(page, worker.user.username, PASSWORD)
    expect(page.locator("h1")).to_contain_text(worker.name)
    page.goto("/presensi/")
    expect(page.locator("#today-mode")).to_have_text("WFO")


def take_selfie(page: Page) -> None:
    take = page.locator("#take-photo")
    expect(take).to_be_enabled()  # the fake camera is streaming
    take.click()
    expect(page.locator("#snapshot")).to_be_visible()
    expect(page.locator("#submit")).to_be_enabled()  # a photo and a GPS fix


# Test instrumentation: log what the page hands to fetch() (Chromium does not expose
# multipart bodies with a file to Playwright), in sessionStorage to survive reloads.
LOG_SENDS = """
(() => {
  const original = window.fetch;
  window.fetch = function (url, options) {
    const body = options && options.body;
    if (body instanceof FormData) {
      const sent = JSON.parse(sessionStorage.getItem("test.sent") || "[]");
      sent.push({ request_id: body.get("request_id"), queued: body.get("queued") });
      sessionStorage.setItem("test.sent", JSON.stringify(sent));
    }
    return original.apply(this, arguments);
  };
})();
"""


def sent(page: Page) -> list[dict]:
    return page.evaluate("JSON.parse(sessionStorage.getItem('test.sent') || '[]')")


def test_check_in_late_is_recorded_with_selfie(phone, worker, monday_morning, results_dir):
    _context, page = phone()
    open_check_in(page, worker)
    expect(page.locator("#gps-status")).to_contain_text("Kantor Bupati")
    take_selfie(page)

    page.locator("#submit").click()

    result = page.locator("#result")
    # "Terlambat 12 menit (TL1)" in Indonesian, "Late 12 minutes (TL1)" until the
    # catalog has the page's string: assert on the parts both share.
    expect(result).to_contain_text(re.compile(r"\b12\b.*\(TL1\)"))
    expect(result).to_have_class(re.compile(r"\bok\b"))
    expect(page.locator("#today-status")).to_contain_text("(TL1)")
    expect(page.locator("#today-status")).to_have_class("code code-TL1")
    expect(page.locator("#today-times")).to_have_text("07:42 / –")
    expect(result).to_contain_text("Terlambat 12 menit (TL1)")
    # the check-out that follows needs a selfie of its own
    expect(page.locator("#submit")).to_be_disabled()
    expect(page.locator("#take-photo")).to_be_visible()

    events = list(CheckIn.objects.filter(employee=worker))
    assert len(events) == 1
    event = events[0]
    assert event.kind == "in"
    assert event.inside is True
    assert event.source == "web"
    # the browser's clock was moved to the server's: captured a few seconds after 07:42
    assert dt.timedelta(0) <= event.captured_at - monday_morning < dt.timedelta(minutes=1)
    with event.selfie.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    assert image.format == "JPEG"
    assert image.convert("L").getextrema()[1] > 64  # the camera's picture, not a black frame
    day = AttendanceDay.objects.get(employee=worker, date=dt.date(2026, 11, 23))
    assert day.status == "TL1"
    assert day.late_minutes == 12
    assert not RefusedCheckIn.objects.filter(employee=worker).exists()

    target = results_dir / "check-in-phone.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 0


def test_check_in_outside_geofence_is_refused(phone, worker):
    _context, page = phone(latitude=OUTSIDE_LAT)
    open_check_in(page, worker)
    expect(page.locator("#gps-status")).to_have_class("warn")  # "outside the area"
    take_selfie(page)

    page.locator("#submit").click()

    result = page.locator("#result")
    expect(result).to_have_class(re.compile(r"\berror\b"))
    expect(result).to_contain_text("Kantor Bupati")
    expect(result).to_contain_text(re.compile(r"\b1\d{3} m\b"))
    assert not CheckIn.objects.filter(employee=worker).exists()
    refused = list(RefusedCheckIn.objects.filter(employee=worker))
    assert [r.code for r in refused] == ["outside_geofence"]


def test_offline_check_in_is_queued_and_sent_once(phone, worker):
    context, page = phone()
    context.add_init_script(script=LOG_SENDS)
    open_check_in(page, worker)
    take_selfie(page)

    context.set_offline(True)
    page.locator("#submit").click()

    result = page.locator("#result")
    expect(result).to_have_class(re.compile(r"\bwarn\b"))  # "No network: saved on this phone"
    queue_status = page.locator("#queue-status")
    expect(queue_status).to_be_visible()
    expect(queue_status).to_contain_text("1")
    [attempt] = sent(page)
    assert attempt["queued"] == "false"
    queue = page.evaluate("JSON.parse(localStorage.getItem('sigap.checkin.queue'))")
    assert [item["request_id"] for item in queue] == [attempt["request_id"]]
    assert not CheckIn.objects.filter(employee=worker).exists()
    assert not RefusedCheckIn.objects.filter(employee=worker).exists()

    context.set_offline(False)  # Chromium fires 'online' itself; a second one is harmless
    page.evaluate("window.dispatchEvent(new Event('online'))")

    expect(result).to_have_class(re.compile(r"\bok\b"))
    expect(result).to_contain_text(re.compile(r"\b12\b.*\(TL1\)"))
    expect(queue_status).to_be_visible()  # "A saved check-in was sent."
    expect(queue_status).not_to_contain_text("1")
    assert sent(page) == [attempt, {**attempt, "queued": "true"}]
    assert page.evaluate("localStorage.getItem('sigap.checkin.queue')") == "[]"
    [event] = CheckIn.objects.filter(employee=worker)
    assert str(event.request_id) == attempt["request_id"]
    assert event.source == "offline"
    day = AttendanceDay.objects.get(employee=worker, date=dt.date(2026, 11, 23))
    assert day.status == "TL1"

    page.reload()
    expect(page.locator("#today-status")).to_contain_text("(TL1)")
    expect(page.locator("#take-photo")).to_be_enabled()  # checkin.js ran, queue flushed
    expect(queue_status).to_be_hidden()
    assert len(sent(page)) == 2  # nothing sent again
    assert CheckIn.objects.filter(employee=worker).count() == 1


def test_month_calendar_shows_the_day_code(phone, worker, monday_morning, results_dir):
    services.attendance_check_in(
        employee=worker,
        command=services.CheckInCommand(
            request_id=uuid.uuid4(),
            kind="in",
            point=Point(OFFICE_LAT, OFFICE_LON),
            accuracy_m=10.0,
            captured_at=monday_morning,
            selfie=jpeg_bytes(),
            source="web",
        ),
    )
    _context, page = phone()
    sign_in(page, worker.user.username, PASSWORD)
    expect(page.locator("h1")).to_contain_text(worker.name)

    page.goto("/presensi/bulan/?m=2026-11")

    calendar = page.locator("#calendar")
    expect(calendar).to_be_visible()
    expect(calendar.locator('td[data-date="2026-11-23"]')).to_contain_text("TL1")
    expect(calendar.locator('td[data-date="2026-11-23"]')).to_have_class("code-TL1")
    for weekend in ("2026-11-21", "2026-11-22", "2026-11-28", "2026-11-29"):
        expect(calendar.locator(f'td[data-date="{weekend}"]')).to_contain_text("LIBUR")
    legend = page.locator(".legend")
    expect(legend).to_be_visible()
    expect(legend.locator(".code-TL1")).to_be_visible()
    page.screenshot(path=str(results_dir / "month-phone.png"), full_page=True)
