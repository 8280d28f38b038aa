import datetime

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from aftercare import tasks
from aftercare.models import Notification
from tests.factories import AftercarePlanFactory


def test_the_task_calls_the_reminder_service(worker):
    plan = AftercarePlanFactory(case__worker=worker)
    plan.next_check_in_on = timezone.localdate() - datetime.timedelta(days=1)
    plan.save()
    assert tasks.send_reminders() == {"created": 1, "delivered": 1, "failed": 0}
    assert Notification.objects.get().recipient == worker


def test_a_database_error_is_retried(db, monkeypatch):
    def broken():
        raise DatabaseError("connection lost")

    monkeypatch.setattr(tasks, "reminders_run", broken)
    with pytest.raises(Retry):
        tasks.send_reminders.apply(throw=True).get()


def test_beat_runs_the_task_on_the_configured_interval():
    entry = settings.CELERY_BEAT_SCHEDULE["aftercare-reminders"]
    assert entry["task"] == tasks.send_reminders.name
    assert entry["schedule"] == settings.REMINDER_INTERVAL_MINUTES * 60
