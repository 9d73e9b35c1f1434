"""API schemas of discipline (an extension of API.md: TPP statements, alerts, rewards)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ninja import Schema
from pydantic import Field

from sigap.discipline import rules
from sigap.discipline.messages import level_label, sanction_label
from sigap.discipline.models import DisciplineAlert, TppStatement
from sigap.discipline.rewards import Rankings


class TppEmployeeRef(Schema):
    id: int
    nip: str
    name: str
    unit: str
    position: str | None = None


class TableRef(Schema):
    version_id: int | None
    name: str
    effective_from: dt.date | None


class LineOut(Schema):
    date: dt.date
    code: str
    rate: float
    minutes: int
    reason: str


class StatementOut(Schema):
    employee: TppEmployeeRef
    month: str
    status: str = Field(description="open (provisional, recomputed) or frozen (month locked)")
    table: TableRef
    lines: list[LineOut]
    counts: dict[str, int]
    summary: str
    lines_pct: float
    deduction_pct: float
    discipline_share: float
    discipline_pct: float
    performance_part_pct: float
    performance_pct: float
    final_pct: float
    computed_at: dt.datetime
    frozen_at: dt.datetime | None


class AcknowledgeIn(Schema):
    note: str = Field(max_length=4000)


class AlertOut(Schema):
    id: int
    employee: TppEmployeeRef
    year: int
    threshold: int
    consecutive: bool
    level: str
    level_label: str
    sanction: str
    sanction_label: str
    unexcused_days: int
    reached_on: dt.date
    examiner: str | None
    raised_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    note: str
    escalated_at: dt.datetime | None


class RankedEmployeeOut(Schema):
    rank: int
    score: float
    nip: str
    name: str
    unit: str


class RankedUnitOut(Schema):
    rank: int
    score: float
    id: int
    code: str
    name: str


class RewardsOut(Schema):
    month: str
    employees: dict[str, list[RankedEmployeeOut]]
    units: dict[str, list[RankedUnitOut]]


def employee_ref(employee) -> dict:
    return {
        "id": employee.pk,
        "nip": employee.nip,
        "name": employee.name,
        "unit": employee.unit.name,
        "position": employee.position.name if employee.position_id else None,
    }


def statement_out(statement: TppStatement) -> dict:
    version = statement.table_version
    table = rules.TppTable.from_dict(statement.table)
    return {
        "employee": employee_ref(statement.employee),
        "month": f"{statement.year:04d}-{statement.month:02d}",
        "status": "frozen" if statement.frozen_at else "open",
        "table": {
            "version_id": version.pk if version else None,
            "name": version.name if version else "default",
            "effective_from": version.effective_from if version else None,
        },
        "lines": statement.lines,
        "counts": statement.counts,
        "summary": rules.summary(statement.counts),
        "lines_pct": statement.lines_pct,
        "deduction_pct": statement.deduction_pct,
        "discipline_share": table.discipline_share,
        "discipline_pct": statement.discipline_pct,
        "performance_part_pct": statement.performance_part_pct,
        "performance_pct": statement.performance_pct,
        "final_pct": statement.final_pct,
        "computed_at": statement.computed_at,
        "frozen_at": statement.frozen_at,
    }


def alert_out(alert: DisciplineAlert) -> dict:
    return {
        "id": alert.pk,
        "employee": employee_ref(alert.employee),
        "year": alert.year,
        "threshold": alert.threshold,
        "consecutive": alert.consecutive,
        "level": alert.level,
        "level_label": level_label(alert.level),
        "sanction": alert.sanction,
        "sanction_label": sanction_label(alert.sanction),
        "unexcused_days": alert.unexcused_days,
        "reached_on": alert.reached_on,
        "examiner": alert.supervisor.name if alert.supervisor_id else None,
        "raised_at": alert.raised_at,
        "acknowledged_by": alert.acknowledged_by.name if alert.acknowledged_by_id else None,
        "acknowledged_at": alert.acknowledged_at,
        "note": alert.note,
        "escalated_at": alert.escalated_at,
    }


def rewards_out(found: Rankings, *, nips: Mapping[int, str]) -> dict:
    """`nips`: employee id -> the NIP as the caller may see it (`rewards.ranked_nips`)."""
    return {
        "month": f"{found.year:04d}-{found.month:02d}",
        "employees": {
            category: [
                {
                    "rank": e.rank,
                    "score": e.score,
                    "nip": nips[e.employee_id],
                    "name": e.name,
                    "unit": e.unit_name,
                }
                for e in entries
            ]
            for category, entries in found.employees.items()
        },
        "units": {
            category: [
                {"rank": u.rank, "score": u.score, "id": u.unit_id, "code": u.code, "name": u.name}
                for u in entries
            ]
            for category, entries in found.units.items()
        },
    }
