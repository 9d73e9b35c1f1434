"""Breach readiness: for a window and data categories, exactly the employees whose data was
held then, with their contacts (the 3 x 24-hour notice list)."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sigap.attendance.models import CheckIn
from sigap.core.exceptions import InvalidInput
from sigap.privacy.breach import breach_affected, breach_category_keys, breach_rows
from tests.factories import AgencyFactory, EmployeeFactory
from tests.privacy.purge_world import at, check_in, face_reference, refused

D = dt.date


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, media):
    agency = AgencyFactory(code="breach-a")
    home = dict(home_latitude=None, home_longitude=None)
    # selfie in March, deleted by retention on 1 July
    deleted = EmployeeFactory(agency=agency, name="Dedi", email="dedi@x.id", phone="0812", **home)
    event = check_in(deleted, D(2026, 3, 10))
    CheckIn.objects.filter(pk=event.pk).update(selfie="", selfie_deleted_at=at(2026, 7, 1, 2, 0))
    # a selfie still held since June
    holder = EmployeeFactory(agency=agency, name="Hana", email="hana@x.id", **home)
    check_in(holder, D(2026, 6, 15))
    # a check-in without a selfie (a correction) in May: location only
    plain = EmployeeFactory(agency=agency, name="Pino", **home)
    check_in(plain, D(2026, 5, 4), selfie=False)
    # only a refused attempt (located) in April
    tried = EmployeeFactory(agency=agency, name="Tari", **home)
    refused(tried, at(2026, 4, 2, 7, 0))
    # a refused attempt without a location, a home location, a face reference from August
    homebody = EmployeeFactory(agency=agency, name="Rumah")  # has a home location
    refused(homebody, at(2026, 4, 2, 7, 0), located=False)
    faced = EmployeeFactory(agency=agency, name="Wajah", **home)
    face_reference(faced, created=at(2026, 8, 1, 9, 0))
    # another agency: never listed
    stranger = EmployeeFactory(agency=AgencyFactory(code="breach-b"))
    check_in(stranger, D(2026, 6, 15))
    return locals()


def ids(world, *names):
    return {world[name].pk for name in names}


def window(start: D, end: D) -> tuple[dt.datetime, dt.datetime]:
    return at(start.year, start.month, start.day, 0, 0), at(end.year, end.month, end.day, 23, 59)


@pytest.mark.parametrize(
    ("category", "start", "end", "expected"),
    [
        # March..May: Dedi's selfie held (deleted only in July); Hana's not yet taken
        ("selfie", D(2026, 3, 1), D(2026, 5, 31), ("deleted",)),
        ("selfie", D(2026, 6, 1), D(2026, 6, 30), ("deleted", "holder")),
        # after its deletion Dedi's selfie is no longer held
        ("selfie", D(2026, 7, 2), D(2026, 12, 31), ("holder",)),
        ("selfie", D(2026, 1, 1), D(2026, 2, 28), ()),
        # locations: check-ins (kept) and located refused attempts stored by the end,
        # and every registered home location
        ("location", D(2026, 1, 1), D(2026, 2, 28), ("homebody",)),
        ("location", D(2026, 1, 1), D(2026, 4, 30), ("homebody", "deleted", "tried")),
        (
            "location",
            D(2026, 1, 1),
            D(2026, 12, 31),
            ("homebody", "deleted", "tried", "plain", "holder"),
        ),
        ("face", D(2026, 1, 1), D(2026, 7, 31), ()),
        ("face", D(2026, 8, 1), D(2026, 8, 1), ("faced",)),
        (
            "profile",
            D(2026, 1, 1),
            D(2026, 1, 1),
            ("deleted", "holder", "plain", "tried", "homebody", "faced"),
        ),
    ],
)
def test_affected_sets(world, category, start, end, expected):
    found = breach_affected(agency=world["agency"], start=window(start, end)[0],
                            end=window(start, end)[1], categories=[category])  # fmt: skip
    assert set(found) == ids(world, *expected)
    assert all(cats == (category,) for cats in found.values())


def test_several_categories_are_merged_per_employee(world):
    start, end = window(D(2026, 6, 1), D(2026, 6, 30))
    found = breach_affected(agency=world["agency"], start=start, end=end,
                            categories=["selfie", "face"])  # fmt: skip
    assert found == {world["deleted"].pk: ("selfie",), world["holder"].pk: ("selfie",)}


def test_rows_carry_contacts_in_batches(world):
    start, end = window(D(2026, 3, 1), D(2026, 6, 30))
    affected = breach_affected(agency=world["agency"], start=start, end=end, categories=["selfie"])
    progress = []
    rows = list(breach_rows(agency=world["agency"], affected=affected,
                            progress=lambda d, t: progress.append((d, t))))  # fmt: skip
    by_nip = {row.nip: row for row in rows}
    dedi = by_nip[world["deleted"].nip]
    assert (dedi.name, dedi.email, dedi.phone) == ("Dedi", "dedi@x.id", "0812")
    assert dedi.unit == world["deleted"].unit.name
    assert progress == [(2, 2)]


def test_unknown_category_and_reversed_window_are_refused(world):
    with pytest.raises(InvalidInput):
        breach_category_keys("selfie,dna")
    with pytest.raises(InvalidInput):
        breach_category_keys("")
    start, end = window(D(2026, 6, 1), D(2026, 6, 30))
    with pytest.raises(InvalidInput):
        breach_affected(agency=world["agency"], start=end, end=start, categories=["selfie"])


def test_command_csv_lists_the_notice_list(world):
    out, err = StringIO(), StringIO()
    call_command(
        "breach_report", "--from", "2026-06-01", "--to", "2026-06-30", "--category",
        "selfie,face", "--agency", "breach-a", "--format", "csv", stdout=out, stderr=err,
    )  # fmt: skip
    rows = list(csv.DictReader(StringIO(out.getvalue())))
    assert {row["nip"] for row in rows} == {world["deleted"].nip, world["holder"].nip}
    assert {row["email"] for row in rows} == {"dedi@x.id", "hana@x.id"}
    assert "2 employees affected" in err.getvalue() or "2 pegawai" in err.getvalue()
    assert world["stranger"].nip not in out.getvalue()


def test_command_table_and_every_agency(world):
    out = StringIO()
    call_command("breach_report", "--from", "2026-06-01", "--to", "2026-06-30",
                 "--category", "selfie", stdout=out, stderr=StringIO())  # fmt: skip
    assert world["holder"].nip in out.getvalue()
    assert world["stranger"].nip in out.getvalue()  # no --agency: every agency


@pytest.mark.parametrize(
    "args",
    [
        ["--category", "dna"],
        ["--category", "selfie", "--agency", "nope"],
        ["--category", "selfie", "--from", "yesterday"],
    ],
)
def test_command_refusals(world, args):
    base = {"--from": "2026-06-01", "--to": "2026-06-30"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    flat = [part for key, value in (base | given).items() for part in (key, value)]
    with pytest.raises(CommandError):
        call_command("breach_report", *flat, stdout=StringIO(), stderr=StringIO())
