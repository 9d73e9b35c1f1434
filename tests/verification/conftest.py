"""What the verification tests share: the public-domain portraits (tests/fixtures/faces,
see its README) as images and JPEG bytes, and a private media directory."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

FACES = Path(__file__).resolve().parent.parent / "fixtures" / "faces"
ASTRONAUT = "astronaut.jpg"  # Eileen Collins, face about 88 px wide on 512 x 512
HOPPER = "grace_hopper.jpg"  # Grace Hopper, face about 216 px wide on 512 x 600


@cache
def _portrait(name: str) -> Image.Image:
    with Image.open(FACES / name) as image:
        return image.convert("RGB")


def portrait(name: str) -> Image.Image:
    """A fresh RGB copy of a fixture portrait (callers may change it)."""
    return _portrait(name).copy()


def jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def reencoded(image: Image.Image, quality: int) -> Image.Image:
    """The image after a trip through JPEG at `quality`."""
    with Image.open(io.BytesIO(jpeg(image, quality))) as decoded:
        return decoded.convert("RGB")


def blank(width: int = 480, height: int = 640, colour=(200, 180, 160)) -> Image.Image:
    return Image.new("RGB", (width, height), colour)


def smiley(width: int = 480, height: int = 640) -> Image.Image:
    """A "cartoon": a yellow smiley drawn with PIL (no real face)."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 170, 390, 470), fill="yellow", outline="black", width=5)
    draw.ellipse((170, 250, 200, 290), fill="black")
    draw.ellipse((280, 250, 310, 290), fill="black")
    draw.arc((160, 280, 320, 420), 20, 160, fill="black", width=6)
    return image


def side_by_side() -> Image.Image:
    """Both portraits on one canvas, each face well above the minimum size."""
    left = portrait(ASTRONAUT)  # face ~88 px
    right = portrait(HOPPER).resize((256, 300))  # face ~108 px
    canvas = Image.new("RGB", (left.width + right.width, max(left.height, right.height)), "white")
    canvas.paste(left, (0, 0))
    canvas.paste(right, (left.width, 0))
    return canvas


def tiny_face(name: str = HOPPER, face_px: int = 216, target_px: int = 40) -> Image.Image:
    """The portrait shrunk so its face is about `target_px` wide, on a grey 640 x 480."""
    image = portrait(name)
    factor = target_px / face_px
    small = image.resize((round(image.width * factor), round(image.height * factor)))
    canvas = Image.new("RGB", (640, 480), (128, 128, 128))
    canvas.paste(small, (200, 150))
    return canvas


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
