"""Access-log endpoints (DOMAIN.md section 10).

`GET /privacy/access-log?subject=<nip or name>&viewer=&category=&from=&to=&page=` -> the
agency's log for its HR admins and inspectors (403 for anyone else, 404 for a NIP that is
nobody's in the agency, 422 for an unknown category or a range that ends before it starts),
newest first, 50 a page, with the viewer's address.
`GET /me/access-log?category=&from=&to=&page=` -> who viewed the caller's own data (no
addresses: those are for HR and inspectors).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field

from sigap.core.exceptions import NotFound
from sigap.org.selectors import employee_for_user, scope_for
from sigap.privacy.access import (
    AccessFilter,
    access_log_of_subject,
    access_log_search,
    viewer_of,
)
from sigap.privacy.models import AccessLog

PAGE_SIZE = 50

router = Router(tags=["privacy"])


class MyAccessQuery(Schema):
    category: str = Field(default="", max_length=10)
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    page: int = Field(default=1, ge=1, le=100_000)


class AccessQuery(MyAccessQuery):
    subject: str = Field(default="", max_length=100)
    viewer: str = Field(default="", max_length=100)


class ViewerOut(Schema):
    name: str
    roles: list[str]
    unit: str
    position: str


class StaffViewerOut(ViewerOut):
    nip: str
    username: str


class SubjectOut(Schema):
    nip: str
    name: str
    unit: str


class MyEntryOut(Schema):
    at: dt.datetime
    category: str
    channel: str
    what: str
    viewer: ViewerOut


class EntryOut(MyEntryOut):
    id: int
    subject: SubjectOut
    viewer: StaffViewerOut
    path: str
    ip: str | None


class MyAccessLogOut(Schema):
    count: int
    page: int
    pages: int
    entries: list[MyEntryOut]


class AccessLogOut(Schema):
    count: int
    page: int
    pages: int
    entries: list[EntryOut]


def entry_out(entry: AccessLog, *, staff: bool) -> dict:
    viewer = viewer_of(entry)
    body: dict[str, Any] = {
        "at": entry.at,
        "category": entry.category,
        "channel": entry.channel,
        "what": entry.what,
        "viewer": {
            "name": viewer.name,
            "roles": list(viewer.roles),
            "unit": viewer.unit,
            "position": viewer.position,
        },
    }
    if staff:
        body["viewer"]["nip"] = viewer.nip
        body["viewer"]["username"] = entry.actor.get_username() if entry.actor else ""
        subject = entry.subject
        body |= {
            "id": entry.pk,
            "subject": {"nip": subject.nip, "name": subject.name, "unit": subject.unit.name},
            "path": entry.path,
            "ip": entry.ip,
        }
    return body


def _page(found, number: int, *, staff: bool) -> dict:
    page = Paginator(found, PAGE_SIZE).get_page(number)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "entries": [entry_out(e, staff=staff) for e in page.object_list],
    }


@router.get("/privacy/access-log", response=AccessLogOut)
def access_log(request: HttpRequest, q: Query[AccessQuery]):
    filters = AccessFilter(
        subject=q.subject, viewer=q.viewer, category=q.category, start=q.from_, end=q.to
    )
    found = access_log_search(scope=scope_for(request.user), filters=filters)
    return _page(found, q.page, staff=True)


@router.get("/me/access-log", response=MyAccessLogOut)
def my_access_log(request: HttpRequest, q: Query[MyAccessQuery]):
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("This account is not an employee."), code="not_an_employee")
    found = access_log_of_subject(employee=employee, category=q.category, start=q.from_, end=q.to)
    return _page(found, q.page, staff=False)
