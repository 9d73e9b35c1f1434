"""The agency's data protection contact (Pejabat Pelindungan Data Pribadi, UU 27/2022
article 53), shown on the privacy notice: Agency.settings["dpo"] = {"name", "email",
"phone", "address"} (all optional text). Unset, the notice names the agency's HR office."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency

_KEYS = ("name", "email", "phone", "address")
_MAX = 300


@dataclass(frozen=True)
class DpoContact:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""

    @property
    def configured(self) -> bool:
        return any((self.name, self.email, self.phone, self.address))


def dpo_contact(agency: Agency | None) -> DpoContact:
    raw: Any = ((agency.settings or {}) if agency is not None else {}).get("dpo", {})
    if not isinstance(raw, dict):
        raise ValidationError(_("The data protection contact must be an object."))
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise ValidationError(
            _("Unknown data protection contact fields: %(names)s.") % {"names": ", ".join(unknown)}
        )
    values = {key: raw.get(key, "") for key in _KEYS}
    if any(not isinstance(v, str) or len(v) > _MAX for v in values.values()):
        raise ValidationError(
            _("Each data protection contact field is text of at most 300 characters.")
        )
    if values["email"]:
        validate_email(values["email"])
    return DpoContact(**{k: v.strip() for k, v in values.items()})
