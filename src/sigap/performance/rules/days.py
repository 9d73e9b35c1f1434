"""Dates and duties of a daily report: deadline, lateness, editability, when it is
required, and when a missing or returned report costs the employee an unexcused day.

Pure: no clock, no zones. The caller gives the next working day (from the agency's
holiday calendar), turns the naive local deadline into an aware datetime in the
office's zone, and compares it with the submission time in that same zone.

Modes are the arrangement codes (`sigap.arrangements.rules.Mode` is a StrEnum with
these values, so its members can be passed as they are): WFO, WFH, WFA, DL, OFF.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from enum import StrEnum

from sigap.performance.rules.reports import ReportSettings, ReportStatus

WEEKEND = (5, 6)  # Saturday, Sunday
REMOTE_MODES = frozenset({"WFH", "WFA"})
KNOWN_MODES = frozenset({"WFO", "WFH", "WFA", "DL", "OFF"})
_SEARCH_LIMIT = 366  # a year without a working day is a configuration error


class DateIssue(StrEnum):
    IN_THE_FUTURE = "in_the_future"


class UnexcusedReason(StrEnum):
    REPORT_MISSING = "report_missing"
    REPORT_RETURNED = "report_returned"


def next_working_day(
    day: date, *, holidays: Collection[date], weekend: Collection[int] = WEEKEND
) -> date:
    """The first day after `day` that is neither a weekend day nor a holiday."""
    candidate = day
    for _ in range(_SEARCH_LIMIT):
        candidate += timedelta(days=1)
        if candidate.weekday() not in weekend and candidate not in holidays:
            return candidate
    raise ValueError(f"no working day within {_SEARCH_LIMIT} days after {day}")


def report_deadline(
    work_date: date, *, next_working_day: date, settings: ReportSettings
) -> datetime:
    """Naive local deadline: the next working day at `settings.deadline_time` (10:00)."""
    if next_working_day <= work_date:
        raise ValueError("next_working_day must be after work_date")
    return datetime.combine(next_working_day, settings.deadline_time)


def report_is_late(submitted_at_local: datetime, deadline_local: datetime) -> bool:
    """Late from the first second after the deadline: 10:00:00 is on time, 10:00:01 late.

    Both values must be naive local or both aware (mixing them raises TypeError).
    Fractions of a second are ignored, like a clock that shows seconds.
    """
    return submitted_at_local.replace(microsecond=0) > deadline_local


def report_editable(status: str) -> bool:
    """The employee may replace a report until it is approved (409 `already_approved`)."""
    return ReportStatus(status) is not ReportStatus.APPROVED


def report_date_issue(work_date: date, today: date) -> str | None:
    """`in_the_future` for a date after today (the office's local date), else None."""
    return DateIssue.IN_THE_FUTURE if work_date > today else None


def _check_mode(mode: str | None) -> None:
    if mode is not None and mode not in KNOWN_MODES:
        raise ValueError(f"unknown work mode {mode!r}")


def report_required(*, mode: str | None, settings: ReportSettings) -> bool:
    """WFH/WFA always; WFO per agency setting; DL, OFF and no mode (not a working day)
    never. An unknown mode raises ValueError rather than silently waiving the duty."""
    _check_mode(mode)
    if mode in REMOTE_MODES:
        return True
    return mode == "WFO" and settings.required_on_wfo


def missing_report_flag(*, required: bool, submitted: bool, deadline_passed: bool) -> bool:
    """The day is flagged `report_missing` once a required report is overdue."""
    return required and not submitted and deadline_passed


def unexcused_reason(
    *,
    mode: str | None,
    report_status: str | None,
    month_closed: bool,
    settings: ReportSettings,
) -> str | None:
    """Why a remote day counts as TK, or None when it does not.

    With `wfh_requires_approved_report` on, a WFH/WFA day whose report is missing
    (`report_missing`) or returned (`report_returned`) counts as TK once the month is
    closed. A report still waiting for review (`submitted`) does not: the employee did
    their part, the supervisor's delay is not theirs. Before the close nothing counts,
    so a returned report can still be fixed. Unknown modes or statuses raise ValueError.
    """
    _check_mode(mode)
    status = None if report_status is None else ReportStatus(report_status)
    if not (settings.wfh_requires_approved_report and month_closed and mode in REMOTE_MODES):
        return None
    if status is None:
        return UnexcusedReason.REPORT_MISSING
    if status is ReportStatus.RETURNED:
        return UnexcusedReason.REPORT_RETURNED
    return None


def counts_as_unexcused(
    *,
    mode: str | None,
    report_status: str | None,
    month_closed: bool,
    settings: ReportSettings,
) -> bool:
    """True when `unexcused_reason` gives a reason (see there)."""
    reason = unexcused_reason(
        mode=mode, report_status=report_status, month_closed=month_closed, settings=settings
    )
    return reason is not None
