"""The retention purge removes exactly what is due, nothing else (rows and files), logs
counts only, is idempotent, and a dry run changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from sigap.attendance.models import CheckIn, RefusedCheckIn
from sigap.attendance.privacy import month_lock_clocks
from sigap.privacy.models import PurgeRun
from sigap.privacy.purge import privacy_purge
from sigap.verification.models import CheckVerification, FaceReference
from tests.factories import AgencyFactory, EmployeeFactory
from tests.privacy.purge_world import (
    at,
    check_in,
    exists,
    face_reference,
    hashed,
    refused,
    reopening,
)

D = dt.date
TODAY = D(2026, 11, 24)
MINE = ("face_templates", "refused_attempts", "selfie_derived", "selfies")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, media):
    agency = AgencyFactory(code="purge-a")
    ana = EmployeeFactory(agency=agency, name="Ana")
    leaver = EmployeeFactory(agency=agency, name="Lea", active=False)
    other = EmployeeFactory(agency=AgencyFactory(code="purge-b"), name="Orang Lain")
    # March: reopened and closed again on 1 May -> locked since 1 May: due
    reopening(agency, 2026, 3, opened=at(2026, 4, 20, 9, 0), closed=at(2026, 5, 1, 10, 0))
    # April: reopened and closed on 1 September -> locked since then: 84 days, not due
    reopening(agency, 2026, 4, opened=at(2026, 8, 20, 9, 0), closed=at(2026, 9, 1, 10, 0))
    # May: reopened and still open -> not locked
    reopening(agency, 2026, 5, opened=at(2026, 10, 1, 9, 0))
    due = {
        "mar": check_in(ana, D(2026, 3, 10)),
        "jun": check_in(ana, D(2026, 6, 15)),
        "jul": check_in(ana, D(2026, 7, 31), hour=22, kind="out"),
    }
    kept = {
        "apr": check_in(ana, D(2026, 4, 10)),
        "may": check_in(ana, D(2026, 5, 11)),
        "aug": check_in(ana, D(2026, 8, 3)),
        "nov": check_in(ana, D(2026, 11, 23)),
        "lea_aug": check_in(leaver, D(2026, 8, 4)),
        "other_jun": check_in(other, D(2026, 6, 15)),  # another agency: not this purge
    }
    no_selfie = check_in(ana, D(2026, 6, 16), selfie=False)
    refused_due = [refused(ana, at(2026, 7, 15, 10, 0)), refused(ana, at(2026, 7, 31, 23, 30))]
    refused_kept = [
        refused(ana, at(2026, 8, 1, 0, 30)),  # 31 July 16:30 UTC, but August in WITA
        refused(ana, at(2026, 5, 4, 7, 0)),  # May is reopened
        refused(other, at(2026, 6, 1, 7, 0)),
    ]
    leaver_active = face_reference(leaver)
    leaver_proposal = face_reference(
        leaver, status="proposed", image=kept["lea_aug"].selfie.name, event=kept["lea_aug"]
    )
    ana_active = face_reference(ana)
    ana_due_proposal = face_reference(
        ana, status="rejected", image=due["jun"].selfie.name, event=due["jun"]
    )
    ana_kept_proposal = face_reference(
        ana, status="proposed", image=kept["aug"].selfie.name, event=kept["aug"]
    )
    other_leaver = EmployeeFactory(agency=other.agency, active=False)
    other_reference = face_reference(other_leaver)
    hashes = {"jun": hashed(due["jun"]), "aug": hashed(kept["aug"])}
    return locals()


def selfie_names(events: dict[str, CheckIn]) -> dict[str, str]:
    return {key: event.selfie.name for key, event in events.items()}


def mine(run: PurgeRun) -> dict[str, dict]:
    return {key: run.counts[key] for key in MINE}


EXPECTED = {
    "selfies": {"rows": 3, "files": 3},
    "refused_attempts": {"rows": 2, "files": 0},
    "face_templates": {"rows": 2, "files": 1},  # the proposal's photo is a kept selfie
    "selfie_derived": {"rows": 2, "files": 0},  # a rejected proposal + a hash
}


def test_month_lock_clocks_respect_reopenings(world):
    clocks = month_lock_clocks(agency=world["agency"], since=D(2026, 3, 1), today=TODAY)
    assert clocks[(2026, 3)] == D(2026, 5, 1)
    assert clocks[(2026, 4)] == D(2026, 9, 1)
    assert clocks[(2026, 5)] is None
    assert clocks[(2026, 6)] == D(2026, 7, 4)
    assert clocks[(2026, 10)] == D(2026, 11, 5)  # deadline 4 November
    assert (2026, 11) not in clocks  # this month cannot be locked


def test_dry_run_counts_and_changes_nothing(world, django_capture_on_commit_callbacks):
    names = selfie_names(world["due"] | world["kept"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = privacy_purge(agency=world["agency"], today=TODAY, dry_run=True)
    assert callbacks == []
    assert run.dry_run and run.finished_at is not None
    assert mine(run) == EXPECTED
    assert all(exists(name) for name in names.values())
    assert CheckIn.objects.filter(selfie_deleted_at__isnull=False).count() == 0
    assert RefusedCheckIn.objects.count() == 5
    assert FaceReference.objects.count() == 6
    assert CheckVerification.objects.filter(phash__isnull=True).count() == 0


def test_purge_removes_exactly_what_is_due(world, django_capture_on_commit_callbacks):
    names = selfie_names(world["due"] | world["kept"])
    face_files = {
        "leaver": world["leaver_active"].image.name,
        "ana": world["ana_active"].image.name,
        "other": world["other_reference"].image.name,
    }
    with django_capture_on_commit_callbacks(execute=True):
        run = privacy_purge(agency=world["agency"], today=TODAY)
    assert mine(run) == EXPECTED
    assert not run.dry_run
    assert "rows" in str(run.counts) and ".jpg" not in str(run.counts)  # counts, no content
    for key, event in world["due"].items():
        event.refresh_from_db()
        assert event.selfie.name == "" and event.selfie_deleted_at is not None, key
        assert not exists(names[key]), key
    for key, event in world["kept"].items():
        event.refresh_from_db()
        assert event.selfie.name == names[key] and event.selfie_deleted_at is None, key
        assert exists(names[key]), key
    assert CheckIn.objects.count() == 10  # the events themselves are kept
    assert set(RefusedCheckIn.objects.values_list("pk", flat=True)) == {
        r.pk for r in world["refused_kept"]
    }
    assert set(FaceReference.objects.values_list("pk", flat=True)) == {
        world["ana_active"].pk,
        world["ana_kept_proposal"].pk,
        world["other_reference"].pk,
    }
    assert not exists(face_files["leaver"])
    assert exists(face_files["ana"]) and exists(face_files["other"])
    hashes = world["hashes"]
    assert CheckVerification.objects.get(pk=hashes["jun"].pk).phash is None
    assert CheckVerification.objects.get(pk=hashes["aug"].pk).phash == 1234567


def test_second_run_deletes_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        privacy_purge(agency=world["agency"], today=TODAY)
        again = privacy_purge(agency=world["agency"], today=TODAY)
    assert all(count == {"rows": 0, "files": 0} for count in mine(again).values())


@pytest.mark.parametrize(("today", "july_due"), [(D(2026, 11, 3), False), (D(2026, 11, 4), True)])
def test_month_locked_exactly_n_days_ago(world, today, july_due):
    """July was locked on 6 August: due from 4 November (90 days), not on the 3rd."""
    run = privacy_purge(agency=world["agency"], today=today, dry_run=True)
    assert run.counts["selfies"]["rows"] == (3 if july_due else 2)


def test_agency_setting_changes_the_period(world):
    world["agency"].settings = {"privacy": {"selfie_days": 200}}
    world["agency"].save()
    run = privacy_purge(agency=world["agency"], today=TODAY, dry_run=True)
    # March (locked 1 May, 207 days) only
    assert run.counts["selfies"] == {"rows": 1, "files": 1}


def test_a_failing_rule_is_logged_and_the_others_run(world, monkeypatch):
    from sigap.attendance import privacy as attendance_privacy

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(attendance_privacy, "refused_due_ids", broken)
    run = privacy_purge(agency=world["agency"], today=TODAY, dry_run=True)
    assert run.counts["refused_attempts"] == {"rows": 0, "files": 0, "failed": True}
    assert run.counts["selfies"] == EXPECTED["selfies"]


def test_command_prints_the_table(world):
    out = StringIO()
    call_command(
        "purge_personal_data", "--agency", "purge-a", "--dry-run", "--today", "2026-11-24",
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "purge-a" in text
    line = next(line for line in text.splitlines() if line.strip().startswith("selfies"))
    assert line.split()[1:3] == ["3", "3"]
    assert PurgeRun.objects.get().dry_run


def test_command_refuses_unknown_agency_and_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_personal_data", "--agency", "nope", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("purge_personal_data", "--today", "24-11-2026", stdout=StringIO())


def test_nightly_task_purges_every_agency(world, celery_eager, django_capture_on_commit_callbacks):
    from sigap.privacy.tasks import purge_nightly

    with django_capture_on_commit_callbacks(execute=True):
        purge_nightly.delay()
    runs = PurgeRun.objects.filter(dry_run=False)
    assert set(runs.values_list("agency__code", flat=True)) >= {"purge-a", "purge-b"}


def test_beat_schedule_has_the_nightly_purge(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge"]
    assert entry["task"] == "privacy.purge_nightly"
    assert entry["schedule"] == 24 * 3600
