"""The agency's health settings (Agency.settings["health"]) as the rules' dataclass:

- declaration: "required" (the phone page asks for it before check-in), "optional"
  (offered; the default) or "off" (no declarations are collected);
- temperature_threshold_c: 37.5 (36.5-40.0): at or above it a declaration is flagged;
- test_interval_days: 14 (1-365): front-line staff test this often;
- front_line_units: [] (unit codes; their sub-units are front-line too);
- public_service_positions: false: also everyone in a direct-public-service position;
- wfh_days: 3 (1-14): working days of WFH suggested after a flag or a positive test;
- reminder_lead_days: 2 (0-30): the test reminder goes this many days before it is due.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigap.health.rules import HealthSettings, Requirement
from sigap.org.models import Agency

_INTS = {"test_interval_days": (1, 365), "wfh_days": (1, 14), "reminder_lead_days": (0, 30)}
_KNOWN = {
    "declaration",
    "temperature_threshold_c",
    "front_line_units",
    "public_service_positions",
    *_INTS,
}


def health_settings(agency: Agency) -> HealthSettings:
    raw: dict[str, Any] = (agency.settings or {}).get("health", {})
    if not isinstance(raw, dict):
        raise ValidationError(_("The health settings must be an object."))
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        raise ValidationError(
            _("Unknown health settings: %(names)s.") % {"names": ", ".join(unknown)}
        )
    try:
        return HealthSettings(**_values(raw))
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationError(
            _(
                "The health settings are not valid: declaration required, optional or off; "
                "temperature_threshold_c 36.5-40.0; test_interval_days 1-365; wfh_days 1-14; "
                "reminder_lead_days 0-30; front_line_units a list of unit codes; "
                "public_service_positions true or false."
            )
        ) from exc


def _values(raw: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "declaration" in raw:
        values["declaration"] = Requirement(raw["declaration"])
    if "temperature_threshold_c" in raw:
        if isinstance(raw["temperature_threshold_c"], bool):
            raise ValueError
        threshold = Decimal(str(raw["temperature_threshold_c"])).quantize(Decimal("0.1"))
        if not Decimal("36.5") <= threshold <= Decimal("40.0"):
            raise ValueError
        values["temperature_threshold_c"] = threshold
    for key, (low, high) in _INTS.items():
        if key in raw:
            if isinstance(raw[key], bool) or int(raw[key]) != raw[key]:
                raise ValueError
            values[key] = int(raw[key])
            if not low <= values[key] <= high:
                raise ValueError
    if "front_line_units" in raw:
        codes = raw["front_line_units"]
        if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
            raise ValueError
        values["front_line_units"] = tuple(codes)
    if "public_service_positions" in raw:
        if not isinstance(raw["public_service_positions"], bool):
            raise ValueError
        values["public_service_positions"] = raw["public_service_positions"]
    return values
