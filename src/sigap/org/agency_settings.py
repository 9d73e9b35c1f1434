"""Agency.settings is one JSON document with a section per app ("attendance",
"arrangements", "requests", "reports"). Each app registers the reader that turns its
section into its settings dataclass; the back office validates a whole document with all
of them before saving, so a wrong value is refused in the form, not at a check-in."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from sigap.org.models import Agency

Reader = Callable[[Agency], Any]
_readers: dict[str, Reader] = {}


def register_agency_settings(section: str, reader: Reader) -> None:
    _readers[section] = reader


def agency_settings_problems(agency: Agency, settings: dict[str, Any]) -> dict[str, str]:
    """Each section's problem with `settings` (empty when every reader accepts it)."""
    if not isinstance(settings, dict):
        return {"settings": "a JSON object is required"}
    trial = copy.copy(agency)
    trial.settings = settings
    problems: dict[str, str] = {}
    for section, reader in sorted(_readers.items()):
        value = settings.get(section, {})
        if not isinstance(value, dict):
            problems[section] = "a JSON object is required"
            continue
        try:
            reader(trial)
        except ValidationError as exc:
            problems[section] = "; ".join(str(m) for m in exc.messages)
        except (TypeError, ValueError, KeyError) as exc:
            problems[section] = str(exc) or exc.__class__.__name__
    return problems
