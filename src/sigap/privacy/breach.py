"""Breach readiness (UU 27/2022 art. 46: notify within 3 x 24 hours): who is affected when
data of some categories, held in a time window, may have leaked. Each app registers its
categories (`register_breach_category` in its `privacy.py`); a category answers which
employees of an agency had such data stored at some time in the window. The listing gives
each affected employee's NIP, name, unit, email and phone: the notice list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sigap.core.exceptions import InvalidInput
from sigap.org.models import Agency, Employee
from sigap.privacy.registry import breach_categories

BATCH = 1000
Progress = Callable[[int, int], None]  # (employees listed, employees affected)


@dataclass(frozen=True, slots=True)
class BreachRow:
    employee_id: int
    nip: str
    name: str
    unit: str
    email: str
    phone: str
    categories: tuple[str, ...]


def breach_category_keys(raw: str) -> list[str]:
    """`selfie,location` -> the keys, each registered (InvalidInput names the unknown)."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    known = breach_categories()
    unknown = [key for key in keys if key not in known]
    if not keys or unknown:
        raise InvalidInput(
            _("Unknown data category: %(names)s. Known: %(known)s.")
            % {"names": ", ".join(unknown) or "-", "known": ", ".join(known)},
            detail={"unknown": unknown, "known": list(known)},
        )
    return keys


def breach_affected(
    *, agency: Agency, start: dt.datetime, end: dt.datetime, categories: list[str]
) -> dict[int, tuple[str, ...]]:
    """employee id -> the categories (of those asked) whose data of theirs was held in the
    window from start to end."""
    if end < start:
        raise InvalidInput(_("The window ends before it starts."))
    known = breach_categories()
    found: dict[int, list[str]] = {}
    for key in categories:
        for employee_id in known[key].affected(agency, start, end):
            found.setdefault(employee_id, []).append(key)
    return {employee_id: tuple(keys) for employee_id, keys in found.items()}


def breach_rows(
    *, agency: Agency, affected: dict[int, tuple[str, ...]], progress: Progress | None = None
) -> Iterator[BreachRow]:
    """The notice list, by unit and name, read 1,000 employees at a time."""
    ids = sorted(affected)
    people = Employee.objects.filter(agency=agency, pk__in=ids).select_related("unit")
    order = list(people.order_by("unit__name", "name", "pk").values_list("pk", flat=True))
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]
        by_id = {e.pk: e for e in people.filter(pk__in=chunk)}
        for pk in chunk:
            e = by_id[pk]
            unit = e.unit.name if e.unit_id else ""
            yield BreachRow(pk, e.nip, e.name, unit, e.email, e.phone, affected[pk])
        if progress is not None:
            progress(start + len(chunk), len(order))
