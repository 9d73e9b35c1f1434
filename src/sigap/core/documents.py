"""Uploaded documents (a doctor's note, an assignment letter, a lab's result sheet, work
evidence): proven by their content, never by their name or declared type.

A PDF (it starts with `%PDF-`, and ends with an `%%EOF` marker when `pdf_needs_eof`) is kept
as sent; a JPEG or PNG is decoded in full with Pillow (bounded: at most MAX_PIXELS, a
decompression bomb is refused) and re-encoded without its metadata (EXIF may hold where and
when the photo was taken), upright. Anything else is 422 with the caller's code; more than
`max_bytes` is 413. Stored under FOLDER/YYYY/MM/<random>.<ext>: the client's file name is
never used."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.functional import Promise
from PIL import Image, ImageOps

from sigap.core import clock
from sigap.core.exceptions import InvalidInput, PayloadTooLarge

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)


@dataclass(frozen=True)
class DocumentRules:
    """What one kind of document is called in its errors."""

    code: str  # the 422 code: "invalid_attachment", "invalid_document"
    invalid_message: str | Promise
    too_large_message: str | Promise
    field: str = ""  # names the field in the 422's detail when given
    max_bytes: int = MAX_BYTES
    pdf_needs_eof: bool = False


def document_checked(upload: Any, rules: DocumentRules) -> tuple[bytes, str]:
    """(bytes to keep, file extension) of an upload or of raw bytes."""
    data = upload if isinstance(upload, bytes) else _read_bounded(upload, rules)
    if len(data) > rules.max_bytes:
        raise PayloadTooLarge(rules.too_large_message)
    if data.startswith(b"%PDF-") and (not rules.pdf_needs_eof or b"%%EOF" in data[-2048:]):
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
        detail = {"fields": {rules.field: ["not a PDF, JPEG or PNG"]}} if rules.field else None
        raise InvalidInput(rules.invalid_message, code=rules.code, detail=detail) from exc


def document_save(content: tuple[bytes, str], *, folder: str) -> str:
    """Save checked content under FOLDER/YYYY/MM/ with a random name; the storage name."""
    data, extension = content
    name = f"{folder}/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    return default_storage.save(name, ContentFile(data))


def _read_bounded(upload: Any, rules: DocumentRules) -> bytes:
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > rules.max_bytes:
        raise PayloadTooLarge(rules.too_large_message)
    upload.seek(0)
    return upload.read(rules.max_bytes + 1)


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


def document_response(stored: Any, *, content_type: str, filename: str) -> FileResponse:
    """A stored document for its scope-checked viewer: private, never cached; a PDF as a
    download (a PDF may carry scripts or HTML, and a browser's inline viewer would run in
    SIGAP's origin), images inline. 404 when the file is gone (purged, lost)."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=content_type,
        filename=filename,
        as_attachment=filename.lower().endswith(".pdf"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
