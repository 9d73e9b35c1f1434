"""What each write sends (so an allowed role gets past validation and a denied role is
refused for who it is, not for a bad body), and the routes whose path takes a value other
than the world's default ("{name}" is filled from the world: tests/authz/world.py)."""

from __future__ import annotations

from typing import Any

from tests.authz.world import PDF, PRIVACY_HR_JOB, PRIVACY_JOB, REPORT_JOB, ROSTER_JOB, jpeg

PARAMS: dict[str, dict[str, Any]] = {  # by path: every method of the route
    "/api/v1/me/data-export/{job_id}": {"job_id": PRIVACY_JOB},
    "/api/v1/me/data-export/{job_id}/download": {"job_id": PRIVACY_JOB},
    "/laporan/status/{job_id}/": {"job_id": REPORT_JOB},
    "/laporan/unduh/{job_id}/": {"job_id": REPORT_JOB},
    "/jadwal/buat/{job_id}/": {"job_id": ROSTER_JOB},
    "/privasi/ekspor/status/{job_id}/": {"job_id": PRIVACY_HR_JOB},
    "/privasi/ekspor/unduh/{job_id}/": {"job_id": PRIVACY_HR_JOB},
    # the review shows only active reference photos
    "/verifikasi/rujukan/{reference_id}/": {"reference_id": "{active_reference_id}"},
}

ACTIVITY = {
    "description": "menyusun laporan",
    "minutes": 60,
    "output_qty": 1,
    "output_unit": "dokumen",
}

WEEK = {"from": "2026-11-16", "to": "2026-11-23"}

BODIES: dict[str, dict[str, Any]] = {
    # --- reads that name E (or E's OPD): the scope check, not the caller's own rows ---
    "GET /api/v1/attendance/check-ins": {"query": {"date": "2026-11-23", "employee": "{nip}"}},
    "GET /api/v1/daily-reports": {"query": {**WEEK, "employee": "{nip}"}},
    "GET /api/v1/daily-reports/missing": {"query": {**WEEK, "employee": "{nip}"}},
    "GET /api/v1/me/attendance": {"query": WEEK},
    "GET /api/v1/me/roster": {"query": WEEK},
    "GET /api/v1/health/declarations/{date}": {"query": {"employee": "{nip}"}},
    "GET /api/v1/health/tests": {"query": {"employee": "{nip}"}},
    "GET /api/v1/verification/queue": {"query": {"unit": "{unit_id}"}},
    "GET /api/v1/privacy/access-log": {"query": {"subject": "{nip}"}},
    "GET /api/v1/tpp/statements/{employee_id}": {"query": {"month": "2026-10"}},
    "GET /dasbor/angka/": {"query": {"unit": "{unit_id}"}},
    "GET /jadwal/": {"query": {"unit": "{unit_id}"}},
    "GET /kinerja/rekap/": {"query": {"unit": "{unit_id}"}},
    "GET /kesehatan/unit/": {"query": {"unit": "{unit_id}"}},
    "GET /tpp/unit/": {"query": {"unit": "{unit_id}"}},
    # --- API (JSON unless "form") ---
    "POST /api/v1/auth/token": {
        "json": {"username": "{username}", "password": "{password}", "device_id": "authz-new"}
    },
    "POST /api/v1/attendance/check-ins": {
        "form": {
            "request_id": "6b0f7c2e-1111-4d5e-9a3b-0c1d2e3f4a5b",
            "kind": "out",
            "latitude": "-2.68",
            "longitude": "118.89",
            "accuracy_m": "10",
            "captured_at": "2026-11-23T00:59:00+00:00",
            "selfie": jpeg(),
        }
    },
    "POST /api/v1/attendance/check-ins/{check_in_id}/review": {
        "json": {"decision": "accept", "note": "di lokasi dinas"}
    },
    "POST /api/v1/requests": {
        "json": {"type": "IZIN", "reason": "keperluan", "start": "2026-11-25", "end": "2026-11-25"}
    },
    "POST /api/v1/requests/{request_id}/approve": {"json": {"note": "ok"}},
    "POST /api/v1/requests/{request_id}/reject": {"json": {"note": "tidak"}},
    "POST /api/v1/months/{year}/{month}/reopen": {"json": {"reason": "klarifikasi"}},
    "POST /api/v1/roster/recalls": {
        "json": {"nip": "{nip}", "date": "2026-11-24", "note": "rapat"}
    },
    "POST /api/v1/daily-reports/bulk-approve": {"json": {"ids": ["{report_id}"]}},
    "PUT /api/v1/daily-reports/{date}": {"json": {"activities": [ACTIVITY]}},
    "POST /api/v1/daily-reports/{report_id}/return": {"json": {"note": "lengkapi"}},
    "POST /api/v1/evidence": {"form": {"file": jpeg()}},
    "POST /api/v1/tasks": {
        "json": {
            "nip": "{nip}",
            "title": "Tugas",
            "target_qty": 1,
            "target_unit": "dokumen",
            "due": "2026-11-30",
        }
    },
    "POST /api/v1/tasks/{task_id}/status": {"json": {"status": "done"}},
    "POST /api/v1/rollcalls": {
        "json": {
            "title": "Apel siaga",
            "date": "2026-11-25",
            "start_time": "07:30",
            "cutoff_time": "08:00",
        }
    },
    "POST /api/v1/rollcalls/{rollcall_id}/units/{unit_id}/confirm": {"json": {"note": ""}},
    "POST /api/v1/rollcalls/{rollcall_id}/units/{unit_id}/correct": {
        "json": {
            "present": 1,
            "absent_by_reason": dict.fromkeys(
                ["DL", "leave", "sick", "permission", "TK", "not_yet"], 0
            ),
            "reason": "koreksi",
        }
    },
    "POST /api/v1/rollcalls/{rollcall_id}/participations": {
        "json": {"employee": "{nip}", "present": True}
    },
    "POST /api/v1/discipline/alerts/{alert_id}/acknowledge": {"json": {"note": "dibina"}},
    "POST /api/v1/verification/check-ins/{check_in_id}/decision": {
        "json": {"decision": "clear", "note": "wajah cocok setelah dicek"}
    },
    "PUT /api/v1/health/declarations/{date}": {
        "json": {"symptoms": [], "temperature_c": 36.6, "notes": ""}
    },
    "POST /api/v1/health/tests": {
        "form": {"kind": "antigen", "taken_on": "2026-11-23", "result": "negative", "document": PDF}
    },
    # --- pages (forms) ---
    "POST /masuk/": {"form": {"username": "{username}", "password": "{password}"}},
    "POST /apel/": {
        "form": {
            "title": "Apel siaga",
            "date": "2026-11-25",
            "start_time": "07:30",
            "cutoff_time": "08:00",
            "kind": "adhoc",
            "place_kind": "office",
        }
    },
    "POST /apel/{rollcall_id}/hadir/": {"form": {"employee": "{employee_id}", "present": "1"}},
    "POST /apel/{rollcall_id}/opd/{unit_id}/koreksi/": {
        "form": {"present": "1", "reason": "koreksi"}
    },
    "POST /disiplin/peringatan/{alert_id}/tindak-lanjut/": {"form": {"note": "dibina"}},
    "POST /kerja-fleksibel/{application_id}/putusan/": {
        "form": {"decision": "approve", "note": "ok"}
    },
    "POST /kinerja/laporan/{report_id}/putusan/": {"form": {"decision": "approve"}},
    "POST /kinerja/tinjauan/setujui/": {"form": {"ids": ["{report_id}"]}},
    "POST /kinerja/tugas/{task_id}/status/": {"form": {"status": "done"}},
    "POST /kinerja/tugas/": {
        "form": {
            "assignee": "{employee_id}",
            "title": "Tugas",
            "target_qty": "1",
            "target_unit": "dokumen",
            "due": "2026-11-30",
        }
    },
    "POST /pengajuan/{request_id}/putusan/": {"form": {"decision": "approve", "note": "ok"}},
    "POST /pengajuan/persetujuan/setujui/": {"form": {"ids": ["{request_id}"]}},
    "POST /pengajuan/bulan/{year}/{month}/buka/": {"form": {"reason": "klarifikasi"}},
    "POST /laporan/mulai/": {
        "form": {"kind": "monthly_xlsx", "unit": "{unit_id}", "month": "2026-10"}
    },
    "POST /jadwal/sel/": {
        "form": {
            "unit": "{unit_id}",
            "employee": "{employee_id}",
            "date": "2026-11-24",
            "mode": "WFH",
        }
    },
    "POST /jadwal/panggil/": {
        "form": {"employee": "{employee_id}", "date": "2026-11-24", "note": "rapat"}
    },
    "POST /jadwal/buat/": {
        "form": {"unit": "{unit_id}", "start": "2026-11-30", "end": "2026-12-04"}
    },
    "POST /presensi/tinjauan/{check_in_id}/": {"form": {"decision": "accept", "note": "ok"}},
    "POST /verifikasi/{check_in_id}/putusan/": {
        "form": {"decision": "clear", "note": "wajah cocok setelah dicek"}
    },
    "POST /verifikasi/perangkat/{device_id}/putusan/": {"form": {"decision": "approve"}},
    "POST /verifikasi/wajah/rujukan/{reference_id}/putusan/": {"form": {"action": "approve"}},
    "POST /verifikasi/wajah/{nip}/unggah/": {"form": {"photo": jpeg()}},
    "POST /sidak/baru/": {"form": {"unit": "{unit_id}", "at": "2026-11-23T08:30", "note": ""}},
    "POST /sidak/{inspection_id}/simpan/": {"form": {"present": ["{employee_id}"]}},
    "POST /kesehatan/deklarasi/": {"form": {"temperature_c": "36.6"}},
    "POST /kesehatan/tes/": {
        "form": {"kind": "antigen", "taken_on": "2026-11-23", "result": "negative", "document": PDF}
    },
    "POST /kesehatan/pegawai/{nip}/tes/": {
        "form": {"kind": "antigen", "taken_on": "2026-11-23", "result": "negative"}
    },
    "POST /kesehatan/saran/{suggestion_id}/": {"form": {"action": "accept"}},
    "POST /privasi/ekspor/": {"form": {"nip": "{nip}"}},
}
