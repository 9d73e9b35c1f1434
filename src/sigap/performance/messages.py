"""Translatable words for the report rules' issue codes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sigap.performance import rules

ISSUE_MESSAGES: dict[str, Any] = {
    "no_activities": _("Add at least one activity."),
    "too_many_activities": _("Too many activities in one report."),
    "empty_description": _("Activity %(n)s: describe what you did."),
    "description_too_long": _("Activity %(n)s: the description is too long."),
    "minutes_not_positive": _("Activity %(n)s: the minutes must be more than zero."),
    "minutes_too_many": _("Activity %(n)s: more minutes than a day has."),
    "day_over_24h": _("The activities add up to more than 24 hours."),
    "negative_output": _("Activity %(n)s: the output cannot be negative."),
    "output_unit_required": _("Activity %(n)s: give the unit of the output (e.g. dokumen)."),
    "evidence_url_invalid": _("Activity %(n)s: the evidence link must be an http(s) address."),
}


def issue_message(issue: rules.Issue) -> str:
    template = ISSUE_MESSAGES.get(issue.code)
    if template is None:
        return issue.code
    number = (issue.index + 1) if issue.index is not None else ""
    return str(template) % {"n": number}
