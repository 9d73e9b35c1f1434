"""Real selfies for the bench, made from the fixture portraits (two people)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from sigap.attendance.bench.payload import make_selfie
from sigap.verification import face
from sigap.verification.bench.results import BenchError, Progress

PEOPLE = ("astronaut", "grace_hopper")
NO_FACE_EVERY, OTHER_FACE_EVERY = 25, 50
FRAMES = ((480, 640), (480, 640), (480, 854), (720, 960), (540, 960))  # phone selfies


@dataclass(frozen=True)
class Selfie:
    person: str | None  # whose face it shows (None: no face)
    data: bytes


@dataclass(frozen=True)
class Portrait:
    image: Image.Image
    box: tuple[int, int, int, int]  # the face: left, top, right, bottom
    template: tuple[float, ...]


def load_portraits(directory: Path | None = None) -> dict[str, Portrait]:
    """The fixture portraits with their face box and template (computed once)."""
    directory = directory or Path(settings.BASE_DIR) / "tests" / "fixtures" / "faces"
    found = {}
    for name in PEOPLE:
        try:
            with Image.open(directory / f"{name}.jpg") as opened:
                image = opened.convert("RGB")
        except OSError as exc:
            raise BenchError(f"the fixture portrait {name}.jpg: {exc}") from exc
        analysed = face.analyse(image)
        if analysed.embedding is None:
            raise BenchError(f"the fixture portrait {name}.jpg: {analysed.problem}")
        found[name] = Portrait(image, face_box(image), analysed.embedding)
    return found


def face_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The strongest detection, to frame the variants around the face."""
    run = face.engine()
    with run.lock:
        boxes, scores, _kinds = run.detector.run(np.asarray(image), 0, 0.0)
    best = max(zip(scores, boxes, strict=True), key=lambda pair: pair[0])[1]
    return best.left(), best.top(), best.right(), best.bottom()


def make_selfies(
    portraits: dict[str, Portrait],
    count: int,
    *,
    seed: int,
    progress: Progress | None = None,
    step: str = "selfies",
) -> list[Selfie]:
    rng = random.Random(seed)
    made = []
    for n in range(count):
        if n % NO_FACE_EVERY == NO_FACE_EVERY - 1:
            made.append(Selfie(None, make_selfie(seed * 100_000 + n)))  # a scene, no face
        else:
            person = PEOPLE[n % len(PEOPLE)]
            made.append(Selfie(person, _variant(rng, portraits[person])))
        if progress and ((n + 1) % 25 == 0 or n + 1 == count):
            progress(step, n + 1, count)
    return made


def claimed(n: int, selfie: Selfie) -> str:
    """Whose check-in the n-th selfie comes with: its own person's, one in 50 someone
    else's (a mismatch)."""
    own = selfie.person or PEOPLE[n % len(PEOPLE)]
    if n % OTHER_FACE_EVERY == OTHER_FACE_EVERY // 2:
        return next(p for p in PEOPLE if p != own)
    return own


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _variant(rng: random.Random, portrait: Portrait) -> bytes:
    """The portrait's face at a random size, place and tilt in front of a random scene."""
    image, (left, top, right, bottom) = portrait.image, portrait.box
    if rng.random() < 0.5:
        image = ImageOps.mirror(image)
        left, right = image.width - right, image.width - left
    width, height = rng.choice(FRAMES)
    face_w = rng.uniform(max(100.0, 0.2 * width), 0.4 * width)
    scale = face_w / (right - left)
    fx, fy = rng.uniform(0.25, 0.75) * width, rng.uniform(0.25, 0.5) * height  # face centre
    x0, y0 = (left + right) / 2 - fx / scale, (top + bottom) / 2 - fy / scale
    box = (
        round(max(0.0, x0)),
        round(max(0.0, y0)),
        round(min(image.width, x0 + width / scale)),
        round(min(image.height, y0 + height / scale)),
    )
    size = (max(1, round((box[2] - box[0]) * scale)), max(1, round((box[3] - box[1]) * scale)))
    part = image.crop(box).resize(size, Image.Resampling.BILINEAR)
    person = Image.new("RGB", (width, height))
    at = (round((box[0] - x0) * scale), round((box[1] - y0) * scale))
    person.paste(ImageEnhance.Brightness(part).enhance(rng.uniform(0.75, 1.25)), at)
    cutout = _cutout(rng, (width, height), fx, fy, face_w)
    frame = Image.composite(person, _scene(rng, (width, height)), cutout)
    frame = frame.rotate(
        rng.uniform(-10, 10),
        Image.Resampling.BILINEAR,
        center=(fx, fy),
        fillcolor=tuple(rng.randrange(256) for _ in range(3)),
    )
    return jpeg(frame, rng.randint(55, 92))


def _scene(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A smooth random background with a few blocks and blobs (rooms differ)."""
    rows, cols = rng.randint(2, 5), rng.randint(2, 5)
    values = [rng.randrange(256) for _ in range(rows * cols * 3)]
    cells = np.array(values, dtype=np.uint8).reshape(rows, cols, 3)
    scene = Image.fromarray(cells).resize(size, Image.Resampling.BICUBIC)
    draw, (width, height) = ImageDraw.Draw(scene), size
    for _ in range(rng.randint(3, 6)):
        x, y = rng.uniform(-0.2, 0.9) * width, rng.uniform(-0.2, 0.9) * height
        shape = (x, y, x + rng.uniform(0.15, 0.6) * width, y + rng.uniform(0.15, 0.6) * height)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(shape, fill=colour)
    return scene


def _cutout(
    rng: random.Random, size: tuple[int, int], fx: float, fy: float, face_w: float
) -> Image.Image:
    """A soft head-and-shoulders mask (the person in front of the scene), drawn small."""
    q = 4
    mask = Image.new("L", (size[0] // q, size[1] // q), 0)
    draw = ImageDraw.Draw(mask)
    x, y, w = fx / q, fy / q, face_w / q
    half = rng.uniform(0.75, 1.1) * w
    draw.ellipse((x - half, y - 1.3 * w, x + half, y + 1.0 * w), fill=255)
    draw.rectangle((x - 1.6 * w, y + 0.9 * w, x + 1.6 * w, mask.height), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BILINEAR)
