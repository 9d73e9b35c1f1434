"""Employee import from XLSX or CSV: validate every row first, import all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from sigap.core.exceptions import InvalidInput
from sigap.org import rules
from sigap.org.models import Agency, Employee, EmploymentType, Position, Unit, nip_error_message
from sigap.org.selectors import org_changed

HEADER_ALIASES = {
    "nip": "nip",
    "name": "name",
    "nama": "name",
    "unit_code": "unit_code",
    "kode_unit": "unit_code",
    "unit": "unit_code",
    "position": "position",
    "jabatan": "position",
    "supervisor_nip": "supervisor_nip",
    "nip_atasan": "supervisor_nip",
    "email": "email",
    "phone": "phone",
    "telepon": "phone",
    "home_latitude": "home_latitude",
    "lat_rumah": "home_latitude",
    "home_longitude": "home_longitude",
    "lon_rumah": "home_longitude",
    "employment_type": "employment_type",
    "jenis_pegawai": "employment_type",
    "start_date": "start_date",
    "tmt": "start_date",
}
REQUIRED_COLUMNS = ("nip", "name", "unit_code")
Progress = Callable[[int], None]


@dataclass
class RowError:
    line: int
    nip: str
    reasons: list[str]

    def __str__(self) -> str:
        return _("line %(line)d (NIP %(nip)s): %(reasons)s") % {
            "line": self.line,
            "nip": self.nip or "-",
            "reasons": "; ".join(self.reasons),
        }


@dataclass
class CleanRow:
    line: int
    nip: str
    name: str
    unit_code: str
    position: str
    supervisor_nip: str
    email: str
    phone: str
    home_latitude: float | None
    home_longitude: float | None
    employment_type: str
    start_date: Any


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    positions_created: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportRefused(InvalidInput):
    code = "import_refused"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(
            _("Nothing was imported: %(count)d row(s) are wrong.") % {"count": len(errors)},
            detail={"rows": [{"line": e.line, "nip": e.nip, "reasons": e.reasons} for e in errors]},
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row by canonical column) from an .xlsx or .csv file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _read_xlsx(path)
    elif suffix == ".csv":
        yield from _read_csv(path.read_bytes())
    else:
        raise InvalidInput(_("Only .xlsx and .csv files can be imported."), code="unsupported_file")


def _canonical_header(raw: Iterable[Any]) -> list[str]:
    header = []
    for name in raw:
        key = _cell(name).lower().replace(" ", "_").replace("-", "_")
        header.append(HEADER_ALIASES.get(key, key))
    missing = [col for col in REQUIRED_COLUMNS if col not in header]
    if missing:
        raise InvalidInput(
            _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)}, code="missing_columns"
        )
    return header


def _read_xlsx(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = _canonical_header(next(rows, ()))
        for line, values in enumerate(rows, start=2):
            if values is None or all(v is None or _cell(v) == "" for v in values):
                continue
            row = {}
            for key, value in zip(header, values, strict=False):
                if key in ("nip", "supervisor_nip"):
                    row[key] = _nip_cell(value)
                else:
                    row[key] = _cell(value)
            yield line, row
    finally:
        workbook.close()


def _nip_cell(value: Any) -> str:
    """Excel turns 18-digit numbers into floats and loses digits: refuse those."""
    if isinstance(value, float):
        return "!float"
    return _cell(value)


def _read_csv(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    text = data.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = _canonical_header(next(reader, []))
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield line, {key: value.strip() for key, value in zip(header, values, strict=False)}


def _float_or_error(raw: str, lo: float, hi: float, label: str, reasons: list[str]) -> float | None:
    if raw == "":
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        reasons.append(_("%(label)s is not a number") % {"label": label})
        return None
    if not lo <= value <= hi:
        reasons.append(
            _("%(label)s must be between %(lo)s and %(hi)s") % {"label": label, "lo": lo, "hi": hi}
        )
        return None
    return value


def clean_row(line: int, row: dict[str, str], unit_codes: set[str]) -> CleanRow | RowError:
    reasons: list[str] = []
    nip = row.get("nip", "")
    if nip == "!float":
        reasons.append(_("the NIP cell is a number and lost digits in Excel: format it as text"))
        nip = ""
    else:
        try:
            rules.parse_nip(nip)
        except rules.NipError as exc:
            reasons.append(nip_error_message(exc))
    name = row.get("name", "")
    if not name:
        reasons.append(_("the name is empty"))
    elif len(name) > 200:
        reasons.append(_("the name is longer than 200 characters"))
    unit_code = row.get("unit_code", "")
    if unit_code not in unit_codes:
        reasons.append(_("unknown unit code %(code)r") % {"code": unit_code})
    supervisor_nip = row.get("supervisor_nip", "")
    if supervisor_nip == "!float":
        reasons.append(_("the supervisor NIP cell is a number: format it as text"))
        supervisor_nip = ""
    if supervisor_nip and supervisor_nip == nip:
        reasons.append(_("an employee cannot be their own supervisor"))
    email = row.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(_("the email address is not valid"))
    phone = row.get("phone", "")
    if len(phone) > 32:
        reasons.append(_("the phone number is too long"))
    lat = _float_or_error(row.get("home_latitude", ""), -90, 90, _("home latitude"), reasons)
    lon = _float_or_error(row.get("home_longitude", ""), -180, 180, _("home longitude"), reasons)
    if (lat is None) != (lon is None) and not reasons:
        reasons.append(_("give both home latitude and longitude, or neither"))
    employment_type = (row.get("employment_type", "") or EmploymentType.PNS).upper()
    if employment_type not in EmploymentType.values:
        reasons.append(_("employment type must be PNS or PPPK"))
    start_raw = row.get("start_date", "")
    start_date = None
    if start_raw:
        start_date = parse_date(start_raw[:10])
        if start_date is None:
            reasons.append(_("the start date is not a date (YYYY-MM-DD)"))
    if reasons:
        return RowError(line=line, nip=nip, reasons=reasons)
    return CleanRow(
        line=line,
        nip=nip,
        name=name,
        unit_code=unit_code,
        position=row.get("position", "")[:200],
        supervisor_nip=supervisor_nip,
        email=email,
        phone=phone,
        home_latitude=lat,
        home_longitude=lon,
        employment_type=employment_type,
        start_date=start_date,
    )


def validate_rows(
    agency: Agency, rows: Iterable[tuple[int, dict[str, str]]], progress: Progress | None = None
) -> tuple[list[CleanRow], list[RowError]]:
    """Check every row; cross-row checks (duplicates, supervisors, cycles) included."""
    unit_codes = set(Unit.objects.filter(agency=agency).values_list("code", flat=True))
    clean: list[CleanRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        result = clean_row(line, raw, unit_codes)
        nip = raw.get("nip", "")
        duplicate_of = seen.get(nip) if nip else None
        if nip and duplicate_of is None:
            seen[nip] = line
        if duplicate_of is not None:
            reason = _("duplicate NIP (also on line %(l)d)") % {"l": duplicate_of}
            if isinstance(result, RowError):
                result.reasons.insert(0, reason)
            else:
                result = RowError(line, nip, [reason])
        if isinstance(result, RowError):
            errors.append(result)
        else:
            clean.append(result)
        if progress:
            progress(1)
    errors.extend(_check_supervisors(agency, clean, set(seen)))
    errors.sort(key=lambda e: e.line)
    return clean, errors


def _check_supervisors(agency: Agency, rows: list[CleanRow], file_nips: set[str]) -> list[RowError]:
    existing = dict(Employee.objects.filter(agency=agency).values_list("nip", "supervisor__nip"))
    other_agency = set(
        Employee.objects.exclude(agency=agency)
        .filter(nip__in=[r.nip for r in rows])
        .values_list("nip", flat=True)
    )
    errors = []
    chain: dict[str, str | None] = dict(existing)
    for row in rows:
        chain[row.nip] = row.supervisor_nip or None
    index = {nip: i for i, nip in enumerate(chain)}
    parent_of = {index[n]: (index.get(s) if s else None) for n, s in chain.items()}
    for row in rows:
        reasons = []
        if row.nip in other_agency:
            reasons.append(_("this NIP belongs to an employee of another agency"))
        if (
            row.supervisor_nip
            and row.supervisor_nip not in file_nips
            and row.supervisor_nip not in existing
        ):
            reasons.append(_("unknown supervisor NIP %(nip)s") % {"nip": row.supervisor_nip})
        elif row.supervisor_nip and rules.creates_cycle(
            parent_of, index[row.nip], index.get(row.supervisor_nip)
        ):
            reasons.append(_("the supervisor chain loops back to this employee"))
        if reasons:
            errors.append(RowError(row.line, row.nip, reasons))
    return errors


@transaction.atomic
def employees_import(
    *, agency: Agency, rows: list[CleanRow], progress: Progress | None = None
) -> ImportResult:
    """Create or update every row (all or nothing). Rows must come from validate_rows."""
    result = ImportResult()
    units = dict(Unit.objects.filter(agency=agency).values_list("code", "id"))
    positions = dict(Position.objects.filter(agency=agency).values_list("name", "id"))
    new_positions = sorted({r.position for r in rows if r.position and r.position not in positions})
    for made in Position.objects.bulk_create(
        [Position(agency=agency, name=name) for name in new_positions]
    ):
        positions[made.name] = made.pk
    result.positions_created = len(new_positions)
    existing = {
        e.nip: e for e in Employee.objects.filter(agency=agency, nip__in=[r.nip for r in rows])
    }
    to_create, to_update = [], []
    for row in rows:
        employee = existing.get(row.nip) or Employee(agency=agency, nip=row.nip)
        employee.name = row.name
        employee.unit_id = units[row.unit_code]
        employee.position_id = positions.get(row.position) if row.position else None
        employee.email = row.email
        employee.phone = row.phone
        employee.home_latitude = row.home_latitude
        employee.home_longitude = row.home_longitude
        employee.employment_type = row.employment_type
        if row.start_date:
            employee.start_date = row.start_date
        (to_update if employee.pk else to_create).append(employee)
    Employee.objects.bulk_create(to_create, batch_size=1000)
    fields = [
        "name",
        "unit",
        "position",
        "email",
        "phone",
        "home_latitude",
        "home_longitude",
        "employment_type",
        "start_date",
    ]
    Employee.objects.bulk_update(to_update, fields, batch_size=1000)
    if progress:
        progress(len(rows) // 2)
    ids = dict(Employee.objects.filter(agency=agency).values_list("nip", "id"))
    with_supervisor = []
    by_nip = {r.nip: r for r in rows}
    for employee in (*to_create, *to_update):
        sup_nip = by_nip[employee.nip].supervisor_nip
        employee.pk = employee.pk or ids[employee.nip]
        employee.supervisor_id = ids[sup_nip] if sup_nip else None
        with_supervisor.append(employee)
    Employee.objects.bulk_update(with_supervisor, ["supervisor"], batch_size=1000)
    if progress:
        progress(len(rows) - len(rows) // 2)
    result.created, result.updated = len(to_create), len(to_update)
    org_changed(agency.pk)
    return result
