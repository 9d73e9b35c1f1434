"""The agency's retention settings (Agency.settings["privacy"]): selfie_days (90, counted
from the day the selfie's month is locked), refused_days (90, likewise), health_days (365,
counted from the declaration's or test's date). Face templates go when an employee leaves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency
from sigap.privacy.rules import RetentionSettings

_LIMITS = {"selfie_days": (1, 3650), "refused_days": (1, 3650), "health_days": (30, 3650)}


def privacy_settings(agency: Agency) -> RetentionSettings:
    raw: dict[str, Any] = (agency.settings or {}).get("privacy", {})
    if not isinstance(raw, dict):
        raise ValidationError(_("The privacy settings must be an object."))
    values: dict[str, int] = {}
    try:
        for key, (low, high) in _LIMITS.items():
            if key in raw:
                if isinstance(raw[key], bool):
                    raise ValueError
                values[key] = int(raw[key])
                if not low <= values[key] <= high:
                    raise ValueError
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _(
                "The privacy settings are not valid: selfie_days 1-3650, refused_days 1-3650, "
                "health_days 30-3650 (whole days)."
            )
        ) from exc
    unknown = sorted(set(raw) - set(_LIMITS))
    if unknown:
        raise ValidationError(
            _("Unknown privacy settings: %(names)s.") % {"names": ", ".join(unknown)}
        )
    return RetentionSettings(**values)
