"""Real JPEG selfies and pre-encoded multipart/form-data bodies for the load generator."""

from __future__ import annotations

import io
import random
import uuid
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

SELFIE_SIZE = (480, 640)  # width x height, a phone's portrait selfie after downscaling
SELFIE_TARGET_BYTES = 60_000


def make_selfie(
    seed: int, *, size: tuple[int, int] = SELFIE_SIZE, target_bytes: int = SELFIE_TARGET_BYTES
) -> bytes:
    """A JPEG of `size` that looks like a photo to an encoder (a face-ish shape, a
    gradient background and sensor-like noise) and weighs about `target_bytes`."""
    rng = random.Random(seed)
    width, height = size
    top = tuple(rng.randint(60, 200) for _ in range(3))
    bottom = tuple(rng.randint(20, 120) for _ in range(3))
    gradient = Image.linear_gradient("L").resize(size)
    img = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    draw = ImageDraw.Draw(img)
    skin = (rng.randint(170, 230), rng.randint(120, 170), rng.randint(90, 140))
    cx, cy = width // 2 + rng.randint(-30, 30), height // 2 + rng.randint(-40, 20)
    draw.ellipse((cx - 130, cy - 170, cx + 130, cy + 170), fill=skin)
    draw.rectangle((cx - 200, cy + 170, cx + 200, height), fill=top[::-1])
    for dx in (-50, 50):
        draw.ellipse((cx + dx - 18, cy - 40, cx + dx + 18, cy - 20), fill=(40, 30, 30))
    img = img.filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise(size, 40).convert("RGB")
    img = Image.blend(img, noise, 0.12)
    # the quality whose output is nearest to the target size (sizes grow with quality)
    low, high = 20, 98
    best: bytes = _jpeg(img, 75)
    while low <= high:
        quality = (low + high) // 2
        data = _jpeg(img, quality)
        if abs(len(data) - target_bytes) < abs(len(best) - target_bytes):
            best = data
        if len(data) < target_bytes:
            low = quality + 1
        else:
            high = quality - 1
    return best


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def make_selfies(count: int = 6, *, seed: int = 2026) -> list[bytes]:
    return [make_selfie(seed + i) for i in range(count)]


# --- multipart ----------------------------------------------------------------------


def _field(boundary: bytes, name: str, value: str) -> bytes:
    return (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
        + value.encode() + b"\r\n"
    )  # fmt: skip


def _file(boundary: bytes, name: str, filename: str, content_type: str, data: bytes) -> bytes:
    return (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="' + name.encode()
        + b'"; filename="' + filename.encode() + b'"\r\n'
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n"
        + data + b"\r\n"
    )  # fmt: skip


@dataclass(frozen=True)
class Multipart:
    """The fixed parts of check-in bodies, encoded once; `body()` only joins bytes.

    Layout: [employee fields][request_id field][selfie file part + closing boundary].
    """

    boundary: bytes
    selfie_parts: tuple[bytes, ...]

    @classmethod
    def build(cls, selfies: list[bytes], boundary: str | None = None) -> Multipart:
        bound = (boundary or f"sigapbench{uuid.uuid4().hex}").encode()
        parts = tuple(
            _file(bound, "selfie", "selfie.jpg", "image/jpeg", data)
            + b"--" + bound + b"--\r\n"
            for data in selfies
        )  # fmt: skip
        return cls(bound, parts)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary.decode()}"

    def employee_head(
        self,
        *,
        latitude: float,
        longitude: float,
        captured_at: str,
        kind: str = "in",
        accuracy_m: float = 10.0,
    ) -> bytes:
        b = self.boundary
        return b"".join(
            [
                _field(b, "kind", kind),
                _field(b, "latitude", f"{latitude:.7f}"),
                _field(b, "longitude", f"{longitude:.7f}"),
                _field(b, "accuracy_m", f"{accuracy_m:g}"),
                _field(b, "captured_at", captured_at),
            ]
        )

    def request_id_part(self, request_id: uuid.UUID) -> bytes:
        return _field(self.boundary, "request_id", str(request_id))

    def body(self, head: bytes, request_id: uuid.UUID, selfie_index: int) -> bytes:
        return b"".join(
            (
                head,
                self.request_id_part(request_id),
                self.selfie_parts[selfie_index % len(self.selfie_parts)],
            )
        )
