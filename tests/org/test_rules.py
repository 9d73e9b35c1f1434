import datetime as dt

import pytest

from sigap.org.rules import (
    NipError,
    creates_cycle,
    is_valid_time_zone,
    make_nip,
    parse_nip,
    subtree,
)


def test_parse_a_valid_nip():
    parts = parse_nip("198503152010011002")
    assert parts.birth_date == dt.date(1985, 3, 15)
    assert (parts.appointment_year, parts.appointment_month) == (2010, 1)
    assert parts.gender == "M"
    assert parts.sequence == 2


def test_female_gender_digit():
    assert parse_nip("199001012015032001").gender == "F"


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850315201001100", "nip_format"),  # 17 digits
        ("1985031520100110021", "nip_format"),  # 19 digits
        ("19850315201001100A", "nip_format"),
        ("１９８５０３１５２０１００１１００２", "nip_format"),  # full-width digits
        ("198513152010011002", "nip_birth_date"),  # month 13
        ("198502302010011002", "nip_birth_date"),  # 30 February
        ("190002292010011002", "nip_birth_date"),  # 1900 was not a leap year
        ("185001012010011002", "nip_birth_date"),  # born 1850
        ("198503152010001002", "nip_appointment"),  # appointment month 00
        ("198503152010131002", "nip_appointment"),  # appointment month 13
        ("198503152002011002", "nip_appointment"),  # appointed at 16
        ("198503152010013002", "nip_gender"),
        ("198503152010010002", "nip_gender"),
        ("198503152010011000", "nip_sequence"),
    ],
)
def test_invalid_nips(nip, code):
    with pytest.raises(NipError) as info:
        parse_nip(nip)
    assert info.value.code == code


def test_leap_day_birth_is_valid():
    assert parse_nip("200002292020011001").birth_date == dt.date(2000, 2, 29)


def test_appointment_exactly_18_years_after_birth_month_is_allowed():
    parse_nip("198503152003031002")
    with pytest.raises(NipError):
        parse_nip("198503152003021002")


def test_make_nip_round_trips():
    nip = make_nip(dt.date(1991, 7, 4), (2019, 3), "F", 17)
    assert nip == "199107042019032017"
    assert parse_nip(nip).sequence == 17


@pytest.mark.parametrize(
    ("parents", "node", "new_parent", "expected"),
    [
        ({1: None, 2: 1, 3: 2}, 1, 3, True),  # root under its grandchild
        ({1: None, 2: 1, 3: 2}, 2, 2, True),  # itself
        ({1: None, 2: 1, 3: 2}, 3, 1, False),  # move up
        ({1: None, 2: 1, 3: None}, 3, 2, False),
        ({1: None, 2: 1}, 2, None, False),  # becomes a root
        ({1: 2, 2: 1, 3: None}, 3, 1, True),  # an existing loop above is refused too
    ],
)
def test_creates_cycle(parents, node, new_parent, expected):
    assert creates_cycle(parents, node, new_parent) is expected


def test_subtree():
    children = {None: [1], 1: [2, 3], 2: [4], 3: [], 4: []}
    assert subtree(children, 1) == {1, 2, 3, 4}
    assert subtree(children, 2) == {2, 4}
    assert subtree(children, 4) == {4}


@pytest.mark.parametrize(
    ("zone", "ok"),
    [
        ("Asia/Jakarta", True),
        ("Asia/Pontianak", True),
        ("Asia/Makassar", True),
        ("Asia/Jayapura", True),
        ("Asia/Ujung_Pandang", True),
        ("WITA", False),
        ("Asia/Mamuju", False),
        ("", False),
        ("../etc/passwd", False),
    ],
)
def test_time_zones(zone, ok):
    assert is_valid_time_zone(zone) is ok
