"""What health registers with sigap.privacy: the retention rule (dry run counts, the real
run deletes exactly what is due, rows and files), the subject export section, the breach
category."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage

from sigap.core import clock
from sigap.health import services
from sigap.health.models import Declaration, HealthTest, ScreeningReminder, WfhSuggestion
from sigap.privacy.registry import breach_categories, retention_rules, subject_sections
from sigap.privacy.rules import RetentionSettings
from tests.factories import EmployeeFactory
from tests.health.conftest import MONDAY, PDF

pytestmark = pytest.mark.django_db
OLD = MONDAY - dt.timedelta(days=400)


def _rule(key):
    return next(r for r in retention_rules() if r.key == key)


def _doc():
    handle = io.BytesIO(PDF)
    handle.name = "hasil.pdf"
    return handle


def _declaration(employee, day, **extra):
    now = clock.now()
    return Declaration.objects.create(
        employee=employee,
        date=day,
        symptoms=extra.get("symptoms", []),
        flagged=bool(extra.get("symptoms")),
        threshold_c=37.5,
        rule_version="health-1",
        created_at=now,
        updated_at=now,
    )


def _test(world, employee, day, result="negative"):
    test = services.health_test_record(
        user=world.hr.user,
        employee=employee,
        kind="pcr",
        taken_on=MONDAY,
        result=result,
        document=_doc(),
    )
    HealthTest.objects.filter(pk=test.pk).update(taken_on=day)
    return HealthTest.objects.get(pk=test.pk)


@pytest.fixture
def held(world):
    """Due (older than 365 days): a flagged declaration with its suggestion, a test with its
    file, a reminder. Kept: last month's, the boundary day's successor, another agency's."""
    old_flag = _declaration(world.staff, OLD, symptoms=["fever"])
    WfhSuggestion.objects.create(
        employee=world.staff, declaration=old_flag, days=[], created_at=clock.now()
    )
    old_test = _test(world, world.desk, OLD)
    ScreeningReminder.objects.create(employee=world.desk, key="overdue:never", sent_on=OLD)
    boundary = MONDAY - dt.timedelta(days=365)  # exactly 365 days: due
    _declaration(world.colleague, boundary)
    recent = _declaration(world.staff, MONDAY - dt.timedelta(days=30))
    recent_test = _test(world, world.desk2, MONDAY - dt.timedelta(days=364))  # not yet
    other_agency = _declaration(world.outsider, OLD)
    return {
        "old_test": old_test,
        "keep": {recent.pk, other_agency.pk},
        "recent_test": recent_test,
    }


def test_the_rule_is_registered():
    assert "health" in {r.key for r in retention_rules()}
    assert "health" in dict(subject_sections())
    assert "health" in breach_categories()


def test_dry_run_counts_and_deletes_nothing(world, held):
    count = _rule("health").run(world.agency, MONDAY, RetentionSettings(), True)
    assert (count.rows, count.files) == (4, 1)  # 2 declarations, 1 test, 1 reminder
    assert Declaration.objects.count() == 4 and HealthTest.objects.count() == 2
    assert default_storage.exists(held["old_test"].document.name)


def test_real_run_deletes_exactly_what_is_due(world, held):
    old_file = held["old_test"].document.name
    kept_file = held["recent_test"].document.name
    count = _rule("health").run(world.agency, MONDAY, RetentionSettings(), False)
    assert (count.rows, count.files) == (4, 1)
    assert set(Declaration.objects.values_list("pk", flat=True)) == held["keep"]
    assert list(HealthTest.objects.values_list("pk", flat=True)) == [held["recent_test"].pk]
    assert not ScreeningReminder.objects.exists()
    assert not WfhSuggestion.objects.filter(
        declaration__isnull=False
    ).exists()  # went with its cause
    assert not default_storage.exists(old_file)
    assert default_storage.exists(kept_file)
    again = _rule("health").run(world.agency, MONDAY, RetentionSettings(), False)
    assert (again.rows, again.files) == (0, 0)


def test_a_shorter_setting_purges_more(world, held):
    count = _rule("health").run(world.agency, MONDAY, RetentionSettings(health_days=30), True)
    assert count.rows == 6  # + last month's declaration and the 364-day-old test


def test_export_has_the_persons_rows_and_documents_only(world, held):
    section = dict(subject_sections())["health"](world.desk)
    assert [(r["record"], r["date"]) for r in section.rows] == [
        ("test", OLD.isoformat()),
    ]
    row = section.rows[0]
    assert (
        row["result"] == "negative" and row["document"] == f"health/test-{held['old_test'].pk}.pdf"
    )
    assert list(section.files) == [row["document"]]
    with section.files[row["document"]]() as f:
        assert f.read() == PDF
    staff = dict(subject_sections())["health"](world.staff)
    assert [r["record"] for r in staff.rows] == ["declaration", "declaration"]
    assert staff.rows[0]["symptoms"] == "fever" and staff.files == {}
    assert set(staff.rows[0]) == set(row)  # one shape: one CSV


def test_breach_lists_everyone_with_health_rows_held_in_the_window(world, held):
    category = breach_categories()["health"]
    start = clock.now() - dt.timedelta(days=1)
    affected = category.affected(world.agency, start, clock.now())
    assert affected == {world.staff.pk, world.colleague.pk, world.desk.pk, world.desk2.pk}
    assert world.outsider.pk not in affected  # another agency
    before = category.affected(
        world.agency, start - dt.timedelta(days=5), start - dt.timedelta(days=4)
    )
    assert before == set()  # nothing was stored yet then
    EmployeeFactory(agency=world.agency)
    assert category.affected(world.agency, start, clock.now()) == affected
