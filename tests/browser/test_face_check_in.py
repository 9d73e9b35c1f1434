"""A real face through the phone check-in page: Chromium's fake camera plays a .y4m video
made from the astronaut portrait (tests/fixtures/faces), the employee's active face
reference comes from the same portrait, and the check-in ends verified as `matched`.

Verification runs eagerly inside the live server (SIGAP_VERIFICATION on, Celery tasks
always eager): the check-in commits, then the receiver runs `verification.verify` with
the real dlib models before the answer goes back. The clocks are set as in
test_check_in.py (server frozen at Monday 2026-11-23 07:42 WITA, the browser's moved there).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from playwright.sync_api import BrowserContext, expect

from sigap.attendance.models import CheckIn
from sigap.core import clock
from sigap.verification import face
from sigap.verification.bench.selfies import face_box
from sigap.verification.models import (
    CheckVerification,
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
)
from sigap.worktime.services import holidays_seed
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_TIMEOUT_MS,
    RESULTS_DIR,
    _artifact_name,
)
from tests.browser.test_check_in import PHONE, open_check_in, take_selfie
from tests.browser.y4m import write_y4m
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.verification]

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
OFFICE_LAT, OFFICE_LON = -2.68, 118.89
MONDAY_0742 = (2026, 11, 23, 7, 42)
CAMERA_SIZE = (640, 480)  # what the page asks the camera for
SELFIE_FACE_PX = 180  # the astronaut's face (about 88 px on the portrait) in the frame


def astronaut() -> Image.Image:
    with Image.open(FACES / "astronaut.jpg") as image:
        return image.convert("RGB")


def camera_frame() -> Image.Image:
    """The astronaut as a 640x480 selfie: cropped around her face (found by dlib) and
    scaled so that it is about SELFIE_FACE_PX wide, well above the 80 px minimum."""
    image = astronaut()
    left, top, right, bottom = face_box(image)
    scale = SELFIE_FACE_PX / (right - left)
    width, height = CAMERA_SIZE[0] / scale, CAMERA_SIZE[1] / scale
    centre_x, centre_y = (left + right) / 2, top + 0.65 * (bottom - top)
    left = min(max(0.0, centre_x - width / 2), image.width - width)
    top = min(max(0.0, centre_y - height / 2), image.height - height)
    crop = image.crop((round(left), round(top), round(left + width), round(top + height)))
    return crop.resize(CAMERA_SIZE, Image.Resampling.LANCZOS)


@pytest.fixture(scope="module")
def face_camera_browser(browser, tmp_path_factory):
    """A Chromium whose fake camera plays the astronaut (a .y4m of identical frames)."""
    video = write_y4m(tmp_path_factory.mktemp("camera") / "astronaut.y4m", camera_frame())
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def verifying(settings, celery_eager):
    """Verification on, its task run in-process (the live server's thread)."""
    settings.SIGAP_VERIFICATION = True
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def enrolled(transactional_db, settings, tmp_path):
    """An office worker in WITA whose active face reference is the astronaut portrait."""
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = AgencyFactory(time_zone="Asia/Makassar")
    unit = UnitFactory(agency=agency)
    office = OfficeFactory(
        agency=agency, name="Kantor Bupati", latitude=OFFICE_LAT, longitude=OFFICE_LON
    )
    office.units.add(unit)
    holidays_seed(agency=agency, year=2026)
    employee = EmployeeFactory(agency=agency, unit=unit, name="Eileen Pegawai")
    reference = astronaut()
    found = face.analyse(reference)
    assert found.embedding is not None
    with open(FACES / "astronaut.jpg", "rb") as handle:
        stored = default_storage.save("faces/astronaut.jpg", ContentFile(handle.read()))
    FaceReference.objects.create(
        employee=employee,
        image=stored,
        template=list(found.embedding),
        face_px=found.size_px,
        status=ReferenceStatus.ACTIVE,
        source=ReferenceSource.HR_UPLOAD,
        model_version=face.MODEL_VERSION,
        created_at=clock.now(),
    )
    return employee


@pytest.fixture
def phone(face_camera_browser, live_server, freeze, request: pytest.FixtureRequest):
    """A phone-sized context with the face camera, a GPS fix at the office and the
    browser clock at the server's frozen time."""
    at = freeze(*MONDAY_0742)
    context: BrowserContext = face_camera_browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        geolocation={"latitude": OFFICE_LAT, "longitude": OFFICE_LON, "accuracy": 10},
        permissions=["geolocation", "camera"],
        **PHONE,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.clock.install(time=at)
    yield context.new_page()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(context.pages):
            target = RESULTS_DIR / f"{_artifact_name(request.node.nodeid)}-{number}.png"
            try:
                page.screenshot(path=str(target), full_page=True)
            except Exception as exc:  # a dead page must not hide the real failure
                print(f"could not save {target}: {exc}")
    context.close()


def verified(event: CheckIn, timeout: float = 10.0) -> CheckVerification:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = CheckVerification.objects.filter(check_in=event).first()
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError(f"check-in {event.pk} was not verified within {timeout:g} s")


def test_the_camera_s_face_matches_the_reference(phone, enrolled, verifying, results_dir):
    page = phone
    open_check_in(page, enrolled)
    take_selfie(page)

    page.locator("#submit").click()

    result = page.locator("#result")
    expect(result).to_have_class(re.compile(r"\bok\b"))
    expect(result).to_contain_text(re.compile(r"\b12\b.*\(TL1\)"))
    [event] = CheckIn.objects.filter(employee=enrolled)
    check = verified(event)
    event.refresh_from_db()
    assert check.face == "matched", (check.face, check.distance, check.reasons)
    assert check.distance is not None and check.distance < face.DEFAULT_THRESHOLD
    assert check.face_px >= 80
    assert event.verification == "matched"
    assert event.risk_score == 0
    assert event.review == "none"
    assert dt.timedelta(0) <= event.captured_at - clock.now() < dt.timedelta(minutes=1)
    page.screenshot(path=str(results_dir / "check-in-face-matched.png"), full_page=True)
