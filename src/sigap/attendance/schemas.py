"""API schemas of attendance (API.md)."""

from __future__ import annotations

from ninja import Schema

from sigap.org.schemas import PersonRef, PositionOut, UnitRef


class MeOut(Schema):
    nip: str
    name: str
    unit: UnitRef
    position: PositionOut | None
    supervisor: PersonRef | None
    roles: list[str]
    today: dict | None
