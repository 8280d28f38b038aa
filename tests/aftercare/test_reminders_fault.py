"""Fault test: two real Celery workers deliver a batch of reminders and one is killed with
SIGKILL mid-run. Every due reminder reaches its recipient exactly once, except at most the
one e-mail the killed process had in flight, which is sent again after the claim timeout
(and may then arrive twice). Real Redis broker, real PostgreSQL, worker subprocesses."""

import datetime
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings

from aftercare.models import Reminder, ReminderRun, ReminderStatus
from pmw.celery import app
from tests.aftercare.test_celery_worker import BROKER_URL, _database_url, _wait_for
from tests.factories import AftercarePlanFactory, UserFactory
from tests.marks import committed, postgresql_only

pytestmark = [
    committed,
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not BROKER_URL, reason="set CELERY_TEST_BROKER_URL (e.g. redis://127.0.0.1:6379/4)"
    ),
    postgresql_only("the worker subprocesses must reach the test database"),
]

QUEUE = "pmw-test-reminders-fault"
CLAIM_TIMEOUT = 4
DUE = 30


def _start_worker(tmp_path, name, mail_dir):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_BACKEND": "tests.mail_backends.SlowFileBackend",
        "PMW_TEST_MAIL_SECONDS": "0.25",
        "EMAIL_FILE_PATH": str(mail_dir),
        "REMINDER_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT),
        "PMW_VAR_DIR": str(tmp_path / f"var-{name}"),
        "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "0",
        "SITE_URL": "https://pmw.example.nl",
    }
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(  # noqa: S603 — fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pmw",
            "worker",
            "--pool=solo",
            "--prefetch-multiplier=1",
            "--queues",
            QUEUE,
            "--hostname",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _sent_per_client(mail_dir) -> Counter:
    found = Counter()
    for path in mail_dir.glob("*"):
        found.update(re.findall(r"cliënt (\S+) voor je klaar", path.read_text()))
    return found


def _send_task():
    with app.connection_for_write(BROKER_URL) as broker:
        app.send_task("aftercare.tasks.send_reminders", queue=QUEUE, connection=broker)


def test_a_worker_killed_mid_delivery_strands_at_most_its_one_e_mail(tmp_path):
    worker = UserFactory(role="worker", email="sanne@example.org")
    numbers = []
    for _ in range(DUE):
        plan = AftercarePlanFactory(case__worker=worker)
        plan.next_check_in_on = datetime.date.today()
        plan.save()
        numbers.append(plan.case.client.number)
    mail_dir = tmp_path / "mail"
    with app.connection_for_write(BROKER_URL) as broker:
        broker.default_channel.queue_purge(QUEUE)  # nothing left from an aborted run
    doomed = _start_worker(tmp_path, "doomed", mail_dir)
    survivor = _start_worker(tmp_path, "survivor", mail_dir)
    try:
        _send_task()
        _send_task()  # one for each worker: both deliver at the same time
        assert _wait_for(lambda: sum(_sent_per_client(mail_dir).values()) >= 6), (
            tmp_path / "doomed.log"
        ).read_text()[-3000:]
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        assert _wait_for(
            lambda: ReminderRun.objects.filter(finished_at__isnull=False).exists(), timeout=60
        ), (tmp_path / "survivor.log").read_text()[-3000:]
        # the killed process had one e-mail in flight, not a batch (the survivor may have
        # taken it over already, once its claim went stale)
        assert Reminder.objects.filter(status=ReminderStatus.SENDING).count() <= 1
        time.sleep(CLAIM_TIMEOUT + 1)  # another process's clock: time travel cannot reach it
        _send_task()
        assert _wait_for(
            lambda: not Reminder.objects.exclude(status=ReminderStatus.SENT).exists(), timeout=60
        ), (tmp_path / "survivor.log").read_text()[-3000:]
    finally:
        _stop(doomed)
        _stop(survivor)

    sent = _sent_per_client(mail_dir)
    assert set(sent) == set(numbers)  # nobody missed
    twice = [number for number, count in sent.items() if count > 1]
    assert len(twice) <= 1 and all(sent[number] == 2 for number in twice)
    assert Reminder.objects.count() == DUE
    assert Reminder.objects.filter(attempts__gt=1).count() <= 1  # only that one went twice
