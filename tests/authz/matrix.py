"""The authorisation matrix, as data: for every route (API operation or web URL pattern)
and method, the status each role gets. Columns follow `tests.authz.world.ROLES`:

  self  E, the subject employee          col  a colleague in E's OPD
  sot   a supervisor in OPD2             hot  the head of OPD2
  hr    HR admin of E's agency           ldr  leader      ins  inspector
  hrb   HR admin of another agency       ano  not signed in
  sup   E's own supervisor               hd   the head of E's OPD (positive controls)

Path parameters are E's objects (tests/authz/world.py, overrides in tests/authz/bodies.py).
Anonymous: 401 on the API, 302 to the login page on pages (the Location is checked).
A 422/400/409 is an allowed role past the authorisation check that the body or the state
refuses; a denied role gets exactly 403 or 404 as the code intends. "/me"-style routes
answer about the caller, so every signed-in role gets the same code there.

A route added to the application without a line here fails `test_every_route_has_an_entry`;
a line whose route is gone fails `test_every_entry_is_a_route`.
"""

from __future__ import annotations

TABLE = """
ROUTE                                                         self col sot hot hr  ldr ins hrb ano sup hd
GET /                                                         200 200 200 200 200 200 200 200 302 200 200
GET /apel/                                                    200 200 200 200 200 200 200 200 302 200 200
POST /apel/                                                   403 403 403 403 422 403 403 422 302 403 403
GET /apel/{rollcall_id}/                                      200 200 200 200 200 200 200 404 302 200 200
POST /apel/{rollcall_id}/hadir/                               403 404 404 404 403 403 403 404 302 403 302
POST /apel/{rollcall_id}/isi/                                 403 403 403 403 302 403 403 404 302 403 403
POST /apel/{rollcall_id}/opd/{unit_id}/konfirmasi/            403 403 403 403 403 403 403 404 302 403 302
POST /apel/{rollcall_id}/opd/{unit_id}/koreksi/               403 403 403 403 403 403 403 404 302 403 422
GET /apel/{rollcall_id}/papan/                                403 403 403 200 200 200 200 404 302 403 200
GET /apel/{rollcall_id}/papan/baris/                          403 403 403 200 200 200 200 404 302 403 200
GET /api/v1/                                                  404 404 404 404 404 404 404 404 404 404 404
POST /api/v1/                                                 404 404 404 404 404 404 404 404 404 404 404
GET /api/v1/attendance/check-ins                              200 404 404 404 200 200 200 404 401 200 200
POST /api/v1/attendance/check-ins                             201 201 201 201 201 201 201 422 401 201 201
# a flagged check-in is decided by E's line (supervisor, unit heads above) or HR; leaders and
# inspectors read the whole agency but decide nothing here (services.review.may_review)
POST /api/v1/attendance/check-ins/{check_in_id}/review        403 404 404 404 200 403 403 404 401 200 200
GET /api/v1/attendance/reviews                                200 200 200 200 200 200 200 200 401 200 200
DELETE /api/v1/auth/token                                     204 204 204 204 204 204 204 204 401 204 204
# public; "anon" signs in with E's password: E's new device waits for HR (403 device_not_approved)
POST /api/v1/auth/token                                       403 200 200 200 200 200 200 200 403 200 200
GET /api/v1/daily-reports                                     200 404 404 404 200 200 200 404 401 200 200
POST /api/v1/daily-reports/bulk-approve                       200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/daily-reports/missing                             200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/daily-reports/review-queue                        200 200 200 200 200 200 200 200 401 200 200
PUT /api/v1/daily-reports/{date}                              200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/daily-reports/{report_id}/approve                403 404 404 404 403 403 403 404 401 200 200
POST /api/v1/daily-reports/{report_id}/return                 403 404 404 404 403 403 403 404 401 200 200
GET /api/v1/discipline/alerts                                 200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/discipline/alerts/{alert_id}/acknowledge         403 404 404 404 200 404 403 404 401 404 200
GET /api/v1/docs                                              200 200 200 200 200 200 200 200 200 200 200
POST /api/v1/docs                                             200 200 200 200 200 200 200 200 200 200 200
POST /api/v1/evidence                                         201 201 201 201 201 201 201 201 401 201 201
GET /api/v1/health/declarations/{date}                        200 404 404 404 200 403 403 404 401 403 200
PUT /api/v1/health/declarations/{date}                        200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/health/suggestions/{suggestion_id}/accept        404 404 404 404 200 404 404 404 401 404 200
POST /api/v1/health/suggestions/{suggestion_id}/dismiss       404 404 404 404 200 404 404 404 401 404 200
GET /api/v1/health/tests                                      200 404 404 404 200 403 403 404 401 403 200
POST /api/v1/health/tests                                     201 201 201 201 201 201 201 201 401 201 201
GET /api/v1/health/tests/{test_id}/document                   200 404 404 404 200 404 404 404 401 404 200
GET /api/v1/health/today                                      200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/health/units/{unit_id}/summary                    404 404 404 404 200 200 200 404 401 404 200
GET /api/v1/me                                                200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/me/access-log                                     200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/me/attendance                                     200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/me/data-export                                   202 202 202 202 202 202 202 202 401 202 202
GET /api/v1/me/data-export/{job_id}                           200 404 404 404 404 404 404 404 401 404 404
GET /api/v1/me/data-export/{job_id}/download                  200 404 404 404 404 404 404 404 401 404 404
GET /api/v1/me/leave-balance                                  200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/me/roster                                         200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/me/tpp                                            200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/months/{year}/{month}/close                      403 403 403 403 409 403 403 409 401 403 403
POST /api/v1/months/{year}/{month}/reopen                     403 403 403 403 201 403 403 201 401 403 403
GET /api/v1/openapi.json                                      200 200 200 200 200 200 200 200 200 200 200
POST /api/v1/openapi.json                                     200 200 200 200 200 200 200 200 200 200 200
GET /api/v1/privacy/access-log                                403 403 403 403 200 403 200 404 401 403 403
GET /api/v1/recap                                             403 403 403 403 200 200 200 200 401 403 403
GET /api/v1/requests                                          200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/requests                                         201 201 201 201 201 201 201 201 401 201 201
GET /api/v1/requests/{request_id}                             200 404 404 404 200 200 200 404 401 200 200
POST /api/v1/requests/{request_id}/approve                    403 403 403 403 403 403 403 404 401 200 403
POST /api/v1/requests/{request_id}/cancel                     200 404 404 404 403 403 403 404 401 403 403
POST /api/v1/requests/{request_id}/reject                     403 403 403 403 403 403 403 404 401 200 403
GET /api/v1/rewards                                           200 200 200 200 200 200 200 200 401 200 200
GET /api/v1/rollcalls                                         200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/rollcalls                                        403 403 403 403 201 403 403 201 401 403 403
GET /api/v1/rollcalls/{rollcall_id}/board                     403 403 403 200 200 200 200 404 401 403 200
POST /api/v1/rollcalls/{rollcall_id}/participations           403 404 404 404 403 403 403 404 401 403 200
POST /api/v1/rollcalls/{rollcall_id}/units/{unit_id}/confirm  403 403 403 403 403 403 403 404 401 403 200
POST /api/v1/rollcalls/{rollcall_id}/units/{unit_id}/correct  403 403 403 403 403 403 403 404 401 403 422
POST /api/v1/roster/recalls                                   403 404 404 404 403 403 403 404 401 409 409
GET /api/v1/tasks                                             200 200 200 200 200 200 200 200 401 200 200
POST /api/v1/tasks                                            403 404 404 404 403 403 403 404 401 201 201
POST /api/v1/tasks/{task_id}/status                           200 404 404 404 403 403 403 404 401 200 200
GET /api/v1/tpp/statements/{employee_id}                      200 403 403 403 200 403 403 404 401 200 200
GET /api/v1/units/{unit_id}/recap                             403 403 403 403 200 200 200 404 401 403 200
GET /api/v1/units/{unit_id}/tpp                               403 403 403 403 200 403 403 404 401 403 200
POST /api/v1/verification/check-ins/{check_in_id}/decision    403 403 403 403 201 403 201 404 401 403 201
GET /api/v1/verification/queue                                403 403 403 403 200 403 200 404 401 403 200
GET /dasbor/                                                  403 403 403 302 200 200 200 200 302 403 302
GET /dasbor/angka/                                            403 403 403 403 200 200 200 404 302 403 200
GET /dasbor/unit/{unit_id}/                                   403 403 403 403 200 200 200 404 302 403 200
GET /disiplin/peringatan/                                     200 200 200 200 200 200 200 200 302 200 200
POST /disiplin/peringatan/{alert_id}/tindak-lanjut/           403 404 404 404 302 404 403 404 302 404 302
GET /healthz                                                  200 200 200 200 200 200 200 200 200 200 200
GET /jadwal/                                                  403 403 403 403 200 403 403 404 302 403 200
POST /jadwal/                                                 403 403 200 200 200 403 403 200 302 200 200
POST /jadwal/buat/                                            403 403 403 403 200 403 403 404 302 403 200
GET /jadwal/buat/{job_id}/                                    404 404 404 404 404 404 404 404 302 404 200
POST /jadwal/panggil/                                         403 404 404 404 403 403 403 404 302 302 302
POST /jadwal/sel/                                             403 403 403 403 200 403 403 404 302 403 200
POST /keluar/                                                 302 302 302 302 302 302 302 302 302 302 302
GET /kerja-fleksibel/                                         200 200 200 200 200 200 200 200 302 200 200
POST /kerja-fleksibel/                                        422 422 422 422 422 422 422 422 302 422 422
POST /kerja-fleksibel/{application_id}/putusan/               403 404 404 404 403 403 403 404 302 404 302
GET /kesehatan/                                               200 200 200 200 200 200 200 200 302 200 200
POST /kesehatan/deklarasi/                                    302 302 302 302 302 302 302 302 302 302 302
GET /kesehatan/pegawai/{nip}/                                 200 404 404 404 200 403 403 404 302 403 200
POST /kesehatan/pegawai/{nip}/tes/                            302 404 404 404 302 403 403 404 302 403 403
POST /kesehatan/saran/{suggestion_id}/                        404 404 404 404 302 404 404 404 302 404 302
POST /kesehatan/tes/                                          302 302 302 302 302 302 302 302 302 302 302
GET /kesehatan/tes/{test_id}/dokumen/                         200 404 404 404 200 404 404 404 302 404 200
GET /kesehatan/unit/                                          403 403 403 404 200 200 200 404 302 403 200
GET /kinerja/                                                 200 200 200 200 200 200 200 200 302 200 200
POST /kinerja/                                                422 422 422 422 422 422 422 422 302 422 422
GET /kinerja/bukti/{evidence_id}/                             200 404 404 404 200 200 200 404 302 200 200
GET /kinerja/hari-ini/                                        200 200 200 200 200 200 200 200 302 200 200
GET /kinerja/laporan/{report_id}/                             200 404 404 404 200 200 200 404 302 200 200
POST /kinerja/laporan/{report_id}/putusan/                    403 404 404 404 403 403 403 404 302 302 302
GET /kinerja/rekap/                                           403 403 403 403 200 200 200 404 302 403 200
GET /kinerja/rekap/pegawai/{nip}/                             200 404 404 404 200 200 200 404 302 200 200
GET /kinerja/rekap/saya/                                      302 302 302 302 302 302 302 302 302 302 302
GET /kinerja/tinjauan/                                        403 403 200 200 403 403 403 403 302 200 200
POST /kinerja/tinjauan/setujui/                               302 302 302 302 302 302 302 302 302 302 302
GET /kinerja/tugas/                                           200 200 200 200 200 200 200 200 302 200 200
# a supervisor outside E's line gets the form back (422: E is not among the assignees offered)
POST /kinerja/tugas/                                          403 403 422 422 403 403 403 403 302 302 302
POST /kinerja/tugas/{task_id}/status/                         302 404 404 404 403 403 403 404 302 302 302
GET /kinerja/{day}/                                           200 200 200 200 200 200 200 200 302 200 200
POST /kinerja/{day}/                                          422 422 422 422 422 422 422 422 302 422 422
GET /kios/{office_id}/{key}/                                  200 200 200 200 200 200 200 200 200 200 200
GET /kios/{office_id}/{key}/kode/                             200 200 200 200 200 200 200 200 200 200 200
GET /laporan/                                                 403 403 403 200 200 200 200 200 302 403 200
POST /laporan/mulai/                                          403 403 403 403 200 200 200 404 302 403 200
GET /laporan/status/{job_id}/                                 404 404 404 404 200 404 404 404 302 404 404
GET /laporan/unduh/{job_id}/                                  404 404 404 404 200 404 404 404 302 404 404
GET /manifest.webmanifest                                     200 200 200 200 200 200 200 200 200 200 200
GET /masuk/                                                   302 302 302 302 302 302 302 302 200 302 302
POST /masuk/                                                  302 302 302 302 302 302 302 302 302 302 302
GET /pengajuan/                                               200 200 200 200 200 200 200 200 302 200 200
GET /pengajuan/baru/                                          200 200 200 200 200 200 200 200 302 200 200
POST /pengajuan/baru/                                         422 422 422 422 422 422 422 422 302 422 422
POST /pengajuan/bulan/{year}/{month}/buka/                    403 403 403 403 302 403 403 302 302 403 403
POST /pengajuan/bulan/{year}/{month}/tutup/                   403 403 403 403 302 403 403 302 302 403 403
GET /pengajuan/persetujuan/                                   200 200 200 200 200 200 200 200 302 200 200
POST /pengajuan/persetujuan/setujui/                          302 302 302 302 302 302 302 302 302 302 302
GET /pengajuan/semua/                                         403 403 403 403 200 200 200 200 302 403 403
GET /pengajuan/{request_id}/                                  200 404 404 404 200 200 200 404 302 200 200
POST /pengajuan/{request_id}/batal/                           302 404 404 404 403 403 403 404 302 403 403
GET /pengajuan/{request_id}/lampiran/                         200 404 404 404 200 200 200 404 302 200 200
POST /pengajuan/{request_id}/putusan/                         403 403 403 403 403 403 403 404 302 302 403
GET /penghargaan/                                             200 200 200 200 200 200 200 200 302 200 200
GET /penghargaan/sertifikat/{category}/{year}/{month}/        200 200 200 200 200 200 200 404 302 200 200
GET /peta/                                                    403 403 403 200 200 200 200 200 302 403 200
GET /peta/data/                                               403 403 403 200 200 200 200 200 302 403 200
GET /presensi/                                                200 200 200 200 200 200 200 200 302 200 200
GET /presensi/bulan/                                          200 200 200 200 200 200 200 200 302 200 200
GET /presensi/swafoto/{check_in_id}/                          200 404 404 404 200 200 200 404 302 200 200
GET /presensi/tinjauan/                                       200 200 200 200 200 200 200 200 302 200 200
# as POST /api/v1/attendance/check-ins/{check_in_id}/review; leader and inspector do not see it
POST /presensi/tinjauan/{check_in_id}/                        404 404 404 404 302 404 404 404 302 302 302
GET /privasi/                                                 200 200 200 200 200 200 200 200 200 200 200
GET /privasi/akses-saya/                                      200 200 200 200 200 200 200 200 302 200 200
GET /privasi/akses/                                           403 403 403 403 200 403 200 200 302 403 403
GET /privasi/ekspor/                                          403 403 403 403 200 403 403 200 302 403 403
POST /privasi/ekspor/                                         403 403 403 403 200 403 403 404 302 403 403
GET /privasi/ekspor/status/{job_id}/                          404 404 404 404 200 404 404 404 302 404 404
GET /privasi/ekspor/unduh/{job_id}/                           404 404 404 404 200 404 404 404 302 404 404
GET /privasi/retensi/                                         403 403 403 403 200 403 403 200 302 403 403
POST /privasi/retensi/uji/                                    403 403 403 403 302 403 403 302 302 403 403
GET /profil/                                                  200 200 200 200 200 200 200 200 302 200 200
GET /profil/data-saya/                                        200 200 200 200 200 200 200 200 302 200 200
POST /profil/data-saya/mulai/                                 200 200 200 200 200 200 200 200 302 200 200
GET /profil/kata-sandi/                                       200 200 200 200 200 200 200 200 302 200 200
POST /profil/kata-sandi/                                      200 200 200 200 200 200 200 200 302 200 200
GET /readyz                                                   200 200 200 200 200 200 200 200 200 200 200
GET /sidak/                                                   403 403 403 403 200 403 200 200 302 403 403
POST /sidak/baru/                                             403 403 403 403 302 403 302 404 302 403 403
GET /sidak/{inspection_id}/                                   403 403 403 403 200 403 200 404 302 403 403
POST /sidak/{inspection_id}/simpan/                           403 403 403 403 302 403 302 404 302 403 403
POST /sidak/{inspection_id}/tutup/                            403 403 403 403 409 403 409 404 302 403 403
GET /sw.js                                                    200 200 200 200 200 200 200 200 200 200 200
GET /tpp/                                                     200 200 200 200 200 200 200 200 302 200 200
GET /tpp/pegawai/{nip}/                                       200 403 403 403 200 403 403 404 302 200 200
GET /tpp/unit/                                                403 403 403 403 200 403 403 404 302 403 200
GET /verifikasi/                                              403 403 403 200 200 403 200 200 302 403 200
GET /verifikasi/keputusan/                                    403 403 403 200 200 403 200 200 302 403 200
GET /verifikasi/kios/                                         403 403 403 403 200 403 403 200 302 403 403
POST /verifikasi/kios/{office_id}/tautan/                     403 403 403 403 302 403 403 404 302 403 403
GET /verifikasi/perangkat/                                    403 403 403 403 200 403 403 200 302 403 403
POST /verifikasi/perangkat/{device_id}/putusan/               403 403 403 403 302 403 403 404 302 403 403
GET /verifikasi/rujukan/{reference_id}/                       403 403 403 404 200 403 200 404 302 403 200
GET /verifikasi/wajah/                                        403 403 403 403 200 403 200 200 302 403 403
GET /verifikasi/wajah/foto/{reference_id}/                    404 404 404 404 200 404 200 404 302 404 404
POST /verifikasi/wajah/rujukan/{reference_id}/putusan/        403 403 403 403 302 403 403 404 302 403 403
GET /verifikasi/wajah/{nip}/                                  403 403 403 403 200 403 200 404 302 403 403
POST /verifikasi/wajah/{nip}/unggah/                          403 403 403 403 422 403 403 404 302 403 403
POST /verifikasi/{check_in_id}/putusan/                       403 403 403 403 302 403 302 404 302 403 302
"""


def _parse(table: str) -> dict[str, tuple[int, ...]]:
    rows: dict[str, tuple[int, ...]] = {}
    for line in table.strip().splitlines()[1:]:
        if line.startswith("#"):
            continue
        *route, codes = line.rsplit("  ", 1)
        key = route[0].strip()
        assert key not in rows, f"twice in the matrix: {key}"
        rows[key] = tuple(int(code) for code in codes.split())
    return rows


MATRIX = _parse(TABLE)


# List routes: the roles whose answer names E (name or NIP). A 200 proves nothing about
# scope on a list; what is in it does.
VISIBLE: dict[str, frozenset[str]] = {
    key: frozenset(roles.split())
    for key, roles in {
        "GET /api/v1/daily-reports/missing": "sup head",
        # the line and HR decide reviews; leaders and inspectors only read (not here)
        "GET /api/v1/attendance/reviews": "hr sup head",
        "GET /presensi/tinjauan/": "hr sup head",
        "GET /api/v1/daily-reports/review-queue": "sup head",
        "GET /kinerja/tinjauan/": "sup head",
        "GET /api/v1/discipline/alerts": "self hr inspector head",
        "GET /disiplin/peringatan/": "self hr inspector head",
        "GET /api/v1/requests": "self",
        "GET /pengajuan/persetujuan/": "sup",
        "GET /pengajuan/semua/": "hr leader inspector",
        "GET /api/v1/tasks": "self",
        "GET /kinerja/tugas/": "sup head",
        "GET /api/v1/verification/queue": "hr inspector head",
        "GET /verifikasi/": "hr inspector head",
        "GET /verifikasi/wajah/": "hr inspector",
        "GET /verifikasi/perangkat/": "hr",
        "GET /api/v1/health/tests": "self hr head",
        "GET /kesehatan/unit/": "hr head",
        "GET /tpp/unit/": "hr head",
        "GET /kinerja/rekap/": "hr leader inspector head",
        "GET /peta/data/": "hr leader inspector head",
        "GET /jadwal/": "hr head",
        "GET /kerja-fleksibel/": "hr head",
    }.items()
}
