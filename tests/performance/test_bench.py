"""`sigap bench_reports` on a small size: it seeds its agency, requests the real pages as the
unit head, prints the figures and removes everything it created (unless --keep)."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from sigap.arrangements.models import RosterEntry
from sigap.core.models import User
from sigap.org.models import Agency, Employee
from sigap.performance.bench import CODE, remove_bench_agency
from sigap.performance.models import Activity, DailyReport, Task

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(
        "bench_reports", "--employees", "20", "--runs", "2", "--no-progress", *args, stdout=out
    )
    return out.getvalue()


def test_the_bench_prints_its_figures_and_cleans_up(freeze):
    freeze(2026, 11, 24, 9, 0)
    users = User.objects.count()
    text = run()
    # the command speaks Indonesian by default
    assert "Uji kinerja laporan: 20 pegawai, 2026-10" in text
    seeded = re.search(r"data diisi: (\d+) laporan \(\d+ menunggu\), (\d+) kegiatan", text)
    assert seeded and int(seeded[1]) > 300 and int(seeded[2]) > 2 * int(seeded[1])
    labels = ["review queue (API, 500 max)", "unit recap page"]
    with contextlib.suppress(NoReverseMatch):
        labels.append("review queue page (web)" if reverse("web:report_queue") else "")
    for label in labels:
        line = next(x for x in text.splitlines() if label in x)
        assert re.search(r"median \d+ ms, maks\. \d+ ms dari 2 kali uji, \d+ kueri, HTTP 200", line)
    assert not Agency.objects.filter(code=CODE).exists()
    assert not (DailyReport.objects.exists() or Activity.objects.exists() or Task.objects.exists())
    assert not RosterEntry.objects.exists() and User.objects.count() == users


def test_keep_leaves_the_agency_for_a_look(freeze):
    freeze(2026, 11, 24, 9, 0)
    run("--keep")
    assert Employee.objects.filter(agency__code=CODE).count() == 20
    remove_bench_agency()
    assert not Agency.objects.filter(code=CODE).exists()


def test_too_small_a_bench_is_refused():
    with pytest.raises(CommandError):
        call_command("bench_reports", "--employees", "1")
