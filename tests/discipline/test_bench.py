"""`sigap bench_tpp` on a small size: it seeds its agency, computes and freezes last month,
computes this month provisionally, prints the figures and removes what it created."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from sigap.attendance.models import AttendanceDay
from sigap.discipline.bench import CODE, bench_tpp, remove_bench_agency
from sigap.discipline.models import TppStatement
from sigap.org.models import Agency, Employee

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bench_computes_both_months_in_bounded_queries_and_cleans_up(freeze):
    freeze(2026, 11, 24, 9, 0)
    small = bench_tpp(employees=28, opds=2, keep=True)
    large = None
    try:
        assert [(r.year, r.month, r.statements) for r in small.runs] == [
            (2026, 10, 28),
            (2026, 11, 28),
        ]
        assert small.runs[0].frozen == 28 and small.runs[1].frozen == 0
        lines = TppStatement.objects.filter(employee__agency__code=CODE).values_list("lines")
        assert sum(len(x[0]) for x in lines) > 0  # the generator gives deductions
    finally:
        remove_bench_agency()
    large = bench_tpp(employees=84, opds=2)
    per_group = [r.queries / r.groups for r in small.runs]
    assert [r.queries / r.groups for r in large.runs] == pytest.approx(per_group, abs=1)
    assert not Agency.objects.filter(code=CODE).exists()
    assert not (AttendanceDay.objects.exists() or TppStatement.objects.exists())


def test_the_command_prints_its_figures(freeze):
    freeze(2026, 11, 24, 9, 0)
    out = io.StringIO()
    call_command("bench_tpp", "--employees", "14", "--opds", "2", "--no-progress", stdout=out)
    text = out.getvalue()
    assert re.search(r"14 pegawai dalam 2 OPD", text)
    assert len(re.findall(r"14 rincian TPP dalam [\d,.]+ dtk", text)) == 2
    assert "bulan lalu (terkunci)" in text
    assert not Employee.objects.filter(agency__code=CODE).exists()


def test_too_small_a_bench_is_refused():
    with pytest.raises(CommandError):
        call_command("bench_tpp", "--employees", "5", "--opds", "2")
