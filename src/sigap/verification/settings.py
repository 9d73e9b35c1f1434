"""The agency's verification settings (Agency.settings["verification"]) as the rules' dataclass:
face_threshold (0.6), min_face_px (80), review_threshold (50), new_device ("approval" or
"flag"), require_qr_for_wfo (false), reuse_days (30)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency
from sigap.verification.rules import Settings


def verification_settings(agency: Agency) -> Settings:
    raw: dict[str, Any] = (agency.settings or {}).get("verification", {})
    if not isinstance(raw, dict):
        raise ValidationError(_("The verification settings must be an object."))
    values: dict[str, Any] = {}
    try:
        if "face_threshold" in raw:
            values["face_threshold"] = float(raw["face_threshold"])
            if not 0.2 <= values["face_threshold"] <= 1.0:
                raise ValueError
        for key, low, high in (
            ("min_face_px", 20, 1000),
            ("review_threshold", 1, 100),
            ("reuse_days", 1, 365),
        ):
            if key in raw:
                values[key] = int(raw[key])
                if not low <= values[key] <= high:
                    raise ValueError
        if "new_device" in raw:
            if raw["new_device"] not in ("approval", "flag"):
                raise ValueError
            values["new_device"] = raw["new_device"]
        if "require_qr_for_wfo" in raw:
            values["require_qr_for_wfo"] = bool(raw["require_qr_for_wfo"])
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _(
                "The verification settings are not valid: face_threshold 0.2-1.0, min_face_px "
                "20-1000, review_threshold 1-100, reuse_days 1-365, new_device approval or flag."
            )
        ) from exc
    return Settings(**values)
