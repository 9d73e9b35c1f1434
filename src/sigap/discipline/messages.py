"""Words for the discipline rules' codes (problems, sanctions, line codes, levels)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigap.discipline import rules


def problem_message(problem: rules.Problem) -> str:
    p = dict(problem.params)
    messages = {
        "rate_out_of_range": _("%(what)s must be between 0 and 100 %%."),
        "band_gap": _(
            "There is a gap between %(after)s and %(code)s: minutes %(missing)s fit no band."
        ),
        "band_overlap": _("%(code)s overlaps %(after)s: a minute may fall in one band only."),
        "band_not_from_1": _("The first band must start at minute 1."),
        "band_not_open_ended": _("The last band must be open-ended (no upper minute)."),
        "band_open_ended_not_last": _("Only the last band may be open-ended."),
        "band_low_above_high": _("%(code)s starts after it ends."),
        "band_empty": _("%(code)s has no minutes."),
        "no_bands": _("Give at least one band."),
        "duplicate_band_code": _("The code %(code)s is used twice."),
        "unknown_leave_code": _("%(code)s is not a leave or absence code."),
        "minutes_out_of_range": _("Give between 1 and 1,440 minutes."),
    }
    template = messages.get(problem.code)
    if template is None:
        return problem.code
    values = {
        "what": FIELD_NAMES.get(problem.field, problem.field),
        "code": p.get("code", ""),
        "after": p.get("after", ""),
        "missing": _missing(p),
    }
    return template % values


def _missing(params: dict) -> str:
    low, high = params.get("from"), params.get("to")
    if low is None:
        return ""
    return str(low) if low == high else f"{low}-{high}"


FIELD_NAMES = {
    "late_bands": gettext_lazy("A late-arrival rate"),
    "early_bands": gettext_lazy("An early-departure rate"),
    "absent_rate": gettext_lazy("The TK rate"),
    "missed_rollcall_rate": gettext_lazy("The missed roll call rate"),
    "discipline_share": gettext_lazy("The discipline part"),
    "cap": gettext_lazy("The cap"),
    "leave_rates": gettext_lazy("A leave rate"),
    "missing_punch_minutes": gettext_lazy("The minutes of a missing punch"),
}

LEVELS = {
    rules.LIGHT: gettext_lazy("light"),
    rules.MODERATE: gettext_lazy("moderate"),
    rules.HEAVY: gettext_lazy("heavy"),
}

SANCTIONS = {
    "verbal_warning": gettext_lazy("verbal warning"),
    "written_warning": gettext_lazy("written warning"),
    "written_dissatisfaction": gettext_lazy("written statement of dissatisfaction"),
    "tpp_cut_25_6m": gettext_lazy("performance allowance cut 25 per cent for 6 months"),
    "tpp_cut_25_9m": gettext_lazy("performance allowance cut 25 per cent for 9 months"),
    "tpp_cut_25_12m": gettext_lazy("performance allowance cut 25 per cent for 12 months"),
    "demotion_12m": gettext_lazy("demotion one level for 12 months"),
    "release_from_position_12m": gettext_lazy(
        "release from position to a staff post for 12 months"
    ),
    "discharge": gettext_lazy("honourable discharge not at own request"),
    "discharge_consecutive": gettext_lazy("discharge (10 consecutive working days absent)"),
}

LINE_CODES = {
    "TK": gettext_lazy("absent without a valid reason"),
    "APEL": gettext_lazy("missed roll call"),
}

LINE_REASONS = {
    "no_check_in": gettext_lazy("no check-in"),
    "no_check_out": gettext_lazy("no check-out"),
    "report_missing": gettext_lazy("remote day without a daily report"),
    "report_returned": gettext_lazy("remote day whose daily report was returned"),
}


def sanction_label(code: str) -> str:
    return str(SANCTIONS.get(code, code))


def level_label(level: str) -> str:
    return str(LEVELS.get(level, level))
