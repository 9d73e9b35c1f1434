"""The office QR kiosk: its link, its code, and the code's check at check-in.

Decisions:
- A kiosk is a screen at an office showing `rules.qr_token(office.qr_secret, office.pk,
  now)`, which changes every 30 seconds. It needs no sign-in: its link carries a key, a
  Django signature of the office id whose salt includes a fingerprint of the office's
  secret. HR creates the link (the office gets a random secret if it has none) and can
  rotate it: a new secret, so the old links and codes stop working at once.
- A wrong key, an inactive office or one without a secret: NotFound.
- At check-in (`qr_check`, registered with the attendance check-in from the app config):
  only when the agency sets `verification.require_qr_for_wfo` and the day is WFO, a
  check-in without a code is refused (`qr_required`), with a forged, expired, unknown or
  another office's code too (`qr_invalid`). Otherwise nothing is read (no SQL on the hot
  path); the background verification flags or rewards the code as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import segno
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.attendance.context import Arrangement
from sigap.attendance.services.check_in import CheckInCommand, CheckInRefusal
from sigap.core.exceptions import NotFound
from sigap.core.models import User
from sigap.org.models import Employee, Office
from sigap.verification import rules
from sigap.verification.devices import hr_agency_id
from sigap.verification.settings import verification_settings

KIOSK_SALT = "sigap.verification.kiosk"
SECRET_BYTES = 32  # 64 hex characters: Office.qr_secret's length


# --- the link --------------------------------------------------------------------------


def _signer(office: Office) -> signing.Signer:
    fingerprint = hashlib.sha256(office.qr_secret.encode()).hexdigest()[:16]
    return signing.Signer(salt=f"{KIOSK_SALT}:{fingerprint}")


def kiosk_key(office: Office) -> str:
    """The key in the office's kiosk link (the office must have a secret)."""
    if not office.qr_secret:
        raise ValueError("an office without a QR secret has no kiosk link")
    return _signer(office).sign(str(office.pk)).rpartition(":")[2]


def kiosk_office(*, office_id: int, key: str) -> Office:
    """The office of a kiosk link; NotFound for a wrong or outdated key."""
    office = Office.objects.filter(pk=office_id, active=True).exclude(qr_secret="").first()
    if office is None:
        raise NotFound()
    try:
        _signer(office).unsign(f"{office.pk}:{key}")
    except signing.BadSignature as exc:
        raise NotFound() from exc
    return office


def kiosk_offices(*, user: User) -> list[Office]:
    """The offices of the HR admin's agency (active ones), for the kiosk links page."""
    agency_id = hr_agency_id(user)
    return list(Office.objects.filter(agency_id=agency_id, active=True).order_by("code", "pk"))


@transaction.atomic
def kiosk_link_create(*, user: User, office_id: int, rotate: bool = False) -> Office:
    """Give the office a secret if it has none (or a new one when rotating: every older
    link and code stops working)."""
    agency_id = hr_agency_id(user)
    office = (
        Office.objects.select_for_update()
        .filter(pk=office_id, agency_id=agency_id, active=True)
        .first()
    )
    if office is None:
        raise NotFound(_("No such office in your agency."))
    if rotate or not office.qr_secret:
        office.qr_secret = secrets.token_hex(SECRET_BYTES)
        office.save(update_fields=["qr_secret"])
    return office


# --- the code --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KioskCode:
    token: str
    seconds_left: int
    svg: str  # an inline <svg> (no script, no style attribute)


def kiosk_code(office: Office, at: dt.datetime) -> KioskCode:
    token = rules.qr_token(office.qr_secret, office.pk, at)
    svg = segno.make(token, error="m").svg_inline(
        scale=1,
        border=2,
        omitsize=True,
        svgclass="kiosk-qr",
        lineclass="kiosk-qr-line",
        title=str(_("Office QR code")),
    )
    return KioskCode(token, rules.qr_seconds_left(at), svg)


# --- at check-in (hot path) ------------------------------------------------------------

QR_REQUIRED = _(
    "Scan the QR code shown on the office kiosk: your agency requires it for a check-in "
    "at the office."
)
QR_INVALID = _("The QR code is not valid or has expired. Scan the code the office kiosk shows now.")
QR_OTHER_OFFICE = _(
    "This QR code belongs to another office. Scan the code of the kiosk at %(place)s."
)


def qr_check(
    employee: Employee, command: CheckInCommand, arrangement: Arrangement, now: dt.datetime
) -> CheckInRefusal | None:
    """Refuse a WFO check-in without a valid current code when the agency requires one.
    No SQL unless required; one query (the code's office) then."""
    if arrangement.mode != "WFO":
        return None
    if not verification_settings(employee.agency).require_qr_for_wfo:
        return None
    token = (command.qr_token or "").strip()
    if not token:
        return CheckInRefusal("qr_required", QR_REQUIRED)
    office_id = rules.qr_office(token)
    row = (
        Office.objects.filter(pk=office_id, agency_id=employee.agency_id, active=True)
        .exclude(qr_secret="")
        .values_list("qr_secret", "latitude", "longitude")
        .first()
        if office_id is not None
        else None
    )
    if office_id is None or row is None:
        return CheckInRefusal("qr_invalid", QR_INVALID, {"why": "unknown"})
    secret, latitude, longitude = row
    # a check-in queued offline is judged at its capture time too
    times = (now, command.captured_at) if command.queued else (now,)
    if not any(rules.qr_valid(token, secret, office_id, at) for at in times):
        return CheckInRefusal("qr_invalid", QR_INVALID, {"why": "expired_or_forged"})
    place = arrangement.place
    if place is None or place.kind != "office":
        return CheckInRefusal("qr_invalid", QR_INVALID, {"why": "other_office"})
    if (place.centre.latitude, place.centre.longitude) != (latitude, longitude):
        return CheckInRefusal(
            "qr_invalid", QR_OTHER_OFFICE % {"place": place.name}, {"why": "other_office"}
        )
    return None
