"""Test documents (a lab's result sheet): a PDF, JPEG or PNG proven by its content, at
most 5 MB, stored privately under health/YYYY/MM/<random> and served only by a
scope-checked view. A PDF must start with `%PDF-` and carry an `%%EOF` marker; an image
is decoded in full with Pillow and re-encoded without its metadata (EXIF may hold where
and when the photo was taken)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from sigap.core.documents import (
    DocumentRules,
    document_checked,
    document_save,
)
from sigap.core.documents import (
    document_response as stored_document_response,
)
from sigap.health.models import HealthTest

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
RULES = DocumentRules(
    code="invalid_document",
    invalid_message=_("The document must be a PDF file or a JPEG or PNG image."),
    too_large_message=_("The document is larger than 5 MB."),
    field="document",
    pdf_needs_eof=True,
)


def document_content(upload: Any) -> tuple[bytes, str]:
    """(bytes to keep, extension): 413 `payload_too_large` over 5 MB, 422
    `invalid_document` for anything but a real PDF, JPEG or PNG."""
    return document_checked(upload, RULES)


def document_store(data: bytes, extension: str) -> str:
    return document_save((data, extension), folder="health")


def document_delete(name: str) -> bool:
    """Delete a stored document; True if a file was there."""
    if not name or not default_storage.exists(name):
        return False
    default_storage.delete(name)
    return True


def document_response(test: HealthTest) -> FileResponse:
    """The stored document as a private download (404 when the file is gone)."""
    extension = str(test.document.name).rsplit(".", 1)[-1]
    return stored_document_response(
        test.document, content_type=test.document_type, filename=f"tes-{test.pk}.{extension}"
    )
