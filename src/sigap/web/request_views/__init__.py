"""Request pages (/pengajuan/): an employee's requests, the CT balance and the form; the
approver's queue with bulk approval; HR's agency-wide list and the month lock panel.

Every write goes through sigap.attendance.requests.services; visibility through its
selectors (scope_for). The form's show/hide per type is requests.js (no inline script).
"""

from sigap.web.request_views.hr import month_close, month_reopen, requests_hr
from sigap.web.request_views.mine import (
    request_attachment,
    request_cancel,
    request_detail,
    request_new,
    requests_page,
)
from sigap.web.request_views.queue import request_bulk_approve, request_decide, request_queue

__all__ = [
    "month_close",
    "month_reopen",
    "request_attachment",
    "request_bulk_approve",
    "request_cancel",
    "request_decide",
    "request_detail",
    "request_new",
    "request_queue",
    "requests_hr",
    "requests_page",
]
