"""E-mail delivery that survives crashes and mail-server outages (hardening, item 4).

A real SMTP server (aiosmtpd) on loopback accepts or rejects; a closed port is a real
"connection refused"."""

import datetime
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from aftercare.models import Notification, Reminder, ReminderRun, ReminderStatus
from aftercare.reminders import ledger
from aftercare.reminders.delivery import reminders_run
from tests.factories import AftercarePlanFactory
from tests.mail_backends import DyingBackend

NOW = datetime.datetime(2026, 6, 10, 8, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_time(settings):
    settings.REMINDER_LEAD_DAYS = 3
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = 600
    settings.REMINDER_MAIL_ATTEMPTS = 3
    settings.REMINDER_MAIL_RETRY_SECONDS = 300
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _due_check_ins(worker, count):
    plans = []
    for _ in range(count):
        plan = AftercarePlanFactory(case__worker=worker)
        plan.next_check_in_on = NOW.date()
        plan.save()
        plans.append(plan)
    return plans


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    def __init__(self, answer="250 OK"):
        self.answer = answer
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        if self.answer.startswith("250"):
            self.received.append(envelope.content.decode())
        return self.answer


@pytest.fixture
def smtp(settings):
    """Real SMTP delivery to a port; ``start(answer)`` opens a server there."""
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    servers = []

    def start(answer="250 OK"):
        handler = Handler(answer)
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return handler

    yield start
    for controller in servers:
        controller.stop()


def test_a_crash_mid_run_strands_only_the_e_mail_in_flight(worker, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.DyingBackend"
    DyingBackend.handed_over = 0
    _due_check_ins(worker, 5)
    with pytest.raises(SystemExit):
        reminders_run()
    statuses = list(Reminder.objects.order_by("id").values_list("status", flat=True))
    assert (
        statuses
        == [ReminderStatus.SENT] * 2 + [ReminderStatus.SENDING] + [ReminderStatus.PENDING] * 2
    )
    assert Notification.objects.count() == 5  # the bell of every reminder, before any e-mail


def test_a_stale_claim_is_sent_again_after_the_timeout(worker, settings, _fixed_time):
    settings.EMAIL_BACKEND = "tests.mail_backends.DyingBackend"
    DyingBackend.handed_over = 0
    _due_check_ins(worker, 3)
    with pytest.raises(SystemExit):
        reminders_run()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(mail.outbox) == 2  # handed over before the process died
    reminders_run()  # soon after: the claim may still be in flight elsewhere
    stranded = Reminder.objects.get(status=ReminderStatus.SENDING)
    assert len(mail.outbox) == 2 and stranded.attempts == 1
    _fixed_time.shift(datetime.timedelta(seconds=601))
    reminders_run()
    stranded.refresh_from_db()
    assert stranded.status == ReminderStatus.SENT and stranded.attempts == 2
    assert len(mail.outbox) == 3
    assert Notification.objects.filter(reminder=stranded).count() == 1


def test_an_unreachable_mail_server_defers_and_the_e_mail_goes_out_later(worker, smtp, _fixed_time):
    plans = _due_check_ins(worker, 2)
    run = reminders_run()  # nothing listens on the port: connection refused
    assert (run.delivered, run.deferred, run.failed) == (0, 1, 0)
    assert Notification.objects.count() == 2  # the bell does not wait for the mail server
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.PENDING}
    deferred = Reminder.objects.get(attempts=1)
    assert deferred.next_attempt_at == NOW + datetime.timedelta(seconds=300)
    assert "ConnectionRefusedError" in deferred.error
    handler = smtp("250 OK")
    run = reminders_run()  # the other one goes; the deferred one waits for its time
    assert run.delivered == 1 and len(handler.received) == 1
    _fixed_time.shift(datetime.timedelta(seconds=300))
    run = reminders_run()
    assert run.delivered == 1 and len(handler.received) == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    numbers = {plan.case.client.number for plan in plans}
    assert {n for n in numbers if any(n in text for text in handler.received)} == numbers


def test_the_pause_grows_and_the_attempts_end(worker, smtp, _fixed_time):
    _due_check_ins(worker, 1)
    pauses = []
    for _ in range(3):
        reminders_run()
        reminder = Reminder.objects.get()
        if reminder.status != ReminderStatus.PENDING:
            break
        pauses.append(reminder.next_attempt_at - timezone.now())
        _fixed_time.move_to(reminder.next_attempt_at)
    assert pauses == [datetime.timedelta(seconds=300), datetime.timedelta(seconds=600)]
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.FAILED, 3)


def test_a_message_refused_after_it_was_handed_over_is_final(worker, smtp):
    _due_check_ins(worker, 1)
    smtp("554 Transaction failed")
    run = reminders_run()
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.FAILED and "554" in reminder.error
    assert (run.failed, run.deferred) == (1, 0)
    reminders_run()
    assert Reminder.objects.get().attempts == 1  # never tried again: it may have arrived


def test_a_run_counts_only_the_reminders_it_created(worker):
    _due_check_ins(worker, 1)
    assert ledger.reminders_collect(today=NOW.date()) == 1  # an overlapping run, same moment
    run = reminders_run()
    assert run.created == 0 and run.delivered == 1
    _due_check_ins(worker, 2)
    assert reminders_run().created == 2


def test_a_run_killed_with_its_worker_is_marked_abandoned(db, settings):
    settings.CELERY_TASK_TIME_LIMIT = 900
    killed = ReminderRun.objects.create(started_at=NOW - datetime.timedelta(seconds=901))
    running = ReminderRun.objects.create(started_at=NOW - datetime.timedelta(seconds=60))
    reminders_run()
    killed.refresh_from_db()
    running.refresh_from_db()
    assert killed.abandoned_at == NOW and killed.finished_at is None
    assert running.abandoned_at is None


def test_the_health_endpoint_shows_stale_claims(worker, client, settings, _fixed_time, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
    }
    settings.EMAIL_BACKEND = "tests.mail_backends.DyingBackend"
    DyingBackend.handed_over = 0
    DyingBackend.DIE_AT = 1
    try:
        _due_check_ins(worker, 1)
        with pytest.raises(SystemExit):
            reminders_run()
    finally:
        DyingBackend.DIE_AT = 3
    assert client.get("/health/").json()["reminders"]["stale_claims"] == 0
    _fixed_time.shift(datetime.timedelta(seconds=601))
    assert client.get("/health/").json()["reminders"]["stale_claims"] == 1
