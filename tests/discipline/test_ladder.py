"""The PP 94/2021 ladder: yearly unexcused days (TK + 7.5-hour conversions) and 10
consecutive working days raise duty-to-examine alerts to the direct supervisor, once per
rung; acknowledgement is recorded; unacknowledged alerts escalate after 5 working days."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from sigap.core.models import Notification
from sigap.discipline.ladder import alert_acknowledge, alerts_escalate, ladder_scan
from sigap.discipline.models import DisciplineAlert
from tests.discipline.conftest import day

pytestmark = pytest.mark.django_db


def workdays(start: dt.date, count: int) -> list[dt.date]:
    found, current = [], start
    while len(found) < count:
        if current.weekday() < 5:
            found.append(current)
        current += dt.timedelta(days=1)
    return found


def rungs(employee) -> list[tuple[int, bool, str]]:
    rows = DisciplineAlert.objects.filter(employee=employee).order_by("consecutive", "threshold")
    return list(rows.values_list("threshold", "consecutive", "sanction"))


def test_thresholds_raise_one_alert_each_to_the_supervisor(
    org, freeze, django_capture_on_commit_callbacks
):
    freeze(2026, 11, 24, 9, 0)
    person = org.staff[0]
    for date in (dt.date(2026, 10, 5), dt.date(2026, 10, 7), dt.date(2026, 10, 9)):
        day(person, date, "TK")
    with django_capture_on_commit_callbacks(execute=True):
        raised = ladder_scan(agency=org.agency)
    assert [(a.employee_id, a.threshold) for a in raised] == [(person.pk, 3)]
    alert = DisciplineAlert.objects.get(employee=person)
    assert (alert.level, alert.sanction, alert.supervisor) == ("light", "verbal_warning", org.boss)
    assert Notification.objects.filter(user=org.boss.user, kind="discipline").count() == 1
    assert ladder_scan(agency=org.agency) == []  # idempotent
    day(person, dt.date(2026, 11, 2), "TK")
    ladder_scan(agency=org.agency)
    assert rungs(person) == [(3, False, "verbal_warning"), (4, False, "written_warning")]


def test_late_minutes_convert_at_seven_and_a_half_hours(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    person = org.staff[1]
    day(person, dt.date(2026, 10, 5), "TK")
    day(person, dt.date(2026, 10, 6), "TK")
    for date in workdays(dt.date(2026, 11, 2), 5):  # 5 x 89 = 445 minutes: not yet a day
        day(person, date, "TL3", late=89)
    ladder_scan(agency=org.agency)
    assert rungs(person) == []
    day(person, dt.date(2026, 11, 9), "TL1", late=5)  # 450 minutes: one more day -> 3
    ladder_scan(agency=org.agency)
    assert rungs(person) == [(3, False, "verbal_warning")]


def test_ten_consecutive_working_days_across_a_weekend(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    person = org.staff[2]
    nine = workdays(dt.date(2026, 11, 2), 9)  # Mon 2 .. Thu 12 November (an open month)
    for date in nine:
        day(person, date, "TK")
    day(person, dt.date(2026, 11, 7), "LIBUR")  # the weekend neither counts nor breaks
    ladder_scan(agency=org.agency)
    assert (10, True, "discharge_consecutive") not in rungs(person)
    day(person, dt.date(2026, 11, 13), "TK")  # the tenth working day in a row
    ladder_scan(agency=org.agency)
    alert = DisciplineAlert.objects.get(employee=person, consecutive=True)
    assert (alert.threshold, alert.level, alert.reached_on) == (10, "heavy", dt.date(2026, 11, 13))
    assert [r[0] for r in rungs(person) if not r[1]] == [3, 4, 7]


def test_a_present_day_breaks_the_run(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    person = org.staff[2]
    days = workdays(dt.date(2026, 10, 5), 11)
    for date in days:
        day(person, date, "TK")
    day(person, days[5], "HADIR")  # 5 + 5 TK around a present day
    ladder_scan(agency=org.agency)
    assert not DisciplineAlert.objects.filter(employee=person, consecutive=True).exists()


def test_acknowledgement_is_recorded_and_refused_to_others(org, freeze):
    freeze(2026, 11, 24, 9, 0)
    person = org.staff[0]
    for date in workdays(dt.date(2026, 10, 5), 3):
        day(person, date, "TK")
    alert = ladder_scan(agency=org.agency)[0]
    with pytest.raises(Forbidden):
        alert_acknowledge(user=person.user, alert_id=alert.pk, note="Saya sudah paham.")
    with pytest.raises(NotFound):
        alert_acknowledge(user=org.outsider.user, alert_id=alert.pk, note="Bukan urusan saya.")
    with pytest.raises(NotFound):
        alert_acknowledge(user=org.foreign.user, alert_id=alert.pk, note="Instansi lain.")
    with pytest.raises(InvalidInput):
        alert_acknowledge(user=org.boss.user, alert_id=alert.pk, note="  ")
    done = alert_acknowledge(
        user=org.boss.user, alert_id=alert.pk, note="Dipanggil, pemeriksaan 25-11."
    )
    assert done.acknowledged_by == org.boss and done.acknowledged_at is not None
    assert DisciplineAlert.objects.get(pk=alert.pk).note == "Dipanggil, pemeriksaan 25-11."
    with pytest.raises(Conflict):
        alert_acknowledge(user=org.hr.user, alert_id=alert.pk, note="Sekali lagi.")


def test_an_unacknowledged_alert_escalates_after_five_working_days(
    org, freeze, django_capture_on_commit_callbacks
):
    freeze(2026, 11, 24, 9, 0)  # a Tuesday
    person = org.staff[0]
    for date in workdays(dt.date(2026, 10, 5), 3):
        day(person, date, "TK")
    ladder_scan(agency=org.agency)
    freeze(2026, 11, 30, 9, 0)  # four working days later
    assert alerts_escalate(agency=org.agency) == 0
    freeze(2026, 12, 1, 9, 0)  # the fifth
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_escalate(agency=org.agency) == 1
    told = set(Notification.objects.filter(kind="discipline").values_list("user_id", flat=True))
    assert {org.head.user_id, org.hr.user_id} <= told
    assert alerts_escalate(agency=org.agency) == 0  # once
