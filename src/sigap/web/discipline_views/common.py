"""What the discipline pages share: refusals as pages (the back end's `DomainError`s and a
bad `?month=`), the month of the query string with its neighbours, the certificate link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from sigap.core import clock
from sigap.core.exceptions import Forbidden, InvalidInput, NotFound
from sigap.discipline import selectors

CERTIFICATE_URL = "web:reward_certificate"


def pages(view: Callable) -> Callable:
    """Forbidden -> 403, NotFound -> 404 (as the API says), a bad request -> a 400 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except BadRequest as exc:
            context = {"message": str(exc), "back": request.path}
            return render(request, "web/discipline/bad_request.html", context, status=400)

    return wrapper


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


@dataclass(frozen=True, slots=True)
class Month:
    """The month shown, and its neighbours as `?month=` values (no next after this month)."""

    year: int
    month: int
    current: tuple[int, int]

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def param(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def prev(self) -> str:
        year, month = _shift(self.year, self.month, -1)
        return f"{year:04d}-{month:02d}"

    @property
    def next(self) -> str | None:
        year, month = _shift(self.year, self.month, 1)
        return f"{year:04d}-{month:02d}" if (year, month) <= self.current else None


def month_of(request: HttpRequest, *, zone: str, default_last: bool = False) -> Month:
    """`?month=YYYY-MM` (default this month, or last month); a bad or future one is a 400."""
    today = clock.today(zone)
    raw = request.GET.get("month")
    try:
        year, month = selectors.parse_month(raw, zone=zone)
    except InvalidInput as exc:
        raise BadRequest(str(exc.message)) from exc
    if not raw and default_last:
        year, month = selectors.previous_month(year, month)
    return Month(year, month, (today.year, today.month))


def certificate_url(category: str, year: int, month: int) -> str | None:
    """The certificate of a ranking's winners, once that page exists (else no link)."""
    try:
        return reverse(CERTIFICATE_URL, kwargs={"category": category, "year": year, "month": month})
    except NoReverseMatch:
        return None


def svg_number(value: Decimal | float | int) -> str:
    """A number for an SVG attribute: a dot, never the language's comma or grouping."""
    return f"{max(Decimal(str(value)), Decimal(0)):.2f}"
