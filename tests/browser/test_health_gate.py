"""The journey of an agency that requires the daily health declaration before check-in:
the phone page shows the declaration instead of the camera, the employee declares (a
fever), the camera appears and the check-in goes through; the unit head is told."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from sigap.attendance.models import CheckIn
from sigap.core.models import Notification
from sigap.health.models import Declaration
from tests.browser.test_check_in import (  # noqa: F401 - fixtures
    camera_browser,
    monday_morning,
    open_check_in,
    phone,
    take_selfie,
    worker,
)
from tests.factories import EmployeeFactory


def test_required_declaration_comes_before_the_camera(phone, worker):  # noqa: F811
    agency = worker.agency
    agency.settings = {**(agency.settings or {}), "health": {"declaration": "required"}}
    agency.save(update_fields=["settings"])
    head = EmployeeFactory(agency=agency, unit=worker.unit, name="Kepala Unit")
    worker.unit.head = head
    worker.unit.save(update_fields=["head"])

    _context, page = phone()
    open_check_in(page, worker)
    expect(page.locator("#health-required")).to_be_visible()
    expect(page.locator("#capture")).to_have_count(0)  # no camera until declared
    expect(page.locator("#submit")).to_have_count(0)

    form = page.locator("#health-declare-form")
    form.locator("input[value='fever']").check()
    page.locator("#health-declare-submit").click()

    expect(page.locator("#health-declared")).to_be_visible()
    expect(page.locator("#capture")).to_be_visible()
    take_selfie(page)
    page.locator("#submit").click()
    expect(page.locator("#result")).to_have_class(re.compile(r"\bok\b"))

    declaration = Declaration.objects.get(employee=worker)
    assert declaration.symptoms == ["fever"] and declaration.flagged
    assert CheckIn.objects.filter(employee=worker, kind="in").count() == 1
    assert Notification.objects.filter(user=head.user).exists()  # the unit head is told
