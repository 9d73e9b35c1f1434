"""The verification rules, pure (no database, no clock): the face outcome and its reasons,
the API's verification enum, the risk score, impossible travel, repeated fixes, shared
coordinates, clock skew, near-duplicate selfies, the office QR code, and the perceptual
hash's bit distance."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sigap.core.geo import Point, distance_m
from sigap.verification import phash, rules
from sigap.verification.rules import Fix, Reason

WITA = ZoneInfo("Asia/Makassar")
T0 = dt.datetime(2026, 11, 23, 7, 20, tzinfo=WITA)
W = rules.WEIGHTS
SECRET = "rahasia-kantor-" + "x" * 40

# --- the face -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "best", "threshold", "expected"),
    [
        (None, None, 0.6, "no_reference"),
        (None, 0.0, 0.6, "matched"),
        (None, 0.35, 0.6, "matched"),
        (None, 0.6, 0.6, "matched"),  # at the threshold: still the same person
        (None, 0.6000001, 0.6, "mismatch"),
        (None, 0.72, 0.6, "mismatch"),
        (None, 0.55, 0.5, "mismatch"),  # the agency's stricter threshold
        (None, 0.65, 0.7, "matched"),
        ("no_face", None, 0.6, "no_face"),
        ("several_faces", 0.1, 0.6, "several_faces"),  # a problem wins over a distance
        ("face_too_small", None, 0.6, "face_too_small"),
    ],
)
def test_face_outcome(problem, best, threshold, expected):
    assert rules.face_outcome(problem, best, threshold=threshold) == expected


@pytest.mark.parametrize(
    ("outcome", "codes"),
    [
        ("matched", []),
        ("no_reference", []),
        ("no_selfie", []),
        ("no_face", ["no_face"]),
        ("several_faces", ["several_faces"]),
        ("face_too_small", ["face_too_small"]),
        ("unreadable", ["selfie_unreadable"]),
        ("mismatch", ["face_mismatch"]),
    ],
)
def test_face_reasons(outcome, codes):
    assert [r.code for r in rules.face_reasons(outcome, 0.71234, 0.6)] == codes


def test_a_mismatch_keeps_its_distance_and_threshold():
    (reason,) = rules.face_reasons("mismatch", 0.71234, 0.6)
    assert reason.as_dict() == {
        "code": "face_mismatch",
        "weight": W["face_mismatch"],
        "distance": 0.712,
        "threshold": 0.6,
    }


@pytest.mark.parametrize(
    ("outcome", "api"),
    [
        ("pending", "pending"),
        ("matched", "matched"),
        ("no_reference", "no_reference"),
        ("mismatch", "mismatch"),
        ("no_face", "mismatch"),
        ("several_faces", "mismatch"),
        ("face_too_small", "mismatch"),
        ("unreadable", "mismatch"),
        ("no_selfie", "mismatch"),
    ],
)
def test_api_verification_is_api_md_enum(outcome, api):
    assert rules.api_verification(outcome) == api
    assert api in {"pending", "matched", "mismatch", "no_reference"}


# --- the risk score --------------------------------------------------------------------


def reasons(*codes: str) -> list[Reason]:
    return [Reason(code) for code in codes]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ((), 0),
        (("clock_skew",), W["clock_skew"]),
        (("face_mismatch",), W["face_mismatch"]),
        (("clock_skew", "new_device"), W["clock_skew"] + W["new_device"]),
        (("face_mismatch", "selfie_reused", "mock_location"), 100),  # clamped at 100
        (("face_mismatch", "qr_verified"), W["face_mismatch"] + W["qr_verified"]),
        (("clock_skew", "qr_verified"), 0),  # the QR bonus never goes below 0
        (("qr_verified",), 0),
        (("no_such_code",), 0),  # an unknown code weighs nothing
    ],
)
def test_risk_score_is_the_clamped_sum(codes, expected):
    assert rules.risk_score(reasons(*codes)) == expected


def test_a_valid_qr_code_lowers_the_risk():
    assert W["qr_verified"] < 0
    with_code = rules.risk_score(reasons("face_mismatch", "qr_verified"))
    assert with_code < rules.risk_score(reasons("face_mismatch"))


@pytest.mark.parametrize("codes", [(c,) for c in rules.WEIGHTS] + [tuple(rules.WEIGHTS)])
def test_risk_score_stays_within_0_and_100(codes):
    assert 0 <= rules.risk_score(reasons(*codes)) <= 100


@pytest.mark.parametrize(
    ("score", "threshold", "review"),
    [(0, 50, False), (49, 50, False), (50, 50, True), (100, 50, True), (30, 30, True)],
)
def test_needs_review_at_or_above_the_threshold(score, threshold, review):
    assert rules.needs_review(score, rules.Settings(review_threshold=threshold)) is review


def test_reason_as_dict_carries_weight_and_detail():
    assert Reason("shared_coordinates", {"employees": 3}).as_dict() == {
        "code": "shared_coordinates",
        "weight": W["shared_coordinates"],
        "employees": 3,
    }


# --- location --------------------------------------------------------------------------

LAT, LON = -2.68, 118.89


def fix(lat=LAT, lon=LON, *, at=T0, accuracy=10.0) -> Fix:
    return Fix(lat, lon, accuracy, at)


def north(km: float) -> float:
    """The latitude `km` north of LAT (one degree of latitude is about 111.2 km)."""
    return LAT + km / 111.195


def test_no_previous_event_is_no_travel():
    assert rules.impossible_travel(None, fix()) is None


def test_three_hundred_km_in_ten_minutes_is_impossible():
    found = rules.impossible_travel(fix(), fix(north(300), at=T0 + dt.timedelta(minutes=10)))
    assert found is not None
    assert found.code == "impossible_travel"
    assert found.detail["km"] == pytest.approx(300, abs=1)
    assert found.detail["km_h"] == pytest.approx(1800, abs=10)


@pytest.mark.parametrize(
    ("factor", "flagged"), [(1.01, False), (1.0001, False), (0.9999, True), (0.99, True)]
)
def test_the_200_km_h_boundary(factor, flagged):
    """At 200 km/h (a whisker under) the trip is possible; a whisker faster it is not."""
    a, b = fix(), fix(north(100))
    metres = distance_m(Point(a.latitude, a.longitude), Point(b.latitude, b.longitude))
    seconds = metres / (rules.MAX_SPEED_KMH / 3.6) * factor
    b = fix(north(100), at=T0 + dt.timedelta(seconds=seconds))
    assert rules.speed_kmh(a, b) == pytest.approx(rules.MAX_SPEED_KMH / factor, rel=1e-6)
    assert (rules.impossible_travel(a, b) is not None) is flagged


def test_moves_under_a_kilometre_never_count():
    """GPS noise: 900 m in one second would be 3,240 km/h, but it is not travel."""
    jump = fix(north(0.9), at=T0 + dt.timedelta(seconds=1))
    assert rules.impossible_travel(fix(), jump) is None


def test_the_same_instant():
    assert rules.speed_kmh(fix(), fix(north(0.5))) is None
    assert rules.impossible_travel(fix(), fix(north(0.5))) is None
    far = rules.impossible_travel(fix(), fix(north(5)))
    assert far is not None
    assert far.detail["km_h"] == 99999  # infinite speed, shown as a number
    assert far.detail["km"] == pytest.approx(5, abs=0.1)


def test_the_order_of_the_two_fixes_does_not_matter():
    later = fix(north(300), at=T0 + dt.timedelta(minutes=10))
    assert rules.speed_kmh(fix(), later) == pytest.approx(rules.speed_kmh(later, fix()))


def test_repeated_fix_is_the_same_point_and_accuracy_again():
    yesterday = fix(at=T0 - dt.timedelta(days=1), accuracy=7.3)
    found = rules.repeated_fix([yesterday], fix(accuracy=7.3))
    assert found is not None
    assert found.code == "repeated_fix"
    assert found.detail == {"first_seen": yesterday.at.isoformat()}


@pytest.mark.parametrize(
    "earlier",
    [
        [],
        [fix(accuracy=7.4, at=T0 - dt.timedelta(days=1))],  # another accuracy
        [fix(LAT + 1e-7, accuracy=7.3, at=T0 - dt.timedelta(days=1))],  # the last digit
        [fix(lon=LON - 1e-7, accuracy=7.3, at=T0 - dt.timedelta(days=1))],
        [fix(accuracy=7.3)],  # the same event (same instant) is not a repeat
    ],
)
def test_not_a_repeated_fix(earlier):
    assert rules.repeated_fix(earlier, fix(accuracy=7.3)) is None


def test_point_key_is_six_decimals():
    assert rules.point_key(-2.6800004, 118.8900004) == (-2.68, 118.89)
    assert rules.point_key(-2.6800004, 118.8900004) == rules.point_key(-2.6799996, 118.8899996)
    assert rules.point_key(-2.680001, 118.89) != rules.point_key(-2.68, 118.89)


@pytest.mark.parametrize(
    ("others", "same_accuracy", "employees"),
    [(0, True, None), (1, False, None), (1, True, 2), (2, False, 3), (5, False, 6)],
)
def test_shared_coordinates(others, same_accuracy, employees):
    found = rules.shared_coordinates(others, same_accuracy=same_accuracy)
    if employees is None:
        assert found is None
    else:
        assert found == Reason("shared_coordinates", {"employees": employees})


@pytest.mark.parametrize(
    ("seconds", "flagged"),
    [(0, False), (119, False), (120, False), (121, True), (-121, True), (-120, False), (300, True)],
)
def test_clock_skew_boundary(seconds, flagged):
    """The device's capture time more than 2 minutes from the receipt, either way."""
    captured = T0 - dt.timedelta(seconds=seconds)
    found = rules.clock_skew(captured, T0)
    assert (found is not None) is flagged
    if found is not None:
        assert found.detail == {"seconds": abs(seconds)}


# --- near-duplicate selfies and the hash distance -------------------------------------


def bits(n: int) -> int:
    """A hash with its n lowest bits set."""
    return (1 << n) - 1


def signed(value: int) -> int:
    """An unsigned 64-bit value as the signed integer the database stores."""
    return value - (1 << 64) if value >= 1 << 63 else value


def test_near_duplicates_boundary_is_ten_bits():
    others = [(1, bits(rules.NEAR_DUPLICATE_BITS)), (2, bits(11)), (3, 0), (4, -1)]
    assert rules.near_duplicates(0, others) == [1, 3]


def test_near_duplicates_with_signed_hashes():
    top = signed(1 << 63)  # only the sign bit set
    assert rules.near_duplicates(-1, [(7, -1 ^ 0b111), (8, 0), (9, top)]) == [7]
    assert rules.near_duplicates(top, [(5, 0), (6, top | 0b1)]) == [5, 6]


def test_near_duplicates_of_nothing():
    assert rules.near_duplicates(123, []) == []


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        (0, 0, 0),
        (0, 1, 1),
        (0, bits(10), 10),
        (0, -1, 64),  # all 64 bits (signed -1)
        (-1, -1, 0),
        (signed(1 << 63), 0, 1),
        (0x0F0F, 0x00FF, 8),
    ],
)
def test_bits_apart(a, b, apart):
    assert phash.bits_apart(a, b) == apart
    assert phash.bits_apart(b, a) == apart


def test_phash_near_matches_the_rules_threshold():
    assert phash.NEAR == rules.NEAR_DUPLICATE_BITS


# --- the office QR code ----------------------------------------------------------------

# a moment at the start of a 30-second step, so that "one step later" is exact
STEP_START = dt.datetime.fromtimestamp(
    (int(T0.timestamp()) // rules.QR_STEP_SECONDS) * rules.QR_STEP_SECONDS, tz=WITA
)
STEP = dt.timedelta(seconds=rules.QR_STEP_SECONDS)


def test_a_token_names_its_office_and_has_a_ten_character_code():
    token = rules.qr_token(SECRET, 17, STEP_START)
    head, _, code = token.partition(".")
    assert head == "17"
    assert len(code) == rules.QR_LENGTH
    assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")  # base 32
    assert rules.qr_office(token) == 17


def test_the_code_changes_every_step_and_is_stable_within_one():
    first = rules.qr_token(SECRET, 17, STEP_START)
    assert rules.qr_token(SECRET, 17, STEP_START + STEP - dt.timedelta(seconds=1)) == first
    assert rules.qr_token(SECRET, 17, STEP_START + STEP) != first


@pytest.mark.parametrize(
    ("shown_at", "checked_at", "valid"),
    [
        (STEP_START, STEP_START, True),  # the current step
        (STEP_START, STEP_START + dt.timedelta(seconds=29), True),
        (STEP_START, STEP_START + STEP, True),  # the previous step: scanned just before
        (STEP_START, STEP_START + 2 * STEP - dt.timedelta(seconds=1), True),
        (STEP_START, STEP_START + 2 * STEP, False),  # two steps old: expired
        (STEP_START, STEP_START + dt.timedelta(hours=1), False),
        (STEP_START + STEP, STEP_START, False),  # a code from the future
    ],
)
def test_qr_valid_accepts_the_current_and_previous_step(shown_at, checked_at, valid):
    token = rules.qr_token(SECRET, 17, shown_at)
    assert rules.qr_valid(token, SECRET, 17, checked_at) is valid


def test_another_office_code_is_invalid():
    theirs = rules.qr_token(SECRET, 18, STEP_START)
    assert rules.qr_valid(theirs, SECRET, 17, STEP_START) is False
    # the right office number with the other office's code
    relabelled = "17." + theirs.partition(".")[2]
    assert rules.qr_valid(relabelled, SECRET, 17, STEP_START) is False


def test_a_forged_code_is_invalid():
    forged = rules.qr_token("another secret", 17, STEP_START)
    assert rules.qr_valid(forged, SECRET, 17, STEP_START) is False
    token = rules.qr_token(SECRET, 17, STEP_START)
    last = token[-1]
    tampered = token[:-1] + ("A" if last != "A" else "B")
    assert rules.qr_valid(tampered, SECRET, 17, STEP_START) is False


def test_case_and_spaces_around_a_scanned_token_are_tolerated():
    token = rules.qr_token(SECRET, 17, STEP_START)
    assert rules.qr_valid(f"  {token.lower()}\n", SECRET, 17, STEP_START) is True


@pytest.mark.parametrize(
    "token",
    [
        "",
        None,
        "kode-palsu",
        "17",
        "17.",
        ".ABCDEFGHIJ",
        "x7.ABCDEFGHIJ",
        "-1.ABCDEFGHIJ",
        "1.7.ABCDEFGH",
        "17.ABCDEFGHI",  # nine characters
        "17.ABCDEFGHIJK",  # eleven
        "17.ABCDE-GHIJ",
        "17.ÀBCDEFGHIJ",  # not ASCII (hmac.compare_digest refuses such strings)
        "².ABCDEFGHIJ",  # a digit to str.isdigit, not to int()
        "١٧.ABCDEFGHIJ",  # Arabic-Indic digits
        "1" * 19 + ".ABCDEFGHIJ",  # no office id is that long
    ],
)
def test_malformed_tokens_name_no_office_and_are_invalid(token):
    assert rules.qr_office(token) is None
    assert rules.qr_valid(token, SECRET, 17, STEP_START) is False


def test_qr_seconds_left():
    assert rules.qr_seconds_left(STEP_START) == rules.QR_STEP_SECONDS
    assert rules.qr_seconds_left(STEP_START + dt.timedelta(seconds=29)) == 1
