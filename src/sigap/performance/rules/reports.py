"""A daily report's statuses, the agency settings and the validation of its activities.

Pure: stdlib only. Validation returns every problem at once (never stops at the first),
each as an `Issue` with a stable code, the activity index (None for the whole report),
the field and the numbers the message needs, so the API can answer 422 `invalid_input`
with `detail` and the phone form can highlight the exact line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from enum import StrEnum
from urllib.parse import urlsplit

DAY_MINUTES = 24 * 60  # a day's total can never exceed this, whatever the settings
MAX_URL_LENGTH = 2000
URL_SCHEMES = frozenset({"http", "https"})

Quantity = int | float | Decimal


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """Agency settings for daily reports, with the DOMAIN.md section 7 defaults."""

    deadline_time: time = time(10, 0)  # on the next working day after the work date
    required_on_wfo: bool = False  # WFH/WFA days always need a report
    wfh_requires_approved_report: bool = True  # returned/missing on WFH/WFA -> TK at close
    max_activity_minutes: int = DAY_MINUTES
    max_activities: int = 30
    max_description: int = 2000

    def __post_init__(self) -> None:
        if not 0 < self.max_activity_minutes <= DAY_MINUTES:
            raise ValueError("max_activity_minutes must be within 1..1440")
        if self.max_activities < 1 or self.max_description < 1:
            raise ValueError("max_activities and max_description must be positive")


class IssueCode(StrEnum):
    NO_ACTIVITIES = "no_activities"
    TOO_MANY_ACTIVITIES = "too_many_activities"
    EMPTY_DESCRIPTION = "empty_description"
    DESCRIPTION_TOO_LONG = "description_too_long"
    MINUTES_NOT_POSITIVE = "minutes_not_positive"
    MINUTES_TOO_MANY = "minutes_too_many"
    DAY_OVER_24H = "day_over_24h"
    NEGATIVE_OUTPUT = "negative_output"
    OUTPUT_UNIT_REQUIRED = "output_unit_required"
    EVIDENCE_URL_INVALID = "evidence_url_invalid"


@dataclass(frozen=True, slots=True)
class ActivityIn:
    """One activity of a daily report, as the API or the form sends it."""

    description: str
    output_qty: Quantity
    output_unit: str
    minutes: int
    evidence_url: str | None = None
    task_id: int | None = None


@dataclass(frozen=True, slots=True)
class Issue:
    """A validation problem. `index` is the activity's position, None for the report."""

    code: IssueCode
    index: int | None = None
    field: str | None = None
    params: Mapping[str, int | str] = dataclasses.field(default_factory=dict)


def total_minutes(activities: Sequence[ActivityIn]) -> int:
    """The report's total: the sum of the positive activity minutes."""
    return sum(a.minutes for a in activities if a.minutes > 0)


def evidence_url_valid(url: str) -> bool:
    """An absolute http(s) URL with a host, no credentials, no whitespace. Fails closed."""
    if len(url) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    has_credentials = parts.username is not None or parts.password is not None
    return parts.scheme.lower() in URL_SCHEMES and bool(host) and not has_credentials


def validate_activities(
    activities: Sequence[ActivityIn], *, settings: ReportSettings
) -> list[Issue]:
    """Every problem of a report's activities; an empty list means the report is valid.

    Report-level issues come first, then each activity's in order, then the day total.
    A blank `evidence_url` counts as no evidence. The description is measured stripped.
    """
    issues: list[Issue] = []
    if not activities:
        issues.append(Issue(IssueCode.NO_ACTIVITIES, None, "activities"))
    elif len(activities) > settings.max_activities:
        params = {"max": settings.max_activities, "count": len(activities)}
        issues.append(Issue(IssueCode.TOO_MANY_ACTIVITIES, None, "activities", params))
    for index, activity in enumerate(activities):
        issues.extend(_activity_issues(index, activity, settings))
    total = total_minutes(activities)
    if total > DAY_MINUTES:
        params = {"max": DAY_MINUTES, "total": total}
        issues.append(Issue(IssueCode.DAY_OVER_24H, None, "minutes", params))
    return issues


def _activity_issues(index: int, activity: ActivityIn, settings: ReportSettings) -> list[Issue]:
    issues: list[Issue] = []
    description = activity.description.strip()
    if not description:
        issues.append(Issue(IssueCode.EMPTY_DESCRIPTION, index, "description"))
    elif len(description) > settings.max_description:
        params = {"max": settings.max_description, "length": len(description)}
        issues.append(Issue(IssueCode.DESCRIPTION_TOO_LONG, index, "description", params))
    if activity.minutes <= 0:
        issues.append(Issue(IssueCode.MINUTES_NOT_POSITIVE, index, "minutes"))
    elif activity.minutes > settings.max_activity_minutes:
        params = {"max": settings.max_activity_minutes}
        issues.append(Issue(IssueCode.MINUTES_TOO_MANY, index, "minutes", params))
    if activity.output_qty < 0:
        issues.append(Issue(IssueCode.NEGATIVE_OUTPUT, index, "output_qty"))
    elif activity.output_qty > 0 and not activity.output_unit.strip():
        issues.append(Issue(IssueCode.OUTPUT_UNIT_REQUIRED, index, "output_unit"))
    url = (activity.evidence_url or "").strip()
    if url and not evidence_url_valid(url):
        issues.append(Issue(IssueCode.EVIDENCE_URL_INVALID, index, "evidence_url"))
    return issues
