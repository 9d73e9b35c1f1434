"""Request attachments (a doctor's note, an assignment letter) and work evidence: a PDF,
JPEG or PNG proven by its content (sigap.core.documents); anything else is 422
`invalid_attachment`, more than 5 MB is 413."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sigap.core.documents import DocumentRules, document_checked, document_save

RULES = DocumentRules(
    code="invalid_attachment",
    invalid_message=_("The attachment must be a PDF file or a JPEG or PNG image."),
    too_large_message=_("The attachment is larger than 5 MB."),
)


def attachment_content(upload: Any) -> tuple[bytes, str]:
    """(bytes to keep, file extension) of an upload or of raw bytes."""
    return document_checked(upload, RULES)


def attachment_store(content: tuple[bytes, str], *, folder: str = "requests") -> str:
    """Save the checked content under FOLDER/YYYY/MM/ with a random name."""
    return document_save(content, folder=folder)
