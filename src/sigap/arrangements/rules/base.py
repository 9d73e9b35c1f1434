"""Work-arrangement rules: modes, quotas and eligibility (DOMAIN.md section 2). Pure.

- Modes: WFO, WFH, WFA, DL (official travel) and OFF (approved leave or sickness: no
  check-in expected). Every roster entry carries an `EntryReason`.
- Emergency policies (the PPKM pattern) give a WFO share per unit: presets level 1-4 =
  100/75/50/25 % for non-essential units (0 % = everybody at home is a valid custom
  value); essential units stay within 50-100 %; critical units up to 100 % (default 100).
  An essential or critical unit is never more restricted than the general policy share.
- The quota cap of a unit is floor(headcount * share / 100) in integer arithmetic, but at
  least 1 when both are positive: a unit that is allowed in the office at all can always
  send one person (a 3-person unit at 25 % keeps its desk open instead of closing).
- Flexible work (PermenPANRB 4/2025) needs an eligible position, no running disciplinary
  sanction and at least `min_service_days` of service (default 365 elapsed days). An
  unknown start of service does not make anybody "new": missing data must not silently
  take away a right, and the unit head still decides on each application. Service is
  counted in elapsed days (date subtraction), so a 29 February start date never fails.
- At most `DEFAULT_WEEKLY_FLEXIBLE_CAP` (2) flexible-location days per ISO week.
- Direct public-service positions are WFO on every working day unless the policy
  releases them, or a fixed entry (leave, travel, a manual edit) says otherwise.
- `generate_rotation` builds a unit's roster for a period within the quota, the free
  seats and the weekly flexible cap; `roster_violations` checks a hand-edited grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType


class Mode(StrEnum):
    WFO = "WFO"
    WFH = "WFH"
    WFA = "WFA"
    DL = "DL"
    OFF = "OFF"  # approved leave, sickness...: no check-in expected


class EntryReason(StrEnum):
    POLICY = "policy"  # sent home (or kept in) by the quota or the free seats
    FLEXIBLE = "flexible"  # an approved flexible-work day
    MANUAL = "manual"  # edited by the unit head
    RECALL = "recall"  # called back to the office
    REQUEST = "request"  # leave or DL from an approved request
    DEFAULT = "default"  # the office is the default


class UnitClass(StrEnum):
    NON_ESSENTIAL = "non_essential"
    ESSENTIAL = "essential"
    CRITICAL = "critical"


class IneligibleReason(StrEnum):
    POSITION_NOT_ELIGIBLE = "position_not_eligible"
    UNDER_SANCTION = "under_sanction"
    NEW_EMPLOYEE = "new_employee"


LEVEL_SHARES: Mapping[int, int] = MappingProxyType({1: 100, 2: 75, 3: 50, 4: 25})
ESSENTIAL_MIN_SHARE = 50
DEFAULT_ESSENTIAL_SHARE = 50
DEFAULT_CRITICAL_SHARE = 100
DEFAULT_WEEKLY_FLEXIBLE_CAP = 2
DEFAULT_MIN_SERVICE_DAYS = 365
REMOTE_MODES = frozenset({Mode.WFH, Mode.WFA})
AWAY_MODES = frozenset({Mode.OFF, Mode.DL})  # not expected in the office, not remote work
_MODE_VALUES = frozenset(m.value for m in Mode)


# --- quota ---------------------------------------------------------------------------------


def validate_policy_shares(
    *,
    policy_share: int,
    essential_share: int = DEFAULT_ESSENTIAL_SHARE,
    critical_share: int = DEFAULT_CRITICAL_SHARE,
) -> list[str]:
    """Problem codes of a policy's shares (empty = valid)."""
    problems = []
    if not 0 <= policy_share <= 100:
        problems.append("policy_share_out_of_range")
    if not ESSENTIAL_MIN_SHARE <= essential_share <= 100:
        problems.append("essential_share_out_of_range")
    if not 0 <= critical_share <= 100:
        problems.append("critical_share_out_of_range")
    return problems


def wfo_share_for(
    *,
    unit_class: UnitClass | str,
    policy_share: int,
    essential_share: int = DEFAULT_ESSENTIAL_SHARE,
    critical_share: int = DEFAULT_CRITICAL_SHARE,
) -> int:
    """WFO share (percent) of a unit of this class under the policy. ValueError if invalid."""
    problems = validate_policy_shares(
        policy_share=policy_share, essential_share=essential_share, critical_share=critical_share
    )
    if problems:
        raise ValueError(", ".join(problems))
    unit_class = UnitClass(unit_class)
    if unit_class is UnitClass.ESSENTIAL:
        return max(policy_share, essential_share)
    if unit_class is UnitClass.CRITICAL:
        return max(policy_share, critical_share)
    return policy_share


def wfo_cap(*, headcount: int, share_percent: int) -> int:
    """Most people of the unit in the office on a day: floor(headcount * share / 100),
    at least 1 when share and headcount are positive. Integer arithmetic only."""
    if headcount < 0 or not 0 <= share_percent <= 100:
        raise ValueError("headcount must be >= 0 and share_percent within 0..100")
    if headcount == 0 or share_percent == 0:
        return 0
    return max(1, headcount * share_percent // 100)


# --- eligibility ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...] = ()  # IneligibleReason codes, in a fixed order


def flexible_eligibility(
    *,
    position_eligible: bool,
    start_of_service: date | None,
    on: date,
    under_sanction: bool,
    min_service_days: int = DEFAULT_MIN_SERVICE_DAYS,
    block_sanctioned: bool = True,
    block_new: bool = True,
) -> Eligibility:
    """May the employee apply for flexible work on `on`? Unknown start = not new."""
    reasons: list[str] = []
    if not position_eligible:
        reasons.append(IneligibleReason.POSITION_NOT_ELIGIBLE)
    if block_sanctioned and under_sanction:
        reasons.append(IneligibleReason.UNDER_SANCTION)
    new = start_of_service is not None and (on - start_of_service).days < min_service_days
    if block_new and new:
        reasons.append(IneligibleReason.NEW_EMPLOYEE)
    return Eligibility(eligible=not reasons, reasons=tuple(reasons))


def iso_week(d: date) -> tuple[int, int]:
    """(ISO year, ISO week): the weekly flexible cap counts per ISO week."""
    year, week, _ = d.isocalendar()
    return year, week
