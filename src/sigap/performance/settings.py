"""The agency's daily-report settings (Agency.settings["reports"]) as the rules' dataclass."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency
from sigap.performance.rules import ReportSettings


def report_settings(agency: Agency) -> ReportSettings:
    raw: dict[str, Any] = (agency.settings or {}).get("reports", {})
    values: dict[str, Any] = {}
    try:
        if "deadline_time" in raw:
            values["deadline_time"] = dt.time.fromisoformat(str(raw["deadline_time"]))
        for key in ("required_on_wfo", "wfh_requires_approved_report"):
            if key in raw:
                values[key] = bool(raw[key])
        return ReportSettings(**values)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("The agency's report settings are not valid.")) from exc
