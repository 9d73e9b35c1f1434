from django.urls import path

import sigap.web.certificate_views as certificate_views
import sigap.web.dashboard_views as dashboard_views
import sigap.web.discipline_views as discipline_views
import sigap.web.health_views as health_views
import sigap.web.map_views as map_views
import sigap.web.performance_views as performance_views
import sigap.web.privacy_views.access as privacy_access_views
import sigap.web.privacy_views.export as privacy_export_views
import sigap.web.privacy_views.notice as privacy_notice_views
import sigap.web.privacy_views.purge as privacy_purge_views
import sigap.web.recap_views as recap_views
import sigap.web.request_views as request_views
import sigap.web.rollcall_views as rollcall_views
import sigap.web.roster_views as roster_views
import sigap.web.verification_views.inspections as inspection_views
import sigap.web.verification_views.review as verification_review_views
from sigap.web import attendance_views, export_views, views
from sigap.web.verification_views import devices as device_views
from sigap.web.verification_views import faces as face_views
from sigap.web.verification_views import kiosk as kiosk_views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.sign_in, name="login"),
    path("keluar/", views.sign_out, name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/kata-sandi/", views.password_change, name="password_change"),
    path("presensi/", attendance_views.check_in_page, name="check_in"),
    path("presensi/bulan/", attendance_views.month_page, name="month"),
    path("presensi/tinjauan/", attendance_views.review_page, name="reviews"),
    path(
        "presensi/tinjauan/<int:check_in_id>/", attendance_views.review_decide, name="review_decide"
    ),
    path("presensi/swafoto/<int:check_in_id>/", attendance_views.selfie_file, name="selfie"),
    # health watch (declarations, tests, the unit's dashboard, WFH suggestions)
    path("kesehatan/", health_views.health_me, name="health_me"),
    path("kesehatan/deklarasi/", health_views.health_declare, name="health_declare"),
    path("kesehatan/tes/", health_views.health_test_new, name="health_test_new"),
    path(
        "kesehatan/tes/<int:test_id>/dokumen/",
        health_views.health_document,
        name="health_document",
    ),
    path("kesehatan/unit/", health_views.health_unit, name="health_unit"),
    path("kesehatan/pegawai/<str:nip>/", health_views.health_employee, name="health_employee"),
    path(
        "kesehatan/pegawai/<str:nip>/tes/",
        health_views.health_employee_test,
        name="health_employee_test",
    ),
    path(
        "kesehatan/saran/<int:suggestion_id>/",
        health_views.health_suggestion_decide,
        name="health_suggestion_decide",
    ),
    # official reports (background exports)
    path("laporan/", export_views.exports_page, name="exports"),
    path("laporan/mulai/", export_views.export_start_view, name="export_start"),
    path("laporan/status/<str:job_id>/", export_views.export_job_view, name="export_job"),
    path("laporan/unduh/<str:job_id>/", export_views.export_download, name="export_download"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("jadwal/", roster_views.roster_page, name="roster"),
    path("jadwal/sel/", roster_views.roster_cell, name="roster_cell"),
    path("jadwal/panggil/", roster_views.roster_recall_view, name="roster_recall"),
    path("jadwal/buat/", roster_views.roster_generate_view, name="roster_generate"),
    path("jadwal/buat/<str:job_id>/", roster_views.roster_job_view, name="roster_job"),
    path("kerja-fleksibel/", roster_views.flexible_page, name="flexible"),
    path(
        "kerja-fleksibel/<int:application_id>/putusan/",
        roster_views.flexible_decide,
        name="flexible_decide",
    ),
    # requests (leave, sick, permission, travel, corrections)
    path("pengajuan/", request_views.requests_page, name="requests"),
    path("pengajuan/baru/", request_views.request_new, name="request_new"),
    path("pengajuan/persetujuan/", request_views.request_queue, name="request_queue"),
    path(
        "pengajuan/persetujuan/setujui/",
        request_views.request_bulk_approve,
        name="request_bulk_approve",
    ),
    path("pengajuan/semua/", request_views.requests_hr, name="requests_hr"),
    path(
        "pengajuan/bulan/<int:year>/<int:month>/buka/",
        request_views.month_reopen,
        name="month_reopen",
    ),
    path(
        "pengajuan/bulan/<int:year>/<int:month>/tutup/",
        request_views.month_close,
        name="month_close",
    ),
    path("pengajuan/<int:request_id>/", request_views.request_detail, name="request_detail"),
    path("pengajuan/<int:request_id>/batal/", request_views.request_cancel, name="request_cancel"),
    path(
        "pengajuan/<int:request_id>/putusan/",
        request_views.request_decide,
        name="request_decide",
    ),
    path(
        "pengajuan/<int:request_id>/lampiran/",
        request_views.request_attachment,
        name="request_attachment",
    ),
    # the attendance dashboard
    path("dasbor/", dashboard_views.dashboard, name="dashboard"),
    path("dasbor/angka/", dashboard_views.dashboard_numbers, name="dashboard_numbers"),
    path("dasbor/unit/<int:unit_id>/", dashboard_views.dashboard_unit, name="dashboard_unit"),
    path("kinerja/rekap/", recap_views.performance_recap, name="performance_recap"),
    path("kinerja/rekap/saya/", recap_views.performance_me, name="performance_me"),
    path(
        "kinerja/rekap/pegawai/<str:nip>/",
        recap_views.performance_employee,
        name="performance_employee",
    ),
    # daily reports and tasks
    path("kinerja/", performance_views.report_page, name="reports"),
    path("kinerja/hari-ini/", performance_views.report_today, name="report_today"),
    path("kinerja/tinjauan/", performance_views.report_queue, name="report_queue"),
    path(
        "kinerja/tinjauan/setujui/",
        performance_views.report_bulk_approve,
        name="report_bulk_approve",
    ),
    path("kinerja/laporan/<int:report_id>/", performance_views.report_detail, name="report_detail"),
    path(
        "kinerja/laporan/<int:report_id>/putusan/",
        performance_views.report_decide,
        name="report_decide",
    ),
    path("kinerja/bukti/<int:evidence_id>/", performance_views.evidence_file, name="evidence"),
    path("kinerja/tugas/", performance_views.tasks_page, name="tasks"),
    path("kinerja/tugas/<int:task_id>/status/", performance_views.task_status, name="task_status"),
    path("kinerja/<isodate:day>/", performance_views.report_page, name="report_edit"),
    # the check-in map (leaders, HR admins, inspectors, unit heads)
    path("peta/", map_views.map_page, name="map"),
    path("peta/data/", map_views.map_data, name="map_data"),
    # roll call (apel)
    path("apel/", rollcall_views.rollcall_list, name="rollcall_list"),
    path("apel/<int:rollcall_id>/", rollcall_views.rollcall_report, name="rollcall_report"),
    path("apel/<int:rollcall_id>/hadir/", rollcall_views.rollcall_mark, name="rollcall_mark"),
    path("apel/<int:rollcall_id>/isi/", rollcall_views.rollcall_prefill, name="rollcall_prefill"),
    path("apel/<int:rollcall_id>/papan/", rollcall_views.rollcall_board, name="rollcall_board"),
    path(
        "apel/<int:rollcall_id>/papan/baris/",
        rollcall_views.rollcall_board_rows,
        name="rollcall_board_rows",
    ),
    path(
        "apel/<int:rollcall_id>/opd/<int:unit_id>/konfirmasi/",
        rollcall_views.rollcall_confirm,
        name="rollcall_confirm",
    ),
    path(
        "apel/<int:rollcall_id>/opd/<int:unit_id>/koreksi/",
        rollcall_views.rollcall_correct,
        name="rollcall_correct",
    ),
    # TPP statements, duty-to-examine alerts, monthly rewards (discipline)
    path("tpp/", discipline_views.tpp_mine, name="tpp_mine"),
    path("tpp/unit/", discipline_views.tpp_unit, name="tpp_unit"),
    path("tpp/pegawai/<str:nip>/", discipline_views.tpp_employee, name="tpp_employee"),
    path("disiplin/peringatan/", discipline_views.discipline_alerts, name="discipline_alerts"),
    path(
        "disiplin/peringatan/<int:alert_id>/tindak-lanjut/",
        discipline_views.discipline_alert_ack,
        name="discipline_alert_ack",
    ),
    path("penghargaan/", discipline_views.rewards_page, name="rewards"),
    path(
        "penghargaan/sertifikat/<str:category>/<int:year>/<int:month>/",
        certificate_views.reward_certificate,
        name="reward_certificate",
    ),
    # the inspector's review of flagged check-ins (verification)
    path("verifikasi/", verification_review_views.verification_queue, name="verification_queue"),
    path(
        "verifikasi/keputusan/",
        verification_review_views.verification_decisions,
        name="verification_decisions",
    ),
    path(
        "verifikasi/<int:check_in_id>/putusan/",
        verification_review_views.verification_decide,
        name="verification_decide",
    ),
    path(
        "verifikasi/rujukan/<int:reference_id>/",
        verification_review_views.review_reference_image,
        name="review_reference_image",
    ),
    # surprise inspections (sidak)
    path("sidak/", inspection_views.inspections, name="inspections"),
    path("sidak/baru/", inspection_views.inspection_new, name="inspection_new"),
    path(
        "sidak/<int:inspection_id>/", inspection_views.inspection_detail, name="inspection_detail"
    ),
    path(
        "sidak/<int:inspection_id>/simpan/",
        inspection_views.inspection_save,
        name="inspection_save",
    ),
    path(
        "sidak/<int:inspection_id>/tutup/",
        inspection_views.inspection_finish,
        name="inspection_close",
    ),
    # verification: devices and the office QR kiosk
    path("verifikasi/perangkat/", device_views.devices_page, name="devices"),
    path(
        "verifikasi/perangkat/<int:device_id>/putusan/",
        device_views.device_decide,
        name="device_decide",
    ),
    path("verifikasi/kios/", kiosk_views.kiosks_page, name="kiosks"),
    path("verifikasi/kios/<int:office_id>/tautan/", kiosk_views.kiosk_link, name="kiosk_link"),
    path("kios/<int:office_id>/<str:key>/", kiosk_views.kiosk_page, name="kiosk"),
    path("kios/<int:office_id>/<str:key>/kode/", kiosk_views.kiosk_code, name="kiosk_code"),
    # verification: face enrolment (HR's reference photos)
    path("verifikasi/wajah/", face_views.face_enrolment, name="face_enrolment"),
    path("verifikasi/wajah/foto/<int:reference_id>/", face_views.face_image, name="face_image"),
    path(
        "verifikasi/wajah/rujukan/<int:reference_id>/putusan/",
        face_views.face_decide,
        name="face_decide",
    ),
    path("verifikasi/wajah/<str:nip>/", face_views.face_employee, name="face_employee"),
    path("verifikasi/wajah/<str:nip>/unggah/", face_views.face_upload, name="face_upload"),
    # the privacy notice: open to everyone, linked from the login and check-in pages
    path("privasi/", privacy_notice_views.privacy_notice, name="privacy_notice"),
    # the access log of personal data: HR and inspectors search it, employees see their own
    path("privasi/akses/", privacy_access_views.access_search, name="access_log"),
    path("privasi/akses-saya/", privacy_access_views.access_mine, name="access_mine"),
    # subject exports (own data as a ZIP) and the retention purge log
    path("profil/data-saya/", privacy_export_views.my_data_page, name="privacy_my_data"),
    path(
        "profil/data-saya/mulai/",
        privacy_export_views.my_data_start,
        name="privacy_my_data_start",
    ),
    path("privasi/ekspor/", privacy_export_views.hr_export_page, name="privacy_hr_export"),
    path(
        "privasi/ekspor/status/<str:job_id>/",
        privacy_export_views.export_job_view,
        name="privacy_export_job",
    ),
    path(
        "privasi/ekspor/unduh/<str:job_id>/",
        privacy_export_views.export_download,
        name="privacy_export_download",
    ),
    path("privasi/retensi/", privacy_purge_views.retention_page, name="privacy_retention"),
    path(
        "privasi/retensi/uji/",
        privacy_purge_views.retention_dry_run,
        name="privacy_retention_dry_run",
    ),
]
