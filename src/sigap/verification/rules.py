"""Verification decisions: the face outcome, the risk score and its reasons, impossible
travel, repeated GPS fixes, shared coordinates, device clock skew and the office QR code.
Pure: plain values in, values out (no Django, no clock).

Decisions:
- Face: no usable face (none, several, too small) is not a match; with no active
  reference the outcome is `no_reference`; otherwise the smallest distance to the
  references decides: below or at the agency's threshold (default 0.6) `matched`, above
  it `mismatch`.
- Risk score: the sum of the weights of the reasons found (a valid office QR code
  lowers it), clamped to 0..100. Each of a face mismatch, a reused or shared selfie, a
  fake-GPS flag, impossible travel, coordinates or a device shared with a colleague
  reaches the default threshold on its own; weaker signs need company. At or above the
  agency's review threshold (default 50) the check-in goes to review. Every reason is
  kept with its detail, so the score is explainable.
- Impossible travel: more than 200 km/h between two consecutive events of one person
  (events closer than 1 km never count: GPS noise); repeated fix: the same latitude,
  longitude (to the last digit) and accuracy as one of the person's earlier events, which
  a real receiver practically never reports twice; shared coordinates: the same point to
  6 decimals reported by another employee the same day; clock skew: the device's capture
  time more than 2 minutes away from the server's receipt (larger skews are refused at
  check-in).
- The QR code is an HMAC-SHA256 of the office secret and the 30-second time step,
  10 base-32 characters; the current and the previous step are accepted (a code scanned
  just before it changed).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field

from sigap.core.geo import Point, distance_m

RULE_VERSION = "verification-1"
QR_STEP_SECONDS = 30
QR_LENGTH = 10
MAX_SPEED_KMH = 200.0
MIN_TRAVEL_M = 1000.0
SKEW_FLAG_SECONDS = 120
NEAR_DUPLICATE_BITS = 10

WEIGHTS: dict[str, int] = {
    "face_mismatch": 70,
    "no_face": 50,
    "several_faces": 40,
    "face_too_small": 35,
    "selfie_unreadable": 30,
    "selfie_reused": 60,
    "selfie_shared": 60,
    "mock_location": 50,
    "impossible_travel": 50,
    "repeated_fix": 35,
    "shared_coordinates": 50,
    "clock_skew": 15,
    "shared_device": 50,
    "new_device": 20,
    "device_mismatch": 60,
    "qr_invalid": 40,
    "qr_missing": 25,
    "absent_at_inspection": 80,
    "qr_verified": -30,
}


@dataclass(frozen=True, slots=True)
class Settings:
    face_threshold: float = 0.6
    min_face_px: int = 80
    review_threshold: int = 50
    new_device: str = "approval"  # "approval" (HR approves it first) or "flag"
    require_qr_for_wfo: bool = False
    reuse_days: int = 30


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "weight": WEIGHTS.get(self.code, 0), **self.detail}


def face_outcome(problem: str | None, best: float | None, *, threshold: float) -> str:
    """matched / mismatch / no_reference / no_face / several_faces / face_too_small."""
    if problem is not None:
        return problem
    if best is None:
        return "no_reference"
    return "matched" if best <= threshold else "mismatch"


def face_reasons(outcome: str, best: float | None, threshold: float) -> list[Reason]:
    if outcome == "mismatch":
        return [Reason("face_mismatch", {"distance": round(best or 0, 3), "threshold": threshold})]
    if outcome in ("no_face", "several_faces", "face_too_small"):
        return [Reason(outcome)]
    if outcome == "unreadable":
        return [Reason("selfie_unreadable")]
    return []


def api_verification(outcome: str) -> str:
    """API.md's enum: pending / matched / mismatch / no_reference (an unusable selfie is
    not a match: mismatch, with the reason in `risk.reasons`)."""
    if outcome in ("matched", "no_reference", "pending"):
        return outcome
    return "mismatch"


def risk_score(reasons: Iterable[Reason]) -> int:
    total = sum(WEIGHTS.get(r.code, 0) for r in reasons)
    return max(0, min(100, total))


def needs_review(score: int, settings: Settings) -> bool:
    return score >= settings.review_threshold


# --- location ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fix:
    latitude: float
    longitude: float
    accuracy_m: float
    at: dt.datetime


def speed_kmh(a: Fix, b: Fix) -> float | None:
    """The speed needed between two fixes (None when they are at the same instant)."""
    metres = distance_m(Point(a.latitude, a.longitude), Point(b.latitude, b.longitude))
    seconds = abs((b.at - a.at).total_seconds())
    if seconds == 0:
        return None if metres < MIN_TRAVEL_M else float("inf")
    return metres / seconds * 3.6


def impossible_travel(previous: Fix | None, current: Fix) -> Reason | None:
    if previous is None:
        return None
    metres = distance_m(
        Point(previous.latitude, previous.longitude), Point(current.latitude, current.longitude)
    )
    if metres < MIN_TRAVEL_M:
        return None
    speed = speed_kmh(previous, current)
    if speed is None or speed <= MAX_SPEED_KMH:
        return None
    shown = 99999 if speed == float("inf") else round(speed)
    return Reason("impossible_travel", {"km_h": shown, "km": round(metres / 1000, 1)})


def repeated_fix(earlier: Iterable[Fix], current: Fix) -> Reason | None:
    """The exact same coordinates and accuracy as an earlier event of the same person."""
    for fix in earlier:
        same = (fix.latitude, fix.longitude, fix.accuracy_m) == (
            current.latitude,
            current.longitude,
            current.accuracy_m,
        )
        if same and fix.at != current.at:
            return Reason("repeated_fix", {"first_seen": fix.at.isoformat()})
    return None


def point_key(latitude: float, longitude: float) -> tuple[float, float]:
    return round(latitude, 6), round(longitude, 6)


def shared_coordinates(others: int, *, same_accuracy: bool = False) -> Reason | None:
    """`others`: how many other employees reported the same 6-decimal point that day.
    Two people of a big office may land on the same 11-cm cell by chance; three, or two
    with the same accuracy too (what a fake-GPS app's fixed point looks like), do not."""
    if others >= 2 or (others == 1 and same_accuracy):
        return Reason("shared_coordinates", {"employees": others + 1})
    return None


def clock_skew(captured_at: dt.datetime, recorded_at: dt.datetime) -> Reason | None:
    seconds = abs((recorded_at - captured_at).total_seconds())
    return (
        Reason("clock_skew", {"seconds": round(seconds)}) if seconds > SKEW_FLAG_SECONDS else None
    )


def near_duplicates(value: int, others: Iterable[tuple[int, int]]) -> list[int]:
    """The ids whose hash is within NEAR_DUPLICATE_BITS of `value`, from (id, hash)."""
    mask = (1 << 64) - 1
    return [
        key for key, other in others if ((value ^ other) & mask).bit_count() <= NEAR_DUPLICATE_BITS
    ]


# --- the office QR code ---------------------------------------------------------------


def qr_step(at: dt.datetime) -> int:
    return int(at.timestamp()) // QR_STEP_SECONDS


def qr_code(secret: str, office_id: int, step: int) -> str:
    message = f"{office_id}:{step}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:QR_LENGTH]


def qr_token(secret: str, office_id: int, at: dt.datetime) -> str:
    """What the kiosk shows at `at`: `<office id>.<code>` (the office is part of it)."""
    return f"{office_id}.{qr_code(secret, office_id, qr_step(at))}"


QR_OFFICE_DIGITS = 18


def qr_office(token: str) -> int | None:
    """The office a token names, or None when it is not `<digits>.<10 ASCII letters or
    digits>` (only ASCII digits: "²" or "١٢" are digits to str.isdigit, not to int)."""
    head, _sep, code = (token or "").strip().partition(".")
    if not (head.isascii() and head.isdigit() and len(head) <= QR_OFFICE_DIGITS):
        return None
    if len(code) != QR_LENGTH or not (code.isascii() and code.isalnum()):
        return None
    return int(head)


def qr_valid(token: str, secret: str, office_id: int, at: dt.datetime) -> bool:
    """The current or the previous step's code of this office (constant-time compare)."""
    if qr_office(token) != office_id:
        return False
    code = token.strip().partition(".")[2].upper().encode()
    step = qr_step(at)
    return any(
        hmac.compare_digest(code, qr_code(secret, office_id, s).encode()) for s in (step, step - 1)
    )


def qr_seconds_left(at: dt.datetime) -> int:
    return QR_STEP_SECONDS - int(at.timestamp()) % QR_STEP_SECONDS
