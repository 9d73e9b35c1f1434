"""Evidence uploads: an image or a PDF, checked by content, stored under a random name."""

from __future__ import annotations

from typing import Any

from sigap.attendance.requests.attachments import attachment_content, attachment_store
from sigap.core import clock
from sigap.org.models import Employee
from sigap.performance.models import Evidence

TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def evidence_upload(*, employee: Employee, upload: Any) -> Evidence:
    """422 `invalid_attachment` unless a real PDF/JPEG/PNG; 413 over 5 MB."""
    data, extension = attachment_content(upload)
    name = attachment_store((data, extension), folder="evidence")
    return Evidence.objects.create(
        employee=employee,
        file=name,
        content_type=TYPES[extension],
        size=len(data),
        uploaded_at=clock.now(),
    )
