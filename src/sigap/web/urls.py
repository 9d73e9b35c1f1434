from django.urls import path

from sigap.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.sign_in, name="login"),
    path("keluar/", views.sign_out, name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/kata-sandi/", views.password_change, name="password_change"),
]
