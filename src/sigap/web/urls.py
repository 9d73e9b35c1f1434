from django.urls import path

import sigap.web.roster_views as roster_views
from sigap.web import attendance_views, views

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
]
