"""Request attachments (a doctor's note, an assignment letter): proven by content.

A PDF (it starts with `%PDF-`) is kept as sent; a JPEG or PNG is decoded in full with
Pillow and re-encoded without its metadata (EXIF may hold where the photo was taken).
Anything else is 422 `invalid_attachment`; more than 5 MB is 413.
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from sigap.core import clock
from sigap.core.exceptions import InvalidInput, PayloadTooLarge

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)


def attachment_content(upload: Any) -> tuple[bytes, str]:
    """(bytes to keep, file extension) of an upload or of raw bytes."""
    data = upload if isinstance(upload, bytes) else _read_bounded(upload)
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(_("The attachment is larger than 5 MB."))
    if data.startswith(b"%PDF-"):
        return data, "pdf"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ("JPEG", "MPO", "PNG"):
                raise ValueError(f"format {image.format}")
            if image.width * image.height > MAX_PIXELS:
                raise ValueError("too many pixels")
            image.load()
            return _reencoded(_upright(image), image.format)
    except (*_DECODE_ERRORS, Image.DecompressionBombWarning) as exc:
        raise InvalidInput(
            _("The attachment must be a PDF file or a JPEG or PNG image."),
            code="invalid_attachment",
        ) from exc


def attachment_store(content: tuple[bytes, str], *, folder: str = "requests") -> str:
    """Save the checked content under FOLDER/YYYY/MM/ with a random name."""
    data, extension = content
    name = f"{folder}/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    return default_storage.save(name, ContentFile(data))


def _read_bounded(upload: Any) -> bytes:
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > MAX_BYTES:
        raise PayloadTooLarge(_("The attachment is larger than 5 MB."))
    upload.seek(0)
    return upload.read(MAX_BYTES + 1)


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; garbled EXIF (Pillow raises nearly anything on it)
    leaves the image as stored: orientation is cosmetic, never a reason to refuse."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        return image


def _reencoded(image: Image.Image, source_format: str) -> tuple[bytes, str]:
    out = io.BytesIO()
    if source_format == "PNG":
        image.save(out, "PNG")
        return out.getvalue(), "png"
    image.convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue(), "jpg"
