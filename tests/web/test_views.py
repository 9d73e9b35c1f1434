"""Pages: sign-in, home per role, profile, password change, language."""

import pytest
from django.urls import reverse

from sigap.org.models import Role
from tests.factories import PASSWORD, EmployeeFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return EmployeeFactory(name="Nurhayati Baso")


def sign_in(client, login, password=PASSWORD):
    return client.post(reverse("web:login"), {"username": login, "password": password})


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_page_is_indonesian_by_default(client):
    response = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Masuk" in response.content.decode()


def test_sign_in_by_nip_lands_on_home(client, person):
    response = sign_in(client, person.nip)
    assert response.status_code == 302
    home = client.get("/")
    assert "Nurhayati Baso" in home.content.decode()


def test_wrong_password_shows_error(client, person):
    response = sign_in(client, person.nip, "salah-sekali")
    assert response.status_code == 401
    assert 'role="alert"' in response.content.decode()


def test_lockout_on_the_web_form(client, person, settings):
    settings.SIGAP_LOGIN_MAX_FAILURES_ACCOUNT = 2
    sign_in(client, person.nip, "x")
    sign_in(client, person.nip, "y")
    response = sign_in(client, person.nip)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_open_redirect_is_ignored(client, person):
    response = client.post(
        reverse("web:login") + "?next=https://evil.example/",
        {"username": person.nip, "password": PASSWORD},
    )
    assert response["Location"] == "/"


def test_home_shows_cards_per_role(client, person):
    RoleFactory(user=person.user, agency=person.agency, role=Role.HR_ADMIN)
    client.force_login(person.user)
    html = client.get("/").content.decode()
    assert 'id="card-employee"' in html
    assert 'id="card-hr"' in html
    assert 'id="card-leader"' not in html


def test_profile_shows_own_data(client, person):
    client.force_login(person.user)
    html = client.get(reverse("web:profile")).content.decode()
    assert person.nip in html
    assert person.unit.name in html


def test_password_change(client, person):
    client.force_login(person.user)
    response = client.post(
        reverse("web:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mamuju-baru-2026!",
            "new_password2": "Mamuju-baru-2026!",
        },
    )
    assert response.status_code == 302
    person.user.refresh_from_db()
    assert person.user.check_password("Mamuju-baru-2026!")


def test_password_change_refuses_weak_password(client, person):
    client.force_login(person.user)
    response = client.post(
        reverse("web:password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    person.user.refresh_from_db()
    assert person.user.check_password(PASSWORD)


def test_logout_needs_post(client, person):
    client.force_login(person.user)
    assert client.get(reverse("web:logout")).status_code == 405
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_english_switch(client, person):
    client.force_login(person.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Welcome" in html


def test_pages_send_a_strict_csp(client):
    response = client.get(reverse("web:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_admin_is_scoped_to_the_hr_admins_agency(client, person):
    other = EmployeeFactory(name="Orang Kabupaten Lain")
    person.user.is_staff = True
    person.user.is_superuser = False
    person.user.save()
    RoleFactory(user=person.user, agency=person.agency, role=Role.HR_ADMIN)
    from django.contrib.auth.models import Permission

    person.user.user_permissions.set(Permission.objects.filter(content_type__app_label="org"))
    client.force_login(person.user)
    html = client.get("/admin/org/employee/").content.decode()
    assert person.name in html
    assert other.name not in html
    assert client.get(f"/admin/org/employee/{other.pk}/change/").status_code in (302, 404)
