"""Reminders for dates in the partner network: unanswered referrals, expiring consents."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from aftercare.models import Notification, Reminder
from aftercare.reminders.delivery import reminders_run
from partners.models import ReferralStatus
from tests.factories import CaseFactory, NeedFactory
from tests.partners.factories import ConsentFactory, ReferralFactory

NOW = datetime.datetime(2026, 6, 10, 8, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _fixed_day(settings):
    settings.REFERRAL_ANSWER_DAYS = 10
    settings.REMINDER_ESCALATE_AFTER_DAYS = 7
    with time_machine.travel(NOW, tick=False):
        yield


def _sent(case, days_ago, status=ReferralStatus.SENT):
    return ReferralFactory(
        need=NeedFactory(case=case),
        status=status,
        sent_at=NOW - datetime.timedelta(days=days_ago),
    )


def test_a_referral_unanswered_past_the_term_is_reminded_once(case, worker):
    late = _sent(case, 11)
    _sent(case, 5)  # still within the term
    _sent(case, 30, status=ReferralStatus.ACCEPTED)  # answered
    reminders_run()
    reminders_run()
    reminder = Reminder.objects.get(source="referral_unanswered")
    assert (reminder.object_id, reminder.recipient) == (late.pk, worker)
    assert reminder.due_on == TODAY - datetime.timedelta(days=1)
    assert Notification.objects.get().url == reverse("partners:referral", args=[late.reference])
    assert len(mail.outbox) == 1
    assert case.client.working_name not in mail.outbox[0].body


def test_long_unanswered_referral_escalates_to_the_coordinator(case, coordinator):
    _sent(case, 10 + 8)
    reminders_run()
    assert set(Reminder.objects.values_list("recipient__username", "level")) == {
        ("worker", Reminder.LEVEL_WORKER),
        ("coordinator", Reminder.LEVEL_COORDINATOR),
    }


def test_closed_case_referrals_are_not_reminded(worker):
    case = CaseFactory(worker=worker)
    _sent(case, 20)
    case.closed_on, case.outcome = TODAY, "other"
    case.save()
    reminders_run()
    assert not Reminder.objects.exists()


def test_consent_expiring_within_two_weeks_reminds_the_worker_of_the_open_case(case, worker):
    soon = ConsentFactory(client=case.client, expires_on=TODAY + datetime.timedelta(days=10))
    ConsentFactory(client=case.client, expires_on=TODAY + datetime.timedelta(days=40))
    ConsentFactory(
        client=case.client,
        expires_on=TODAY + datetime.timedelta(days=3),
        withdrawn_on=TODAY - datetime.timedelta(days=1),
    )
    reminders_run()
    reminder = Reminder.objects.get()
    assert (reminder.source, reminder.object_id, reminder.recipient) == (
        "consent_expiring",
        soon.pk,
        worker,
    )
    assert reminder.url == reverse("cases:detail", args=[case.reference])


def test_consent_of_a_client_without_open_case_is_not_reminded(case):
    ConsentFactory(client=case.client, expires_on=TODAY + datetime.timedelta(days=5))
    case.closed_on, case.outcome = TODAY, "other"
    case.save()
    reminders_run()
    assert not Reminder.objects.exists()


def test_my_week_lists_own_referrals_waiting_for_an_answer(case, worker, colleague, as_user):
    _sent(case, 12)
    _sent(CaseFactory(worker=colleague), 12)
    page = as_user(worker).get(reverse("aftercare:week")).content.decode()
    assert page.count("nog geen antwoord") == 1
    assert case.client.working_name in page
