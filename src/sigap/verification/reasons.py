"""Verification reasons in words: a label per reason code and its detail (distance,
speed, how many employees, when), as the review queue, its API and the decisions log show
them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from sigap.verification.rules import WEIGHTS

REASON_LABELS: dict[str, Any] = {
    "face_mismatch": _("The face does not match the reference photos"),
    "no_face": _("No face in the selfie"),
    "several_faces": _("Several faces in the selfie"),
    "face_too_small": _("The face is too small to verify"),
    "selfie_unreadable": _("The selfie cannot be read"),
    "selfie_reused": _("The selfie repeats one of the employee's earlier selfies"),
    "selfie_shared": _("The selfie is nearly the same as another employee's selfie of the day"),
    "mock_location": _("The phone reported a fake GPS app"),
    "impossible_travel": _("Impossible travel since the previous check-in"),
    "repeated_fix": _("Exactly the same GPS fix as an earlier check-in"),
    "shared_coordinates": _("The same coordinates as other employees on the same day"),
    "clock_skew": _("The device clock differs from the server's"),
    "shared_device": _("One device used by several employees on the same day"),
    "new_device": _("A device not yet approved by HR"),
    "device_mismatch": _("A device other than the one the sign-in was issued to"),
    "qr_invalid": _("An invalid office QR code"),
    "qr_missing": _("No office QR code (required for WFO)"),
    "absent_at_inspection": _("Not there at a surprise inspection"),
    "qr_verified": _("A valid office QR code (presence proven)"),
}

DETAILS: dict[str, Any] = {
    "face_mismatch": _("distance %(distance)s, threshold %(threshold)s"),
    "impossible_travel": _("%(km)s km at %(km_h)s km/h"),
    "repeated_fix": _("first seen %(first_seen)s"),
    "shared_coordinates": _("%(employees)s employees"),
    "shared_device": _("%(employees)s employees"),
    "clock_skew": _("%(seconds)s seconds apart"),
    "selfie_reused": _("like check-ins %(check_ins)s"),
    "selfie_shared": _("like check-ins %(check_ins)s"),
    "qr_verified": _("office %(office)s"),
    "absent_at_inspection": _("inspection at %(at)s"),
}

QR_WHY = {
    "unknown": _("unknown office"),
    "expired_or_forged": _("expired or forged"),
    "other_office": _("the code of another office"),
}


@dataclass(frozen=True, slots=True)
class ReasonLine:
    code: str
    weight: int
    label: str
    text: str
    detail: dict


def local_time(value: str | dt.datetime, zone: str) -> str:
    """A stored time (an ISO string or a datetime) in words, in the place's zone."""
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        moment = value
    if timezone.is_aware(moment):
        moment = moment.astimezone(ZoneInfo(zone))
    return date_format(moment, "j F Y H:i")


def reason_line(reason: dict, zone: str) -> ReasonLine:
    """One stored reason ({"code", "weight", ...detail}) as a label and its detail in words."""
    code = str(reason.get("code", ""))
    detail = {k: v for k, v in reason.items() if k not in ("code", "weight")}
    label = str(REASON_LABELS.get(code, code))
    values = dict(detail)
    for key in ("first_seen", "at"):
        if key in values:
            values[key] = local_time(values[key], zone)
    for key, value in values.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[key] = number_format(value)
    if isinstance(values.get("check_ins"), list):
        values["check_ins"] = ", ".join(f"#{n}" for n in values["check_ins"])
    words = ""
    if code == "qr_invalid" and "why" in detail:
        words = str(QR_WHY.get(detail["why"], detail["why"]))
    elif code in DETAILS and detail:
        try:
            words = str(DETAILS[code]) % values
        except (KeyError, TypeError, ValueError):
            words = ""
    text = f"{label} ({words})" if words else label
    return ReasonLine(code, int(WEIGHTS.get(code, 0)), label, text, detail)
