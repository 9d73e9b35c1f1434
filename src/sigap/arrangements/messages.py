"""Indonesian (translatable) words for the rules' problem codes, and their API shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sigap.arrangements import rules

PROBLEM_MESSAGES: dict[str, Any] = {
    "over_quota": _("%(wfo)s people are in the office but the WFO quota allows %(cap)s."),
    "over_seats": _("%(wfo)s people are in the office but there are %(seats)s free seats."),
    "public_service_not_in_office": _("A public-service position is not in the office."),
    "over_weekly_cap": _("More remote days than the weekly flexible cap (%(cap)s) allows."),
    "invalid_mode": _("Unknown work mode."),
    "public_service_exceeds_quota": _(
        "%(needed)s people must be in the office (public service and fixed entries) but the "
        "WFO quota allows %(cap)s."
    ),
    "public_service_exceeds_seats": _(
        "%(needed)s people must be in the office (public service and fixed entries) but there "
        "are %(seats)s free seats."
    ),
    "fixed_exceeds_quota": _(
        "%(fixed_office)s fixed office entries (recalls, manual edits) exceed the WFO quota "
        "of %(cap)s."
    ),
    "fixed_exceeds_seats": _(
        "%(fixed_office)s fixed office entries (recalls, manual edits) exceed the %(seats)s "
        "free seats."
    ),
}


def problem_message(problem: rules.Problem) -> str:
    template = PROBLEM_MESSAGES.get(problem.code)
    if template is None:
        return problem.message
    try:
        return str(template) % dict(problem.detail)
    except (KeyError, TypeError, ValueError):
        return str(template)


def problem_out(problem: rules.Problem) -> dict[str, Any]:
    """A problem as the API and the pages show it: code, day, unit, message, detail."""
    return {
        "code": problem.code,
        "date": problem.day.isoformat() if problem.day else None,
        "unit_id": problem.unit_id,
        "message": problem_message(problem),
        "detail": {k: v for k, v in problem.detail.items() if isinstance(v, (int, str, float))},
    }
