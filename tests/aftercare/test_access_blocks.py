"""An access block bars a colleague from a client everywhere, aftercare included: they are
not made responsible for the plan, get no reminders about the client and no longer see
notifications that name the client."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import FollowUp, Notification, Reminder
from aftercare.reminders.delivery import reminders_run
from cases.services import case_close
from pmw.models import Role
from profiles.models import AccessBlock
from tests.factories import AftercarePlanFactory, UserFactory


@pytest.fixture
def barred(coordinator):
    """A second coordinator of the organisation, barred from the client by the first."""
    return UserFactory(organisation=coordinator.organisation, role=Role.COORDINATOR)


def _plan(worker, responsible=None, overdue_days=0):
    plan = AftercarePlanFactory(case__worker=worker, responsible=responsible or worker)
    plan.next_check_in_on = timezone.localdate() - datetime.timedelta(days=overdue_days)
    plan.save()
    return plan


def _bar(plan, user, by):
    AccessBlock.objects.create(client=plan.case.client, user=user, reason="kent", created_by=by)


def test_a_barred_coordinator_cannot_be_made_responsible(worker, coordinator, barred, as_user):
    plan = _plan(worker)
    _bar(plan, barred, coordinator)
    http = as_user(worker)
    url = reverse("aftercare:edit", args=[plan.case.reference])
    choices = http.get(url).context["form"].fields["responsible"].queryset
    assert coordinator in choices and barred not in choices
    response = http.post(url, {"intensity": "active", "responsible": barred.pk})
    assert response.status_code == 200 and response.context["form"].errors["responsible"]
    plan.refresh_from_db()
    assert plan.responsible == worker


def test_check_in_reminders_go_to_the_worker_when_the_responsible_is_barred(
    worker, coordinator, barred
):
    plan = _plan(worker, responsible=barred)
    _bar(plan, barred, coordinator)  # after the plan was made
    reminders_run()
    assert list(Reminder.objects.values_list("recipient", flat=True)) == [worker.pk]


def test_escalation_skips_a_barred_coordinator(worker, coordinator, barred, settings):
    settings.REMINDER_ESCALATE_AFTER_DAYS = 7
    plan = _plan(worker, overdue_days=8)
    _bar(plan, barred, coordinator)
    reminders_run()
    assert sorted(Reminder.objects.values_list("recipient", "level")) == sorted(
        [(worker.pk, Reminder.LEVEL_WORKER), (coordinator.pk, Reminder.LEVEL_COORDINATOR)]
    )


def test_notifications_about_a_client_disappear_once_barred(worker, coordinator, barred, as_user):
    plan, other = _plan(worker), _plan(worker)
    for about in (plan, other):
        Notification.objects.create(
            recipient=barred,
            source="check_in",
            client_number=about.case.client.number,
            due_on=timezone.localdate(),
            url=reverse("aftercare:plan", args=[about.case.reference]),
        )
    _bar(plan, barred, coordinator)
    http = as_user(barred)
    page = http.get(reverse("aftercare:notifications")).content.decode()
    assert plan.case.client.number not in page and other.case.client.number in page
    assert ">1<" in http.get(reverse("aftercare:notification_badge")).content.decode()


def test_follow_up_reminders_skip_a_former_worker_who_is_barred(worker, coordinator, as_user):
    plan = _plan(worker)
    case = plan.case
    case_close(case=case, by=worker, outcome="fully_stopped", closed_on=timezone.localdate())
    FollowUp.objects.filter(case=case).delete()
    FollowUp.objects.create(case=case, months=3, due_on=timezone.localdate())
    _bar(plan, worker, coordinator)  # a closed case's worker can be barred
    reminders_run()
    assert not Reminder.objects.filter(recipient=worker).exists()
