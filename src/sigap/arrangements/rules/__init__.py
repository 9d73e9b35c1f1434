"""Work-arrangement rules (DOMAIN.md section 2). Pure: stdlib only, no Django, no clock.

base: modes, reasons, quota presets and caps, flexible-work eligibility;
rotation: the rotation generator and its figures; validation: checks of an edited grid.
"""

from sigap.arrangements.rules.base import (
    AWAY_MODES,
    DEFAULT_CRITICAL_SHARE,
    DEFAULT_ESSENTIAL_SHARE,
    DEFAULT_MIN_SERVICE_DAYS,
    DEFAULT_WEEKLY_FLEXIBLE_CAP,
    ESSENTIAL_MIN_SHARE,
    LEVEL_SHARES,
    REMOTE_MODES,
    Eligibility,
    EntryReason,
    IneligibleReason,
    Mode,
    UnitClass,
    flexible_eligibility,
    iso_week,
    validate_policy_shares,
    wfo_cap,
    wfo_share_for,
)
from sigap.arrangements.rules.rotation import (
    Assignment,
    Person,
    Problem,
    RotationInput,
    RotationResult,
    generate_rotation,
    rotation_figures,
)
from sigap.arrangements.rules.validation import (
    roster_violations,
)

__all__ = [
    "AWAY_MODES",
    "DEFAULT_CRITICAL_SHARE",
    "DEFAULT_ESSENTIAL_SHARE",
    "DEFAULT_MIN_SERVICE_DAYS",
    "DEFAULT_WEEKLY_FLEXIBLE_CAP",
    "ESSENTIAL_MIN_SHARE",
    "LEVEL_SHARES",
    "REMOTE_MODES",
    "Assignment",
    "Eligibility",
    "EntryReason",
    "IneligibleReason",
    "Mode",
    "Person",
    "Problem",
    "RotationInput",
    "RotationResult",
    "UnitClass",
    "flexible_eligibility",
    "generate_rotation",
    "iso_week",
    "roster_violations",
    "rotation_figures",
    "validate_policy_shares",
    "wfo_cap",
    "wfo_share_for",
]
