"""API schemas of the organisation (explicit fields: this is personal data)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=128)
    device_name: str = Field(default="", max_length=128)


class UnitRef(Schema):
    id: int
    name: str


class EmployeeRef(Schema):
    nip: str
    name: str
    unit: UnitRef


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime
    employee: EmployeeRef | None


class PositionOut(Schema):
    name: str
    kind: str
    public_service: bool
