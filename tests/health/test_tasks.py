"""The daily reminder job and its beat entry."""

from __future__ import annotations

import pytest
from django.conf import settings

from sigap.core.models import Notification
from sigap.health.tasks import send_test_reminders

pytestmark = pytest.mark.django_db


def test_the_beat_runs_the_reminders_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["health-test-reminders"]
    assert entry["task"] == "health.send_test_reminders"
    assert entry["schedule"].hour == {23} and entry["schedule"].minute == {0}


def test_the_task_reminds_front_line_staff_once(
    world, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_test_reminders.delay().get() == 3  # the desk: nobody tested yet
    assert set(Notification.objects.values_list("user_id", flat=True)) == {
        world.desk.user_id,
        world.desk2.user_id,
        world.desk_head.user_id,
    }
    assert send_test_reminders.delay().get() == 0
