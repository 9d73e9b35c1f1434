"""Demo roll calls: the agency's default series; the latest session whose cut-off has
passed (today's after 08:00 on a Monday), pre-filled from the demo attendance with a few
OPDs confirmed (Kominfo is left for `kepala.kominfo`); and the next session ahead."""

from __future__ import annotations

import datetime as dt

from sigap.core import clock
from sigap.org.models import Agency
from sigap.rollcall import selectors, services
from sigap.rollcall.models import Rollcall, UnitReport, session_bounds

CONFIRMED_OPDS = 5
LEFT_FOR_THE_DEMO = "DISKOMINFO"


def seed_rollcall_demo(*, agency: Agency, today: dt.date) -> Rollcall | None:
    """Idempotent: sessions exist once per series and date; confirmed reports stay."""
    services.rollcall_series_ensure_defaults(agency=agency)
    current, now = None, clock.now()
    for back in range(15):
        found = services.rollcalls_create_due(agency=agency, date=today - dt.timedelta(back))
        if found is not None and session_bounds(found)[1] <= now:  # its cut-off has passed
            current = found
            break
    for ahead in range(1, 15):
        if services.rollcalls_create_due(agency=agency, date=today + dt.timedelta(ahead)):
            break
    if current is None:
        return None
    services.rollcall_prefill(rollcall=current)
    _confirm_some(current)
    return current


def _confirm_some(rollcall: Rollcall) -> None:
    if UnitReport.objects.filter(rollcall=rollcall, confirmed_at__isnull=False).exists():
        return
    units = [
        u
        for u in selectors.opds(rollcall.agency_id)
        if u.head is not None and u.code != LEFT_FOR_THE_DEMO
    ]
    for unit in units[:CONFIRMED_OPDS]:
        services.unit_report_confirm(
            rollcall=rollcall, unit=unit, by=unit.head, note="Apel berjalan tertib."
        )
