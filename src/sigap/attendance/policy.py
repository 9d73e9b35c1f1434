"""The agency's attendance settings (stored in Agency.settings["attendance"])."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency

OUTSIDE_GEOFENCE_CHOICES = ("block", "flag")


@dataclass(frozen=True, slots=True)
class AttendancePolicy:
    outside_geofence: str = "block"  # block: refuse with 422; flag: accept for supervisor review
    accuracy_limit_m: float = 100.0
    clock_skew_minutes: int = 5
    offline_delay_flag_minutes: int = 5

    @classmethod
    def for_agency(cls, agency: Agency) -> AttendancePolicy:
        raw: dict[str, Any] = (agency.settings or {}).get("attendance", {})
        known = {f.name for f in fields(cls)}
        policy = cls(**{k: v for k, v in raw.items() if k in known})
        policy.validate()
        return policy

    def validate(self) -> None:
        if self.outside_geofence not in OUTSIDE_GEOFENCE_CHOICES:
            raise ValidationError(_("outside_geofence must be 'block' or 'flag'."))
        if not 0 < float(self.accuracy_limit_m) <= 5000:
            raise ValidationError(_("The GPS accuracy limit must be between 1 and 5000 m."))
        if not 0 < int(self.clock_skew_minutes) <= 120:
            raise ValidationError(_("The clock skew limit must be between 1 and 120 minutes."))
