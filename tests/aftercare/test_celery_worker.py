"""A real Celery worker, through a real broker: a due check-in becomes one notification and
one e-mail. No eager mode: the task travels through Redis to a worker subprocess that works
on this test's database."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from aftercare.models import Notification, Reminder, ReminderRun, ReminderStatus
from pmw.celery import app
from tests.factories import AftercarePlanFactory, UserFactory
from tests.marks import committed, postgresql_only

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    committed,
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not BROKER_URL, reason="set CELERY_TEST_BROKER_URL (e.g. redis://127.0.0.1:6379/4)"
    ),
    postgresql_only("the worker subprocess must reach the test database"),
]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(condition, timeout=40.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)  # polling another process; time travel cannot help here
    return False


def _sent_messages(mail_dir: Path) -> int:
    return sum(path.read_text().count("\nSubject: ") for path in mail_dir.glob("*"))


def test_a_real_worker_turns_a_due_check_in_into_one_notification_and_one_e_mail(tmp_path):
    worker = UserFactory(role="worker", email="sanne@example.org")
    plan = AftercarePlanFactory(case__worker=worker)
    plan.next_check_in_on = datetime.date.today()
    plan.save()

    queue = "pmw-test-reminders"  # its own queue: no other worker on this broker takes it
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PMW_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "0",
        "SITE_URL": "https://pmw.example.nl",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 — fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pmw",
                "worker",
                "--pool=solo",
                "--queues",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        with app.connection_for_write(BROKER_URL) as broker:
            broker.default_channel.queue_purge(queue)  # nothing left from an aborted run
            for _ in range(2):  # a duplicate delivery of the task changes nothing
                app.send_task("aftercare.tasks.send_reminders", queue=queue, connection=broker)
        finished = _wait_for(
            lambda: ReminderRun.objects.filter(finished_at__isnull=False).count() == 2
        )
        assert finished, log.read_text()[-3000:]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    notification = Notification.objects.get()
    assert notification.recipient == worker
    assert Reminder.objects.get().status == ReminderStatus.SENT
    assert _sent_messages(mail_dir) == 1
    text = "".join(path.read_text() for path in mail_dir.glob("*"))
    assert "To: sanne@example.org" in text
    assert plan.case.client.number in text
    assert plan.case.client.working_name not in text
