"""The discipline pages: the monthly TPP statement (/tpp/, /tpp/pegawai/<nip>/) with its
lines, totals and the very table used; the unit list (/tpp/unit/: scope, sort, bounded
queries); the duty-to-examine alerts and their acknowledgement (/disiplin/peringatan/);
the monthly rewards (/penghargaan/) and the dashboard's card; the menu links.

A small WITA agency, frozen at Tuesday 24 November 2026 09:00: October is locked (its
clarification deadline has passed), November is open."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from sigap.attendance.labels import CODE_LEGEND
from sigap.discipline.ladder import ladder_scan
from sigap.discipline.models import DisciplineAlert, TppStatement
from sigap.discipline.tables import default_version
from sigap.org.models import Agency, Employee, Role, Unit
from sigap.web.discipline_views import common
from tests.discipline.conftest import day
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MINE = "/tpp/"
UNIT = "/tpp/unit/"
ALERTS = "/disiplin/peringatan/"
REWARDS = "/penghargaan/"
NOV = "2026-11"


def id_(msgid: str) -> str:
    """The Indonesian the page shows for an English msgid."""
    with translation.override("id"):
        return translation.gettext(msgid)


@dataclass
class Org:
    agency: Agency
    opd: Unit
    other_opd: Unit
    head: Employee
    other_head: Employee
    boss: Employee
    staff: list[Employee]
    outsider: Employee  # in the other OPD
    hr: Employee
    foreign: Employee  # another agency


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db, freeze) -> Org:
    freeze(2026, 11, 24, 9, 0)
    agency = AgencyFactory(code="disiplin-web", name="Pemkab Disiplin")
    opd = UnitFactory(agency=agency, code="DINAS-A", name="Dinas A")
    other = UnitFactory(agency=agency, code="DINAS-B", name="Dinas B")
    OfficeFactory(agency=agency).units.add(opd, other)
    head = EmployeeFactory(agency=agency, unit=opd, name="Kepala Dinas A")
    other_head = EmployeeFactory(agency=agency, unit=other, name="Kepala Dinas B")
    for unit, person in ((opd, head), (other, other_head)):
        unit.head = person
        unit.save(update_fields=["head"])
    boss = EmployeeFactory(agency=agency, unit=opd, name="Atasan", supervisor=head)
    staff = [
        EmployeeFactory(agency=agency, unit=opd, name=f"Staf {n}", supervisor=boss)
        for n in range(1, 4)
    ]
    outsider = EmployeeFactory(agency=agency, unit=other, name="Orang Dinas B")
    hr = EmployeeFactory(agency=agency, unit=other, name="Admin BKPSDM")
    RoleFactory(user=hr.user, agency=agency, role=Role.HR_ADMIN)
    foreign = EmployeeFactory(name="Orang Lain")
    return Org(agency, opd, other, head, other_head, boss, staff, outsider, hr, foreign)


@pytest.fixture
def november(org) -> Org:
    """Staf 1: a TK day (4 %) and a TL2 day (1 %); Staf 2 and 3: present and on time."""
    day(org.staff[0], dt.date(2026, 11, 2), "TK")
    day(org.staff[0], dt.date(2026, 11, 3), "TL2", late=40)
    for person in org.staff[1:]:
        for date in (dt.date(2026, 11, 2), dt.date(2026, 11, 3)):
            day(person, date, "HADIR")
    return org


def statement_url(employee, month=NOV) -> str:
    return f"{reverse('web:tpp_employee', args=[employee.nip])}?month={month}"


def section(body: str, element_id: str) -> str:
    start = body.index(f'id="{element_id}"')
    return body[start : body.index("</section>", start)]


# --- the statement ---------------------------------------------------------------------------


def test_my_statement_lists_every_line_and_the_totals(client, november):
    client.force_login(november.staff[0].user)
    response = client.get(MINE)  # default: this month
    assert response.status_code == 200
    body = response.content.decode()
    statement = TppStatement.objects.get(employee=november.staff[0])
    assert (statement.year, statement.month) == (2026, 11)
    lines = section(body, "tpp-lines")
    assert "02-11-2026" in lines and "03-11-2026" in lines
    assert capfirst(id_("absent without a valid reason")) in lines
    with translation.override("id"):
        assert str(CODE_LEGEND["TL2"]) in lines
    assert re.search(r">TK</span>.*?<td class=\"num\">4,00</td>", lines, re.S)
    assert re.search(
        r">TL2</span>.*?<td class=\"num\">40</td>\s*<td class=\"num\">1,00</td>", lines, re.S
    )
    totals = section(body, "tpp-result")
    assert "5,00 %" in totals  # the lines and the deduction
    assert "57,00 %" in totals  # 60 x 95 %
    assert "TK\u00d71, TL2\u00d71" in totals
    final = f"{statement.final_pct:.2f}".replace(".", ",")
    assert f'<strong id="tpp-final">{final} %</strong>' in body
    assert 'width="57.00"' in totals and 'x="60.00"' in totals  # the SVG bar, dots not commas
    assert id_("Provisional") in section(body, "tpp-status")
    assert "<script" not in body[body.index("<main") :]


def test_the_box_lists_the_table_that_computed_the_month(client, org):
    version = default_version(
        agency=org.agency, effective_from=dt.date(2026, 11, 1), name="Perbup 12 Tahun 2026"
    )
    version.absent_rate = 5
    version.convert_minutes = False
    version.save()
    day(org.staff[0], dt.date(2026, 11, 2), "TK")
    client.force_login(org.staff[0].user)
    body = client.get(MINE, {"month": NOV}).content.decode()
    start = body.index('id="tpp-how"')
    how = body[start : body.index("</details>", start)]
    assert "Perbup 12 Tahun 2026" in how and "01-11-2026" in how
    assert re.search(r"TK\)</dt><dd>5,00 %", how)
    assert "31–60" in how and "91–…" in how  # the bands with their minutes
    assert id_("off") in how  # the 7.5-hour rule
    assert re.search(r">TK</span>.*?<td class=\"num\">5,00</td>", section(body, "tpp-lines"), re.S)
    # the table changes later: the frozen snapshot is what the page explains
    statement = TppStatement.objects.get(employee=org.staff[0])
    version.absent_rate = 7
    version.save()
    assert statement.table["absent_rate"] == "5.00"
    assert "5,00 %" in client.get(MINE, {"month": NOV}).content.decode()


def test_the_deduction_is_capped_as_the_table_says(client, org):
    version = default_version(agency=org.agency, effective_from=dt.date(2026, 1, 1), name="Perbup")
    version.cap = 10
    version.save()
    for date in (dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)):
        day(org.staff[0], date, "TK")
    client.force_login(org.staff[0].user)
    totals = section(client.get(MINE).content.decode(), "tpp-result")
    assert "12,00 %" in totals and "10,00 %" in totals  # 3 x 4 %, capped at 10 %
    with translation.override("id"):
        assert translation.gettext("capped at %(cap)s %%") % {"cap": "10"} in totals
    assert "54,00 %" in totals  # 60 x 90 %


def test_a_locked_month_is_frozen_with_its_date(client, org):
    day(org.staff[0], dt.date(2026, 10, 5), "TK")
    client.force_login(org.staff[0].user)
    body = client.get(MINE, {"month": "2026-10"}).content.decode()
    status = section(body, "tpp-status")
    assert id_("Final") in status and "24 November 2026" in status
    assert TppStatement.objects.get(employee=org.staff[0], month=10).frozen_at is not None
    assert 'href="?month=2026-11"' in body  # next: November
    november = client.get(MINE).content.decode()
    assert 'href="?month=2026-10"' in november and 'rel="next"' not in november


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff0", 200),
        ("boss", 200),
        ("head", 200),
        ("hr", 200),
        ("staff1", 403),
        ("outsider", 403),
        ("other_head", 403),
        ("foreign", 404),
    ],
)
def test_who_sees_a_statement(client, november, who, status):
    people = {
        "staff0": november.staff[0],
        "staff1": november.staff[1],
        "boss": november.boss,
        "head": november.head,
        "hr": november.hr,
        "outsider": november.outsider,
        "other_head": november.other_head,
        "foreign": november.foreign,
    }
    client.force_login(people[who].user)
    response = client.get(statement_url(november.staff[0]))
    assert response.status_code == status
    if status == 200:
        assert november.staff[0].name in response.content.decode()


def test_another_agencys_nip_and_an_unknown_nip_are_404(client, november):
    client.force_login(november.hr.user)
    assert client.get(statement_url(november.foreign)).status_code == 404
    assert client.get(reverse("web:tpp_employee", args=["199001012020011001"])).status_code == 404
    client.force_login(UserFactory())  # no employee record
    assert client.get(MINE).status_code == 404


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "november", "2027-01", "1999-12"])
def test_a_bad_month_is_a_400_page_and_computes_nothing(client, november, bad):
    client.force_login(november.head.user)
    for url in (MINE, statement_url(november.staff[0], bad), UNIT, REWARDS):
        response = client.get(url, {"month": bad})
        assert response.status_code == 400, url
        assert 'id="bad-request"' in response.content.decode()
    assert not TppStatement.objects.exists()


def test_anonymous_goes_to_sign_in(client, org):
    for url in (MINE, UNIT, ALERTS, REWARDS, statement_url(org.staff[0])):
        assert client.get(url).status_code == 302


# --- the unit list ---------------------------------------------------------------------------


def table_names(body: str) -> list[str]:
    table = body[body.index('id="tpp-unit-table"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<a href="/tpp/pegawai/\d+/\?month=[\d-]+">([^<]+)</a>', table)


def test_a_unit_head_sees_their_opd_sorted_by_final(client, november):
    client.force_login(november.head.user)
    response = client.get(UNIT, {"month": NOV})
    assert response.status_code == 200
    body = response.content.decode()
    assert table_names(body) == ["Atasan", "Kepala Dinas A", "Staf 1", "Staf 2", "Staf 3"]
    row = re.search(
        r"<tr>\s*<td class=\"mono\">" + november.staff[0].nip + r"</td>.*?</tr>", body, re.S
    )[0]
    assert "5,00" in row and "TK\u00d71, TL2\u00d71" in row and id_("Provisional") in row
    statement = TppStatement.objects.get(employee=november.staff[0])
    assert f"<strong>{statement.final_pct:.2f}</strong>".replace(".", ",") in row
    lowest = table_names(client.get(UNIT, {"month": NOV, "sort": "final"}).content.decode())
    assert lowest[0] == "Staf 1"
    highest = table_names(client.get(UNIT, {"month": NOV, "sort": "-final"}).content.decode())
    assert highest[-1] == "Staf 1"
    assert client.get(UNIT, {"unit": november.other_opd.pk}).status_code == 403
    assert client.get(UNIT, {"unit": UnitFactory().pk}).status_code == 404


def test_hr_picks_any_unit_and_starts_with_the_first_opd(client, november):
    client.force_login(november.hr.user)
    body = client.get(UNIT, {"month": NOV}).content.decode()
    assert "Dinas A" in body[: body.index('id="tpp-pick"')]  # DINAS-A comes first
    assert len(table_names(body)) == 5
    other = client.get(UNIT, {"unit": november.other_opd.pk, "month": NOV}).content.decode()
    assert table_names(other) == ["Admin BKPSDM", "Kepala Dinas B", "Orang Dinas B"]


def test_a_supervisor_sees_their_direct_subordinates(client, november):
    client.force_login(november.boss.user)
    body = client.get(UNIT, {"month": NOV}).content.decode()
    assert table_names(body) == ["Staf 1", "Staf 2", "Staf 3"]
    assert client.get(UNIT, {"unit": november.opd.pk}).status_code == 403


@pytest.mark.parametrize("who", ["staff", "outsider", "leader"])
def test_anyone_else_is_refused_the_unit_list(client, november, who):
    if who == "leader":
        user = UserFactory()
        RoleFactory(user=user, agency=november.agency, role=Role.LEADER)
    else:
        user = (november.staff[0] if who == "staff" else november.outsider).user
    client.force_login(user)
    assert client.get(UNIT).status_code == 403
    assert client.get(UNIT, {"unit": "team"}).status_code == 403


def test_the_unit_list_queries_do_not_grow_with_the_rows(client, november):
    client.force_login(november.boss.user)
    url = f"{UNIT}?unit=team&month={NOV}"
    client.get(url)  # computes and stores
    with CaptureQueriesContext(connection) as few:
        assert len(table_names(client.get(url).content.decode())) == 3
    for n in range(7):
        EmployeeFactory(
            agency=november.agency, unit=november.opd, supervisor=november.boss, name=f"Baru {n}"
        )
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        assert len(table_names(client.get(url).content.decode())) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the alerts ------------------------------------------------------------------------------


@pytest.fixture
def alert(org) -> DisciplineAlert:
    for date in (dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)):
        day(org.staff[0], date, "TK")
    return ladder_scan(agency=org.agency)[0]


def ack_url(alert) -> str:
    return reverse("web:discipline_alert_ack", args=[alert.pk])


def test_the_supervisor_sees_the_alert_to_examine(client, org, alert):
    client.force_login(org.boss.user)
    body = client.get(ALERTS).content.decode()
    waiting = section(body, "alerts-open")
    assert f'id="alert-{alert.pk}"' in waiting and "Staf 1" in waiting
    assert id_("verbal warning") in waiting and id_("light") in waiting
    assert f'action="{ack_url(alert)}"' in waiting and 'name="note"' in waiting
    assert "csrfmiddlewaretoken" in waiting
    assert id_("Recommendation") in waiting
    assert "PP 94/2021" in body[: body.index('id="alerts-open"')]  # recommends, never imposes
    history = section(body, "alerts-history")
    assert f'id="history-{alert.pk}"' in history and "24-11-2026" in history
    # the employee sees their own alert in the history, with nothing to examine
    client.force_login(org.staff[0].user)
    own = client.get(ALERTS).content.decode()
    assert f'id="alert-{alert.pk}"' not in own and f'id="history-{alert.pk}"' in own
    client.force_login(org.outsider.user)
    assert f'id="history-{alert.pk}"' not in client.get(ALERTS).content.decode()


def test_acknowledging_an_alert(client, org, alert):
    client.force_login(org.boss.user)
    empty = client.post(ack_url(alert), {"note": "  "})
    assert empty.status_code == 422
    message = id_("Write what you examined or decided (at least 5 characters).")
    assert message in empty.content.decode()
    done = client.post(ack_url(alert), {"note": "Sudah dipanggil dan diperiksa."}, follow=True)
    assert done.redirect_chain == [(ALERTS, 302)]
    body = done.content.decode()
    assert id_("Recorded: you examined the alert about %(name)s.") % {"name": "Staf 1"} in body
    history = section(body, "alerts-history")
    assert "Atasan, 24-11-2026 09:00" in history and "Sudah dipanggil dan diperiksa." in history
    alert.refresh_from_db()
    assert alert.acknowledged_by == org.boss and alert.note == "Sudah dipanggil dan diperiksa."
    client.force_login(org.hr.user)
    again = client.post(ack_url(alert), {"note": "Sekali lagi."})
    assert again.status_code == 409
    assert id_("This alert was already acknowledged.") in again.content.decode()


def test_strangers_cannot_acknowledge(client, org, alert):
    client.force_login(org.outsider.user)  # cannot even see it
    assert client.post(ack_url(alert), {"note": "Bukan bawahan saya."}).status_code == 404
    client.force_login(org.staff[0].user)  # sees it (their own), may not acknowledge
    refused = client.post(ack_url(alert), {"note": "Saya sendiri."})
    assert refused.status_code == 403
    assert id_("You may not acknowledge this alert.") in refused.content.decode()
    client.force_login(org.boss.user)
    assert client.get(ack_url(alert)).status_code == 405
    assert (
        client.post(
            reverse("web:discipline_alert_ack", args=[999999]), {"note": "x" * 9}
        ).status_code
        == 404
    )
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_needs_the_csrf_token(org, alert):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.boss.user)
    assert client.post(ack_url(alert), {"note": "Sudah diperiksa."}).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# --- the rewards -----------------------------------------------------------------------------


def test_the_rewards_page_ranks_people_and_opds(client, november):
    client.force_login(november.outsider.user)
    response = client.get(REWARDS, {"month": NOV})
    assert response.status_code == 200
    body = response.content.decode()
    perfect = section(body, "reward-perfect_attendance")
    assert "Staf 2" in perfect and "Staf 3" in perfect and "Staf 1" not in perfect
    rate = section(body, "reward-attendance_rate")
    assert "Dinas A" in rate and "83,33 %" in rate  # 5 days present of 6
    assert 'width="83.33"' in rate  # the bar, dots not commas
    assert 'rel="next"' not in body  # November is this month


def test_the_rewards_default_to_last_month_and_need_an_agency(client, org):
    day(org.staff[1], dt.date(2026, 10, 5), "HADIR")
    client.force_login(org.staff[0].user)
    body = client.get(REWARDS).content.decode()
    with translation.override("id"):
        assert translation.gettext("Rewards") + " · Oktober 2026" in body
    assert "Staf 2" in section(body, "reward-perfect_attendance")
    assert 'href="?month=2026-11"' in body
    client.force_login(UserFactory())
    assert client.get(REWARDS).status_code == 403


def test_without_the_certificate_page_the_rankings_still_render(client, november, monkeypatch):
    monkeypatch.setattr(common, "CERTIFICATE_URL", "web:no_such_page")
    client.force_login(november.staff[1].user)
    response = client.get(REWARDS, {"month": NOV})
    assert response.status_code == 200
    assert 'class="certificate"' not in response.content.decode()


def test_each_winner_gets_their_own_certificate_link(client, november, monkeypatch):
    real_reverse = common.reverse

    def fake_reverse(name, *args, **kwargs):
        if name == common.CERTIFICATE_URL:
            k = kwargs["kwargs"]
            return f"/sertifikat/{k['category']}/{k['year']}/{k['month']}/"
        return real_reverse(name, *args, **kwargs)

    monkeypatch.setattr(common, "reverse", fake_reverse)
    day(november.outsider, dt.date(2026, 11, 2), "HADIR")  # Dinas B: 50 %, second
    day(november.outsider, dt.date(2026, 11, 3), "TK")
    client.force_login(november.staff[1].user)
    body = client.get(REWARDS, {"month": NOV}).content.decode()
    perfect = section(body, "reward-perfect_attendance")
    for person in november.staff[1:]:  # tied first: one certificate each
        assert f'href="/sertifikat/perfect_attendance/2026/11/?key={person.pk}"' in perfect
    rate = section(body, "reward-attendance_rate")
    assert f'href="/sertifikat/attendance_rate/2026/11/?key={november.opd.pk}"' in rate
    assert "Dinas B" in rate and f"?key={november.other_opd.pk}" not in rate  # second: none


def test_the_dashboard_shows_last_months_best(client, org):
    for date in (dt.date(2026, 10, 5), dt.date(2026, 10, 6)):
        day(org.staff[1], date, "HADIR")
    day(org.outsider, dt.date(2026, 10, 5), "TK")
    client.force_login(org.hr.user)
    body = client.get("/dasbor/").content.decode()
    card = section(body, "best-of-last-month")
    assert "Dinas A" in card and "Staf 2" in card and "Dinas B" not in card
    assert 'href="/penghargaan/?month=2026-10"' in card


# --- the menu --------------------------------------------------------------------------------


def test_the_menu_links(client, org):
    client.force_login(org.staff[0].user)
    menu = client.get("/").content.decode()
    assert 'id="nav-tpp"' in menu and 'id="nav-rewards"' in menu
    assert "nav-tpp-unit" not in menu and "nav-alerts" not in menu
    client.force_login(org.boss.user)
    menu = client.get("/").content.decode()
    assert 'id="nav-tpp-unit"' in menu and 'id="nav-alerts"' in menu
    client.force_login(org.hr.user)
    menu = client.get("/").content.decode()
    assert 'id="nav-tpp-unit-agency"' in menu and 'id="nav-alerts-agency"' in menu
