"""A person's own data as one ZIP (UU 27/2022: the right of access; DOMAIN.md section 10).

Each app registers what it holds of a person as sections (sigap.privacy.registry,
`register_subject_section` in the app's `privacy.py`). The ZIP has, per section,
`<section>.json` (every row) and `<section>.csv` when the rows are flat (no nested lists
or objects), the files the sections name (selfies, reference photos, attachments) under
their own folders, and README.txt in Bahasa Indonesia describing every file.

Only the subject's own rows are exported: every section filters by the employee given.
Who may ask: the employee for themselves; the HR admins of the employee's agency for a
request (a superuser anywhere); anyone else is refused (another agency's employee: not
found)."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.core.exceptions import Forbidden, NotFound
from sigap.core.models import User
from sigap.org.models import Employee, Role
from sigap.org.selectors import scope_for
from sigap.privacy.registry import SubjectSection, subject_sections

SectionProgress = Callable[[int, int], None]  # (sections done, sections in all)

# What README.txt says of each section (Bahasa Indonesia: the file is for the employee).
SECTION_NOTES: dict[str, str] = {
    "profile": "Data kepegawaian Anda: NIP, nama, jenis kepegawaian, unit, jabatan, atasan "
    "langsung, kantor, email, telepon, lokasi rumah yang terdaftar (lintang, bujur, radius).",
    "attendance_days": "Rekap kehadiran per hari: status (HADIR, TL1, TK, ...), kode, mode "
    "kerja, jam masuk dan pulang, menit terlambat dan pulang cepat.",
    "check_ins": "Setiap presensi masuk/pulang: waktu, lokasi (lintang, bujur, akurasi), "
    "tempat dan jaraknya, hasil tinjauan dan verifikasi, serta nama berkas swafoto di folder "
    "swafoto/ (kosong bila swafoto sudah dihapus sesuai masa retensi).",
    "refused_check_ins": "Presensi yang ditolak sistem: waktu, lokasi dan alasannya.",
    "requests": "Pengajuan cuti, sakit, izin, dinas luar dan koreksi, dengan setiap langkah "
    "persetujuannya; lampiran ada di folder lampiran/.",
    "roster": "Jadwal kerja (WFO/WFH/WFA/DL/OFF) yang tercatat untuk Anda per tanggal.",
    "flexible_work": "Permohonan kerja fleksibel Anda dan keputusannya.",
    "notifications": "Pemberitahuan di aplikasi yang dikirim kepada Anda.",
    "daily_reports": "Laporan kinerja harian dengan kegiatannya; bukti yang diunggah ada di "
    "folder bukti/.",
    "tasks": "Tugas yang diberikan kepada Anda.",
    "tpp_statements": "Rincian TPP bulanan: setiap potongan, bagian disiplin dan kinerja, "
    "serta TPP yang diterima.",
    "discipline_alerts": "Peringatan kewajiban pemeriksaan disiplin (PP 94/2021) tentang Anda.",
    "devices": "Perangkat (ponsel) yang Anda gunakan untuk masuk dan status persetujuannya.",
    "face_references": "Foto referensi wajah Anda (metadata; fotonya di folder wajah/). "
    "Templat wajah (angka hasil model) tidak disertakan.",
}

README_HEAD = """DATA PRIBADI ANDA DI SIGAP
==========================

Pegawai : {name}
NIP     : {nip}
Dibuat  : {at}

Berkas ini berisi seluruh data pribadi Anda yang disimpan SIGAP, sesuai hak Anda
sebagai subjek data pribadi (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi).
Setiap bagian ada dalam berkas JSON (lengkap) dan, bila datanya datar, juga CSV (dapat
dibuka dengan Excel atau LibreOffice). Waktu ditulis dalam format ISO 8601 dengan zona
waktunya; tanggal YYYY-MM-DD.

Daftar berkas:
"""

README_TAIL = """
Data orang lain tidak termasuk dalam berkas ini. Bila ada data yang menurut Anda keliru,
sampaikan kepada admin kepegawaian (BKPSDM) instansi Anda.
"""


def plain(value: Any) -> Any:
    """JSON for the values sections return (dates, times, decimals, UUIDs)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(type(value).__name__)


def _flat(rows: list[dict[str, Any]]) -> bool:
    return all(not isinstance(v, dict | list) for row in rows for v in row.values())


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return value
    return plain(value)


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return "\ufeff" + out.getvalue()  # the BOM lets Excel read UTF-8


def _add_files(archive: zipfile.ZipFile, files: dict[str, Callable[[], IO[bytes]]]) -> list[str]:
    """Copy the section's files in; returns the names that could not be read."""
    missing = []
    for name, opener in sorted(files.items()):
        try:
            with opener() as source, archive.open(name, "w") as target:
                while chunk := source.read(1 << 16):
                    target.write(chunk)
        except (FileNotFoundError, OSError):
            missing.append(name)
    return missing


def _readme(employee: Employee, listing: list[str], missing: list[str]) -> str:
    at = clock.now().astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = README_HEAD.format(name=employee.name, nip=employee.nip, at=at)
    text += "\n".join(listing)
    if missing:
        text += "\n\nBerkas yang tidak dapat dibaca dari penyimpanan (tidak disertakan):\n"
        text += "\n".join(f"  {name}" for name in missing)
    return text + "\n" + README_TAIL


def subject_export_zip(*, employee: Employee, progress: SectionProgress | None = None) -> IO[bytes]:
    """The ZIP of `employee`'s own data, in a temporary file positioned at its start."""
    sections = list(subject_sections())
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the caller owns and closes it
    listing: list[str] = []
    missing: list[str] = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, (name, exporter) in enumerate(sections, start=1):
            section: SubjectSection = exporter(employee)
            note = SECTION_NOTES.get(name, "Data bagian ini.")
            archive.writestr(
                f"{name}.json",
                json.dumps(section.rows, default=plain, ensure_ascii=False, indent=2),
            )
            listing.append(f"  {name}.json ({len(section.rows)} baris): {note}")
            if _flat(section.rows):
                archive.writestr(f"{name}.csv", _csv(section.rows))
                listing.append(f"  {name}.csv: isi yang sama dalam bentuk tabel.")
            if section.files:
                missing += _add_files(archive, section.files)
                folders = sorted({f.split("/", 1)[0] + "/" for f in section.files})
                listing.append(f"  {', '.join(folders)}: {len(section.files)} berkas ({name}).")
            if progress is not None:
                progress(done, len(sections))
        archive.writestr("README.txt", _readme(employee, listing, missing))
    handle.seek(0)
    return handle


def subject_export_filename(employee: Employee) -> str:
    today = clock.today(employee.agency.time_zone)
    return f"data-pribadi-{employee.nip}-{today:%Y%m%d}.zip"


# --- who may export whom ---------------------------------------------------------------


def may_export_others(user: User) -> bool:
    """HR admins (their agency) and superusers (every agency) produce exports on request."""
    scope = scope_for(user)
    return scope.all_agencies or (scope.has_role(Role.HR_ADMIN) and scope.agency_id is not None)


def access_subject_export(*, user: User, nip: str | None = None) -> Employee:
    """The employee whose data `user` may export: themselves (no `nip`, or their own), or
    for an HR admin any employee of their agency. Another agency's employee (or an unknown
    NIP) is NotFound; a colleague for anyone but HR is Forbidden."""
    own = Employee.objects.select_related("agency").filter(user=user).first()
    if nip is None or (own is not None and own.nip == nip):
        if own is None:
            raise NotFound(_("This account is not linked to an employee."))
        return own
    scope = scope_for(user)
    employee = Employee.objects.select_related("agency").filter(nip=nip).first()
    if employee is None or not (scope.all_agencies or employee.agency_id == scope.agency_id):
        raise NotFound(_("No such employee in your agency."))
    if not may_export_others(user):
        raise Forbidden(_("Only the agency's HR admins export another employee's data."))
    return employee
