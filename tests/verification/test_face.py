"""Face detection and matching with the real dlib models (no mocks), on the public-domain
portraits of tests/fixtures/faces: one person across crops, rescales, rotations, JPEG
re-encodings, a mirror and a photo of a photo; two people apart; no face, several faces,
a tiny face, a badge that is not a face; and the perceptual hash of copies.

Each analysis takes 0.1-0.2 s, so every image is analysed once per module (`analysed`)."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from pathlib import Path

import dlib
import numpy as np
import pytest
from PIL import Image, ImageFilter, ImageOps

from sigap.verification import face, phash, rules
from tests.verification.conftest import (
    ASTRONAUT,
    HOPPER,
    blank,
    portrait,
    reencoded,
    side_by_side,
    smiley,
    tiny_face,
)

THRESHOLD = face.DEFAULT_THRESHOLD  # 0.6
LOW_MIN = 40  # a lower minimum face size, for variants that shrink the astronaut's face


def scaled(image: Image.Image, factor: float) -> Image.Image:
    return image.resize((round(image.width * factor), round(image.height * factor)))


def crop(left: float, top: float, right: float, bottom: float):
    def _crop(image: Image.Image) -> Image.Image:
        w, h = image.size
        return image.crop((round(w * left), round(h * top), round(w * right), round(h * bottom)))

    return _crop


def rotated(angle: float):
    return lambda image: image.rotate(angle, resample=Image.Resampling.BICUBIC)


def photo_of_photo(image: Image.Image) -> Image.Image:
    """The portrait held up in a grey frame and photographed again, slightly blurred."""
    frame = Image.new("RGB", (image.width + 200, image.height + 200), (128, 128, 128))
    frame.paste(image, (100, 100))
    return frame.filter(ImageFilter.GaussianBlur(1.0))


VARIANTS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "crop-centre": crop(0.1, 0.05, 0.9, 0.85),
    "crop-top-left": crop(0.0, 0.0, 0.8, 0.8),
    "crop-bottom-right": crop(0.2, 0.1, 1.0, 1.0),
    "scale-0.7": lambda image: scaled(image, 0.7),
    "scale-1.5": lambda image: scaled(image, 1.5),
    "rotate+8": rotated(8),
    "rotate-8": rotated(-8),
    "jpeg-30": lambda image: reencoded(image, 30),
    "jpeg-50": lambda image: reencoded(image, 50),
    "jpeg-70": lambda image: reencoded(image, 70),
    "jpeg-90": lambda image: reencoded(image, 90),
    "mirrored": ImageOps.mirror,
    "photo-of-photo": photo_of_photo,
}


@pytest.fixture(scope="module")
def analysed() -> Callable[..., face.FaceResult]:
    """analysed(key, make_image, min_face_px=80): each image analysed once per module."""
    found: dict[tuple[str, int], face.FaceResult] = {}

    def _analysed(
        key: str, make: Callable[[], Image.Image], min_face_px: int = face.DEFAULT_MIN_FACE_PX
    ) -> face.FaceResult:
        if (key, min_face_px) not in found:
            found[(key, min_face_px)] = face.analyse(make(), min_face_px=min_face_px)
        return found[(key, min_face_px)]

    return _analysed


@pytest.fixture(scope="module")
def reference(analysed) -> Callable[[str], tuple[float, ...]]:
    def _reference(name: str) -> tuple[float, ...]:
        result = analysed(name, lambda: portrait(name))
        assert result.ok, result
        assert result.embedding is not None
        return result.embedding

    return _reference


# --- the models ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [face.SHAPE_MODEL, face.EMBEDDING_MODEL])
def test_model_files_come_from_the_installed_package(name):
    path = Path(face.model_path(name))
    expected = importlib.resources.files(face.MODEL_PACKAGE) / "models" / name
    assert path == Path(str(expected))
    assert path.is_file()
    assert path.stat().st_size > 1_000_000  # the real weights, not a pointer file


def test_a_missing_model_file_is_an_error():
    with pytest.raises(FileNotFoundError, match="no_such_model.dat"):
        face.model_path("no_such_model.dat")


# --- the portraits themselves -----------------------------------------------------------


@pytest.mark.parametrize(("name", "width"), [(ASTRONAUT, 88), (HOPPER, 216)])
def test_each_portrait_has_exactly_one_face(analysed, name, width):
    result = analysed(name, lambda: portrait(name))
    assert result.ok
    assert result.faces == 1
    assert result.size_px == pytest.approx(width, abs=8)
    assert result.embedding is not None
    assert len(result.embedding) == 128


def test_the_same_image_is_distance_zero(reference):
    assert face.distance(reference(HOPPER), reference(HOPPER)) == 0.0


def test_two_people_are_over_the_threshold(reference):
    apart = face.distance(reference(ASTRONAUT), reference(HOPPER))
    assert apart > THRESHOLD
    assert rules.face_outcome(None, apart, threshold=THRESHOLD) == "mismatch"


def test_best_distance_takes_the_nearest_reference(reference):
    references = [reference(ASTRONAUT), reference(HOPPER)]
    assert face.best_distance(reference(HOPPER), references) == 0.0
    assert face.best_distance(reference(HOPPER), []) is None


# --- one person, many pictures ----------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", [ASTRONAUT, HOPPER])
def test_the_same_person_matches_across_variants(analysed, reference, name, variant):
    result = analysed(f"{name}:{variant}", lambda: VARIANTS[variant](portrait(name)), LOW_MIN)
    assert result.ok, result
    assert result.faces == 1
    near = face.distance(result.embedding, reference(name))
    assert near <= THRESHOLD, f"{variant}: {near:.3f}"
    other = HOPPER if name == ASTRONAUT else ASTRONAUT
    assert face.distance(result.embedding, reference(other)) > THRESHOLD


def test_a_downscaled_portrait_still_matches(analysed, reference):
    result = analysed("hopper:0.7", lambda: scaled(portrait(HOPPER), 0.7))
    assert result.ok
    assert result.size_px == pytest.approx(0.7 * 216, abs=10)
    assert face.distance(result.embedding, reference(HOPPER)) <= THRESHOLD


def test_a_grey_photo_still_matches(analysed, reference):
    result = analysed("hopper:grey", lambda: portrait(HOPPER).convert("L").convert("RGB"))
    assert result.ok
    assert face.distance(result.embedding, reference(HOPPER)) <= THRESHOLD


def test_the_astronaut_shrunk_below_the_minimum_is_too_small_by_default(analysed):
    result = analysed("astronaut:0.7", lambda: scaled(portrait(ASTRONAUT), 0.7))
    assert result.problem == face.TOO_SMALL
    assert result.size_px < face.DEFAULT_MIN_FACE_PX


def test_a_face_big_on_the_original_but_small_once_scaled_is_found(analysed, reference):
    """A 1600 px photo is analysed at 800 px: its 100 px face becomes 50 px there, under
    the detector's 80 px window. It is still found (a second, upsampled pass) and its size
    is measured on the original."""

    def large_photo() -> Image.Image:
        face_px = 100
        small = scaled(portrait(HOPPER), face_px / 216)
        canvas = Image.new("RGB", (1600, 1200), (128, 128, 128))
        canvas.paste(small, (700, 500))
        return canvas

    result = analysed("hopper:large-canvas", large_photo)
    assert result.ok, result
    assert result.size_px >= face.DEFAULT_MIN_FACE_PX
    assert face.distance(result.embedding, reference(HOPPER)) <= THRESHOLD


# --- no face, several faces, a tiny face, a badge ---------------------------------------


@pytest.mark.parametrize(("key", "make"), [("blank", blank), ("smiley", smiley)])
def test_no_face(analysed, key, make):
    result = analysed(key, make)
    assert result.problem == face.NO_FACE
    assert not result.ok
    assert result.embedding is None
    assert result.faces == 0


def test_two_portraits_side_by_side_are_several_faces(analysed):
    result = analysed("side-by-side", side_by_side)
    assert result.problem == face.SEVERAL_FACES
    assert result.faces == 2
    assert result.embedding is None


@pytest.mark.parametrize(("name", "width"), [(HOPPER, 216), (ASTRONAUT, 88)])
def test_a_tiny_face_is_too_small(analysed, name, width):
    """A face about 40 px wide is found (upsampled) and refused as too small, as the face
    module documents; its measured width is kept."""
    result = analysed(f"{name}:tiny", lambda: tiny_face(name, width, 40))
    assert result.problem == face.TOO_SMALL
    assert 30 <= result.size_px <= 50
    assert result.embedding is None


def test_the_minimum_face_size_is_the_agency_s(analysed):
    result = analysed("hopper:tiny", lambda: tiny_face(HOPPER, 216, 40), 30)
    assert result.ok
    assert 30 <= result.size_px < face.DEFAULT_MIN_FACE_PX


@pytest.mark.parametrize(
    ("factor", "angle", "quality"),
    [(1.0, 0, None), (0.8, 0, None), (1.15, 8, None), (1.2, 8, None), (1.35, 8, 30)],
)
def test_the_mission_patch_is_not_a_face(analysed, reference, factor, angle, quality):
    """The astronaut's mission patch looks like a face to the HOG detector (it scores up to
    0.75 at these scales and angles): exactly one face is found, and it is hers."""

    def variant() -> Image.Image:
        image = rotated(angle)(scaled(portrait(ASTRONAUT), factor))
        return reencoded(image, quality) if quality else image

    result = analysed(f"patch:{factor}:{angle}:{quality}", variant, LOW_MIN)
    assert result.ok, result
    assert result.faces == 1
    assert face.distance(result.embedding, reference(ASTRONAUT)) <= THRESHOLD


def test_skin_share_tells_a_face_from_a_badge():
    box = dlib.rectangle(0, 0, 99, 99)
    skin = np.full((100, 100, 3), (224, 172, 140), dtype=np.uint8)
    dark_skin = np.full((100, 100, 3), (120, 80, 60), dtype=np.uint8)
    blue = np.full((100, 100, 3), (30, 60, 160), dtype=np.uint8)
    assert face.skin_share(skin, box) == 1.0
    assert face.skin_share(dark_skin, box) == 1.0
    assert face.skin_share(blue, box) == 0.0
    outside = dlib.rectangle(200, 200, 260, 260)
    assert face.skin_share(skin, outside) == 0.0


# --- the perceptual hash ----------------------------------------------------------------

COPIES: dict[str, Callable[[Image.Image], Image.Image]] = {
    "jpeg-30": lambda image: reencoded(image, 30),
    "jpeg-90": lambda image: reencoded(image, 90),
    "half-size": lambda image: scaled(image, 0.5),
    "double-size": lambda image: scaled(image, 2.0),
    "phone-size-jpeg-60": lambda image: reencoded(scaled(image, 1.6), 60),
    "small-crop": crop(0.02, 0.02, 0.98, 0.98),
}


@pytest.mark.parametrize("copy", list(COPIES))
@pytest.mark.parametrize("name", [ASTRONAUT, HOPPER])
def test_copies_of_a_selfie_are_near_duplicates(name, copy):
    original = phash.phash(portrait(name))
    again = phash.phash(COPIES[copy](portrait(name)))
    assert phash.bits_apart(original, again) <= rules.NEAR_DUPLICATE_BITS
    assert rules.near_duplicates(original, [(1, again)]) == [1]


def test_the_two_portraits_are_far_apart_by_hash():
    a, b = phash.phash(portrait(ASTRONAUT)), phash.phash(portrait(HOPPER))
    assert phash.bits_apart(a, b) > 2 * rules.NEAR_DUPLICATE_BITS
    assert rules.near_duplicates(a, [(1, b)]) == []


def test_the_hash_fits_a_signed_bigint():
    for name in (ASTRONAUT, HOPPER):
        value = phash.phash(portrait(name))
        assert -(1 << 63) <= value < (1 << 63)
