"""Selfie uploads: prove the bytes are a real JPEG or PNG photo and make them safe to keep.

Pure functions over bytes (no settings, no storage, no clock). The type is decided by
decoding, never by file name or content type. Sizes are checked from the header before
any pixel is decoded (decompression bombs), the whole image is then decoded (truncated
files are refused), orientation is applied and a fresh JPEG is encoded with no metadata
at all: no EXIF, ICC, XMP or comment, and none of the bytes that followed the image.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import struct
import warnings
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile

from sigap.core.exceptions import InvalidInput, PayloadTooLarge

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096  # input width/height limit
MIN_SIDE = 64
MAX_PIXELS = MAX_SIDE * MAX_SIDE
OUTPUT_MAX_SIDE = 1024  # stored JPEG bounded to this on its longer side
OUTPUT_QUALITY = 80
EXIF_DEVICE_MAX_CHARS = 100

ACCEPTED_FORMATS = ("JPEG", "PNG")
# A JPEG with a Multi-Picture index (many phones write one) opens as "MPO"; it is a JPEG.
_FORMAT_ALIASES = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}

_READ_BLOCK = 64 * 1024

# What Pillow raises on corrupt, truncated or hostile input (its plugins also leak
# struct/index/type errors on malformed headers).
_DECODE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)

# Garbled EXIF makes Pillow's lazy parser raise nearly anything (struct, index, type,
# unicode, zero-division on rationals...). What is read from EXIF is informational
# (capture time, device, orientation), so a failure there yields None / "" / upright
# as stored, never a refusal and never a server error.
_EXIF_ERRORS: tuple[type[BaseException], ...] = (Exception,)

_TAG_EXIF_IFD = 0x8769
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_DATETIME = 0x0132
_TAG_MAKE = 0x010F
_TAG_MODEL = 0x0110
_TAG_ORIENTATION = 0x0112

# EXIF orientation -> the transposition that makes the pixels upright (ImageOps' table).
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class InvalidImage(InvalidInput):
    code = "invalid_image"
    default_message = _("The selfie is not a valid JPEG or PNG photo.")


@dataclass(frozen=True, slots=True)
class ProcessedSelfie:
    content: bytes  # the re-encoded JPEG (no EXIF, no ICC/XMP, RGB, orientation applied)
    width: int
    height: int
    source_format: str  # "JPEG" or "PNG" (what the decoder found)
    source_bytes: int
    sha256: str  # hex of `content`
    exif_captured_at: dt.datetime | None  # naive, from EXIF DateTimeOriginal (or DateTime)
    exif_device: str  # "Make Model" from EXIF, at most 100 characters, "" if absent


# --- reading the upload -------------------------------------------------------------


def read_upload(upload: Any, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The upload's bytes, never more than `max_bytes` (+1 to notice the excess).

    `.size` is checked first, then the bytes are counted while reading, so a client
    (or a wrapper) that reports a small size cannot push a large body through.
    """
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(max_bytes)
    _rewind(upload)
    reader = getattr(upload, "read", None)
    data = (
        _read_bounded(reader, max_bytes) if callable(reader) else _chunks_bounded(upload, max_bytes)
    )
    if not data:
        raise InvalidImage(_("The selfie is empty."))
    return data


def _rewind(upload: Any) -> None:
    seek = getattr(upload, "seek", None)
    if not callable(seek):
        return
    with contextlib.suppress(OSError, ValueError):  # io.UnsupportedOperation: not seekable
        seek(0)


def _read_bounded(read: Any, max_bytes: int) -> bytes:
    limit = max_bytes + 1
    parts: list[bytes] = []
    total = 0
    while total < limit:
        block = read(min(_READ_BLOCK, limit - total))
        if not block:
            break
        block = bytes(block[: limit - total])  # a reader may hand back more than asked
        parts.append(block)
        total += len(block)
    if total > max_bytes:
        raise _too_large(max_bytes)
    return b"".join(parts)


def _chunks_bounded(upload: Any, max_bytes: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(max_bytes)
        parts.append(bytes(chunk))
    return b"".join(parts)


def _too_large(max_bytes: int) -> PayloadTooLarge:
    megabytes = f"{max_bytes / (1024 * 1024):g}"
    return PayloadTooLarge(
        _("The selfie is larger than %(mb)s MB.") % {"mb": megabytes},
        detail={"max_bytes": max_bytes},
    )


# --- processing ---------------------------------------------------------------------


def process_selfie(data: bytes) -> ProcessedSelfie:
    """Decode `data` as a JPEG or PNG photo and re-encode it as a clean, bounded JPEG.

    Raises InvalidImage (422) for anything else, PayloadTooLarge past MAX_BYTES.
    """
    if not data:
        raise InvalidImage(_("The selfie is empty."))
    if len(data) > MAX_BYTES:
        raise _too_large(MAX_BYTES)
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # A global some library may flip; with it set, a truncated file would pass.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    with warnings.catch_warnings():
        # Pillow's own remarks on hostile metadata ("Corrupt EXIF data"...) would let any
        # client fill the logs, and under `-W error` turn a readable photo into a 500.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        img, source_format = _open_checked(data)
        with img:
            _decode(img)
            captured_at, device = _exif_facts(img)
            clean = _normalised(img)
    content = _encode_jpeg(clean)
    return ProcessedSelfie(
        content=content,
        width=clean.width,
        height=clean.height,
        source_format=source_format,
        source_bytes=len(data),
        sha256=hashlib.sha256(content).hexdigest(),
        exif_captured_at=captured_at,
        exif_device=device,
    )


def _open_checked(data: bytes) -> tuple[ImageFile.ImageFile, str]:
    """Open (header only) with the JPEG and PNG decoders alone; check format and size."""
    try:
        img = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except _DECODE_ERRORS as exc:
        raise InvalidImage(_("The selfie must be a JPEG or PNG photo.")) from exc
    source_format = _FORMAT_ALIASES.get(img.format or "")
    if source_format is None:
        img.close()
        raise InvalidImage(_("The selfie must be a JPEG or PNG photo."))
    width, height = img.size
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        img.close()
        raise InvalidImage(
            _("The selfie is too large: at most %(max)d x %(max)d pixels.") % {"max": MAX_SIDE},
            detail={"width": width, "height": height, "max_side": MAX_SIDE},
        )
    if width < MIN_SIDE or height < MIN_SIDE:
        img.close()
        raise InvalidImage(
            _("The selfie is too small: at least %(min)d x %(min)d pixels.") % {"min": MIN_SIDE},
            detail={"width": width, "height": height, "min_side": MIN_SIDE},
        )
    return img, source_format


def _decode(img: ImageFile.ImageFile) -> None:
    """Decode every pixel; a truncated or corrupt file is refused here."""
    if img.format in ("JPEG", "MPO"):
        # Let libjpeg scale down while decoding (by 1/2, 1/4 or 1/8, never below the
        # output size) when the output is smaller anyway: a 12 MP photo decodes about
        # twice as fast. All the data is still read, so truncation is still noticed.
        img.draft(None, (OUTPUT_MAX_SIDE, OUTPUT_MAX_SIDE))
    try:
        img.load()
    except _DECODE_ERRORS as exc:
        raise InvalidImage(_("The selfie is damaged or incomplete.")) from exc


def _normalised(img: Image.Image) -> Image.Image:
    """Upright, RGB (transparency on white), at most OUTPUT_MAX_SIDE, no metadata."""
    try:
        upright = _upright(img)
        rgb = _to_rgb(upright)
        rgb.thumbnail((OUTPUT_MAX_SIDE, OUTPUT_MAX_SIDE), Image.Resampling.LANCZOS)
    except _DECODE_ERRORS as exc:
        raise InvalidImage(_("The selfie cannot be processed.")) from exc
    rgb.info = {}  # nothing of the upload's metadata (comment, xmp, icc...) is carried over
    return rgb


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, as ImageOps.exif_transpose does.

    exif_transpose also re-serialises the EXIF it keeps, and that raises on garbled
    EXIF; the metadata is dropped here anyway, so only the pixels are transposed.
    """
    try:
        orientation = img.getexif().get(_TAG_ORIENTATION, 1)
    except _EXIF_ERRORS:
        orientation = 1
    method = _ORIENTATION_TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    return img.transpose(method) if method is not None else img


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit greyscale PNG: scale to 8 bits (a plain convert would clip to white).
        img = img.convert("I").point(lambda value: value * (1 / 256), "L")
    if img.has_transparency_data:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        return white.convert("RGB")
    return img.convert("RGB")


def _encode_jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(
        out,
        format="JPEG",
        quality=OUTPUT_QUALITY,
        optimize=False,
        exif=b"",
        icc_profile=None,
        comment=b"",
    )
    return out.getvalue()


# --- EXIF (informational only: garbled metadata never refuses a selfie) ------------


def _exif_facts(img: Image.Image) -> tuple[dt.datetime | None, str]:
    try:
        exif = img.getexif()
    except _EXIF_ERRORS:
        return None, ""
    return _exif_captured_at(exif), _exif_device(exif)


def _exif_captured_at(exif: Image.Exif) -> dt.datetime | None:
    try:
        original = exif.get_ifd(_TAG_EXIF_IFD).get(_TAG_DATETIME_ORIGINAL)
    except _EXIF_ERRORS:
        original = None
    parsed = _parse_exif_datetime(original)
    if parsed is not None:
        return parsed
    try:
        return _parse_exif_datetime(exif.get(_TAG_DATETIME))
    except _EXIF_ERRORS:
        return None


def _parse_exif_datetime(value: object) -> dt.datetime | None:
    """EXIF's "YYYY:MM:DD HH:MM:SS" (often NUL-padded); None when absent or garbled."""
    text = _exif_text(value)
    if len(text) < 19:
        return None
    try:
        parsed = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    # Out-of-range years are a broken camera clock, and would overflow once made aware.
    return parsed if 1900 <= parsed.year <= 2999 else None


def _exif_device(exif: Image.Exif) -> str:
    try:
        parts = [_exif_text(exif.get(_TAG_MAKE)), _exif_text(exif.get(_TAG_MODEL))]
    except _EXIF_ERRORS:
        return ""
    return " ".join(part for part in parts if part)[:EXIF_DEVICE_MAX_CHARS].strip()


def _exif_text(value: object) -> str:
    """A printable, stripped string from an EXIF ASCII value ("" for anything else)."""
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if not isinstance(value, str):
        return ""
    printable = "".join(ch if ch.isprintable() else " " for ch in value)
    return " ".join(printable.split())
