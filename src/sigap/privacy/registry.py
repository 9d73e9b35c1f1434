"""What each app holds of a person, registered by the app (in its AppConfig.ready) so this
low layer can purge, export and list it without importing upward.

- retention rules: `register_retention(RetentionRule(...))`; the purge (sigap.privacy.purge)
  runs each for an agency, dry or for real, and logs the counts;
- subject export sections: `register_subject_section(name, exporter)`; the ZIP of a
  person's own data (sigap.privacy.subject_export) has one JSON (+ CSV) per section and the
  files the sections name;
- breach categories: `register_breach_category(BreachCategory(...))`; the breach listing
  (sigap.privacy.breach) asks each which employees had such data held in a time window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from sigap.org.models import Agency, Employee
from sigap.privacy.rules import RetentionSettings


@dataclass(frozen=True)
class PurgeCount:
    rows: int = 0
    files: int = 0

    def __add__(self, other: PurgeCount) -> PurgeCount:
        return PurgeCount(self.rows + other.rows, self.files + other.files)


@dataclass(frozen=True)
class RetentionRule:
    """`run(agency, today, settings, dry_run)` counts (dry) or deletes (and counts) what
    is due under the rule in `agency`; it must delete nothing that is not due."""

    key: str  # "selfies", "refused_attempts", ...
    label: Any  # lazy text for the report
    run: Callable[[Agency, dt.date, RetentionSettings, bool], PurgeCount]


@dataclass
class SubjectSection:
    """A person's rows of one kind (plain JSON values) and the files that go with them
    (name inside the ZIP -> a callable opening the stored file for reading)."""

    rows: list[dict[str, Any]]
    files: dict[str, Callable[[], IO[bytes]]] = field(default_factory=dict)


@dataclass(frozen=True)
class BreachCategory:
    """`affected(agency, start, end)` -> the ids of employees whose data of this category
    was held (stored and not yet deleted) at some time between start and end."""

    key: str
    label: Any
    affected: Callable[[Agency, dt.datetime, dt.datetime], set[int]]


_retention: dict[str, RetentionRule] = {}
_sections: dict[str, Callable[[Employee], SubjectSection]] = {}
_breach: dict[str, BreachCategory] = {}


def register_retention(rule: RetentionRule) -> None:
    _retention[rule.key] = rule


def retention_rules() -> Iterator[RetentionRule]:
    return iter([_retention[k] for k in sorted(_retention)])


def register_subject_section(name: str, exporter: Callable[[Employee], SubjectSection]) -> None:
    _sections[name] = exporter


def subject_sections() -> Iterator[tuple[str, Callable[[Employee], SubjectSection]]]:
    return iter(sorted(_sections.items()))


def register_breach_category(category: BreachCategory) -> None:
    _breach[category.key] = category


def breach_categories() -> dict[str, BreachCategory]:
    return dict(sorted(_breach.items()))
