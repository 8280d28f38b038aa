"""Exactly once under a concurrent double run: real threads, each with its own connection."""

import collections
import datetime
import threading

from django.core import mail
from django.db import connection

from aftercare.models import Notification, Reminder, ReminderStatus
from aftercare.reminders.delivery import reminders_run
from tests.factories import AftercarePlanFactory, UserFactory
from tests.marks import committed, postgresql_only

pytestmark = [
    postgresql_only(
        "SQLite has one writer at a time and no SELECT ... FOR UPDATE SKIP LOCKED, so it "
        "cannot show two runs racing"
    ),
    committed,
]

RUNS = 3


def _run_concurrently(count):
    barrier = threading.Barrier(count)
    errors = []

    def one_run():
        try:
            barrier.wait(timeout=10)
            reminders_run()
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=one_run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_concurrent_runs_deliver_each_reminder_exactly_once(settings):
    settings.REMINDER_ESCALATE_AFTER_DAYS = 7
    worker = UserFactory(role="worker")
    coordinator = UserFactory(role="coordinator", organisation=worker.organisation)
    today = datetime.date.today()
    plans = []
    for index in range(60):
        plan = AftercarePlanFactory(case__worker=worker)
        # a third is overdue long enough to escalate to the coordinator as well
        plan.next_check_in_on = today - datetime.timedelta(days=10 if index % 3 == 0 else 0)
        plan.save()
        plans.append(plan)
    mail.outbox = []

    _run_concurrently(RUNS)

    expected = 60 + 20
    assert Reminder.objects.count() == expected
    assert Notification.objects.count() == expected
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert len(mail.outbox) == expected
    sent = collections.Counter((m.to[0], m.subject, m.body) for m in mail.outbox)
    assert max(sent.values()) == 1, "an e-mail went out twice"
    assert Notification.objects.filter(recipient=coordinator).count() == 20

    # and a rerun of all of them together adds nothing
    _run_concurrently(RUNS)
    assert Notification.objects.count() == expected and len(mail.outbox) == expected
