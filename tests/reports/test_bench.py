"""`sigap bench_recap` on a small size: it seeds its agency with days of attendance and a
roll call, requests the recaps and the board as their readers, builds the monthly XLSX,
prints the figures and removes everything it created (unless --keep)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from sigap.attendance.models import AttendanceDay, CheckIn
from sigap.core.models import User
from sigap.org.models import Agency, Employee, RoleAssignment, Unit
from sigap.reports.bench import CODE, bench_recap, remove_bench_agency
from sigap.rollcall.models import Rollcall, UnitReport

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bench_measures_real_responses_and_cleans_up(freeze):
    freeze(2026, 11, 24, 9, 0)  # a Tuesday: the roll call is yesterday's
    users = User.objects.count()
    result = bench_recap(employees=42, opds=3, days=8, runs=2)
    assert result.date.isoformat() == "2026-11-23"
    assert result.day_rows >= 42 * 5 and result.check_ins > result.day_rows
    by_key = {t.key: t for t in result.timings}
    assert set(by_key) == {"agency", "opd", "board", "xlsx"}
    for key in ("agency", "opd", "board"):
        timing = by_key[key]
        assert timing.status == 200, key
        assert len(timing.seconds) == 2 and len(timing.warm_seconds) == 2
        assert 0 < timing.queries < 25, (key, timing.queries)  # grouped, not per person
    assert result.xlsx_people == 14 and result.xlsx_bytes > 5000
    assert not Agency.objects.filter(code=CODE).exists()
    assert not (AttendanceDay.objects.exists() or CheckIn.objects.exists())
    assert not (Rollcall.objects.exists() or UnitReport.objects.exists())
    assert User.objects.count() == users and not RoleAssignment.objects.exists()


def test_the_command_prints_every_figure_and_keep_leaves_the_agency(freeze):
    freeze(2026, 11, 24, 9, 0)
    out = io.StringIO()
    args = ["--employees", "21", "--opds", "3", "--days", "3", "--runs", "1", "--no-progress"]
    call_command("bench_recap", *args, "--keep", stdout=out)
    text = out.getvalue()
    assert re.search(r"21 pegawai dalam 3 OPD", text)
    lines = [x for x in text.splitlines() if "median" in x]
    assert len(lines) == 4 and all("HTTP 200" in x for x in lines[:3])
    assert "7 orang" in lines[3]
    assert Employee.objects.filter(agency__code=CODE).count() == 21
    assert Unit.objects.filter(agency__code=CODE, parent=None).count() == 3
    remove_bench_agency()
    assert not Agency.objects.filter(code=CODE).exists()


def test_too_small_a_bench_is_refused():
    with pytest.raises(CommandError):
        call_command("bench_recap", "--employees", "5", "--opds", "2")
