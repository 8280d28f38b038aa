"""The reminder engine: what is due becomes exactly one notification and one e-mail."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.models import Notification, Reminder, ReminderRun, ReminderStatus
from aftercare.reminders import REMINDER_SOURCES, delivery, ledger
from aftercare.reminders.delivery import reminders_run
from aftercare.services import aftercare_start
from cases.models import Phase
from cases.services import case_close, case_reassign
from tests.factories import AftercarePlanFactory, CaseFactory, UserFactory

TODAY = datetime.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _fixed_day(settings):
    settings.REMINDER_LEAD_DAYS = 3
    settings.REMINDER_ESCALATE_AFTER_DAYS = 7
    settings.SITE_URL = "https://pmw.example.nl"
    with time_machine.travel(datetime.datetime(2026, 6, 10, 8, tzinfo=datetime.UTC), tick=False):
        yield


def _plan(worker, due_in_days, **kwargs):
    plan = AftercarePlanFactory(case__worker=worker, **kwargs)
    plan.next_check_in_on = TODAY + datetime.timedelta(days=due_in_days)
    plan.save()
    return plan


def test_a_check_in_due_soon_notifies_the_worker_once(worker):
    plan = _plan(worker, 2, case__client__working_name="Roxanne")
    _plan(worker, 10)  # not yet due
    run = reminders_run()
    note = Notification.objects.get()
    assert (note.recipient, note.source, note.due_on, note.level) == (
        worker,
        "check_in",
        plan.next_check_in_on,
        0,
    )
    assert note.client_number == plan.case.client.number
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [worker.email]
    assert plan.case.client.number in message.body
    assert f"https://pmw.example.nl/aftercare/{plan.case.reference}/" in message.body
    assert Reminder.objects.get().status == ReminderStatus.SENT
    assert (run.delivered, run.failed, run.created) == (1, 0, 1)
    # the same run again (beat fires every 15 minutes): nothing new
    reminders_run()
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_the_e_mail_carries_no_client_details(worker):
    plan = _plan(
        worker,
        0,
        case__client__working_name="Roxanne",
        case__client__legal_name="Roxanne de Wit",
        case__client__reflection_period_ends_on=TODAY + datetime.timedelta(days=5),
    )
    reminders_run()
    assert len(mail.outbox) == 2  # the check-in and the reflection period
    for message in mail.outbox:
        text = message.subject + message.body
        assert "Roxanne" not in text and "Wit" not in text
        for word in ("bedenktijd", "B8", "nazorg", "uitbuiting", "contactmoment"):
            assert word not in text.lower()
        assert plan.case.client.number in text


@pytest.mark.parametrize(("intensity", "expected"), [("none", []), ("passive", [0, 0])])
def test_no_aftercare_wish_produces_no_reminders(worker, intensity, expected):
    case = CaseFactory(worker=worker, phase=Phase.EXECUTION)
    aftercare_start(
        case=case,
        intensity=intensity,
        intensity_reason="Wil geen contact meer." if intensity == "none" else "",
        responsible=worker,
        starts_on=TODAY,
        by=worker,
    )
    with time_machine.travel(datetime.datetime(2026, 9, 10, 8, tzinfo=datetime.UTC)):
        reminders_run()  # a check-in would be overdue by now
        case_close(case=case, by=worker, outcome="fully_stopped", closed_on=timezone.localdate())
    with time_machine.travel(datetime.datetime(2027, 3, 10, 8, tzinfo=datetime.UTC)):
        reminders_run()  # the 6-month follow-up is due
    assert list(Reminder.objects.values_list("level", flat=True)) == expected
    assert Notification.objects.count() == len(mail.outbox) == len(expected)


def test_no_check_in_reminders_for_closed_cases_or_outside_aftercare(worker):
    closed = _plan(worker, 0)
    closed.case.closed_on, closed.case.outcome = TODAY, "other"
    closed.case.save()
    reopened = _plan(worker, 0)
    reopened.case.phase = Phase.EXECUTION
    reopened.case.save()
    reminders_run()
    assert not Reminder.objects.exists()


def test_a_new_due_date_is_a_new_reminder(worker):
    plan = _plan(worker, 1)
    reminders_run()
    plan.next_check_in_on = TODAY + datetime.timedelta(days=2)
    plan.save()
    reminders_run()
    assert Notification.objects.count() == 2


def test_escalation_to_the_coordinators_after_the_overdue_period(
    worker, coordinator, outsider_coordinator
):
    second = UserFactory(organisation=coordinator.organisation, role="coordinator")
    plan = _plan(worker, -7)  # exactly 7 days overdue: not yet
    reminders_run()
    assert list(Reminder.objects.values_list("recipient", "level")) == [(worker.pk, 0)]
    with time_machine.travel(datetime.datetime(2026, 6, 11, 8, tzinfo=datetime.UTC)):
        reminders_run()
    assert sorted(Reminder.objects.values_list("recipient", "level")) == sorted(
        [(worker.pk, 0), (coordinator.pk, 1), (second.pk, 1)]
    )
    escalations = [m for m in mail.outbox if m.to != [worker.email]]
    assert sorted(m.to[0] for m in escalations) == sorted([coordinator.email, second.email])
    assert all("langer" in m.subject for m in escalations)
    assert plan.case.client.number in escalations[0].body
    assert not Notification.objects.filter(recipient=outsider_coordinator).exists()
    # escalated once, not again the next day
    with time_machine.travel(datetime.datetime(2026, 6, 12, 8, tzinfo=datetime.UTC)):
        reminders_run()
    assert Reminder.objects.count() == 3 and len(mail.outbox) == 3


def test_escalation_skips_a_coordinator_who_is_the_worker_and_inactive_ones(coordinator, worker):
    UserFactory(organisation=coordinator.organisation, role="coordinator", is_active=False)
    own = _plan(coordinator, -8)  # the coordinator is the case's worker: told already
    other = _plan(worker, -8)
    reminders_run()
    assert sorted(Reminder.objects.values_list("object_id", "recipient", "level")) == sorted(
        [(own.pk, coordinator.pk, 0), (other.pk, worker.pk, 0), (other.pk, coordinator.pk, 1)]
    )


def test_collecting_takes_the_same_statements_however_much_is_due(worker, coordinator):
    """The rows never pass through Python: a run's memory and statements do not grow."""

    def statements():
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            ledger.reminders_collect(today=TODAY)
        return len(ctx.captured_queries), Reminder.objects.count()

    # one INSERT ... SELECT per source for the workers, one more where it escalates
    expected = sum(2 if source.escalates else 1 for source in REMINDER_SOURCES)
    _plan(worker, -8)
    assert statements() == (expected, 2)  # the worker's reminder and the escalation
    for _ in range(20):
        _plan(worker, -8)
    assert statements() == (expected, 42)


def test_follow_up_and_reflection_period_sources(worker):
    case = CaseFactory(worker=worker, opened_on=TODAY - datetime.timedelta(days=400))
    case_close(
        case=case,
        by=worker,
        outcome="fully_stopped",
        closed_on=TODAY - datetime.timedelta(days=180),
    )
    CaseFactory(
        worker=worker, client__reflection_period_ends_on=TODAY + datetime.timedelta(days=14)
    )
    CaseFactory(  # ends in 15 days: outside the 14-day lead
        worker=worker, client__reflection_period_ends_on=TODAY + datetime.timedelta(days=15)
    )
    CaseFactory(  # already ended: nothing left to do in time
        worker=worker, client__reflection_period_ends_on=TODAY - datetime.timedelta(days=1)
    )
    reminders_run()
    assert sorted(Notification.objects.values_list("source", flat=True)) == [
        "follow_up",
        "reflection_period",
    ]
    follow_up = Notification.objects.get(source="follow_up")
    assert follow_up.url == f"/aftercare/{case.reference}/follow-up/6/"


def test_an_inactive_worker_gets_no_e_mail(worker):
    _plan(worker, 0)
    worker.is_active = False
    worker.save()
    reminders_run()
    assert Reminder.objects.get().status == ReminderStatus.NO_EMAIL
    assert mail.outbox == []


def test_delivery_batches_cover_everything_without_loading_it_at_once(worker, monkeypatch):
    monkeypatch.setattr(delivery, "NOTIFY_BATCH_SIZE", 2)
    for _ in range(7):
        _plan(worker, 0)
    reminders_run()
    assert Notification.objects.count() == 7 and len(mail.outbox) == 7


def test_a_crash_before_the_claim_commits_is_delivered_by_the_retry(worker, monkeypatch):
    _plan(worker, 0)

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(Notification.objects, "bulk_create", crash)
        with pytest.raises(RuntimeError):
            reminders_run()
    assert Reminder.objects.get().status == ReminderStatus.PENDING  # claim rolled back
    assert not Notification.objects.exists() and mail.outbox == []
    reminders_run()  # the retried task
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_each_run_leaves_a_heartbeat_and_old_ones_are_pruned(db, settings):
    settings.REMINDER_RUNS_KEEP_DAYS = 30
    with time_machine.travel(datetime.datetime(2026, 5, 1, 8, tzinfo=datetime.UTC)):
        reminders_run()
    run = reminders_run()
    assert list(ReminderRun.objects.all()) == [run]
    assert run.finished_at == timezone.now()


def test_a_coordinator_on_their_own_case_is_not_told_twice(coordinator):
    _plan(coordinator, -10)
    reminders_run()
    assert list(Reminder.objects.values_list("recipient", "level")) == [(coordinator.pk, 0)]


def test_after_a_change_of_worker_reminders_follow_the_case(worker, colleague, coordinator):
    plan = _plan(worker, 0)
    case_reassign(case=plan.case, to_worker=colleague, by=coordinator, reason="Verlof")
    reminders_run()
    # the former worker can no longer open the case: not even the client number goes there
    assert list(Reminder.objects.values_list("recipient", flat=True)) == [colleague.pk]


def test_a_coordinator_holding_the_plan_gets_its_reminders(worker, coordinator):
    _plan(worker, 0, responsible=coordinator)
    reminders_run()
    assert list(Reminder.objects.values_list("recipient", flat=True)) == [coordinator.pk]
