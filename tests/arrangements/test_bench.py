"""The roster benchmark runs end to end on a small size and cleans up after itself."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from sigap.arrangements.models import RosterEntry
from sigap.org.models import Agency, Employee


def test_bench_roster_prints_its_figures_and_removes_its_agency(db, freeze):
    freeze(2026, 11, 24, 9, 0)
    out = StringIO()
    call_command("bench_roster", employees=200, units=4, no_progress=True, stdout=out)
    text = out.getvalue()
    for figure in ("days_over_quota: 0", "public_service_coverage_min: 100", "problems: 0"):
        assert figure in text
    assert "fairness_spread_max: 1" in text or "fairness_spread_max: 0" in text
    assert not Agency.objects.filter(code="BENCH-ROSTER").exists()
    assert not Employee.objects.exists()
    assert not RosterEntry.objects.exists()
