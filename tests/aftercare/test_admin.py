"""The reminder ledger in Django's admin: a system administrator sees no client data."""

import datetime

from django.urls import reverse
from django.utils import timezone

from aftercare.models import Reminder
from aftercare.reminders.delivery import reminders_run
from tests.factories import AftercarePlanFactory, UserFactory


def test_the_ledger_shows_neither_client_number_nor_case_link(worker, as_user):
    plan = AftercarePlanFactory(case__worker=worker)
    plan.next_check_in_on = timezone.localdate() + datetime.timedelta(days=1)
    plan.save()
    reminders_run()
    reminder = Reminder.objects.get()
    root = UserFactory(organisation=None, role="", is_superuser=True, is_staff=True)
    http = as_user(root)
    for url in (
        reverse("admin:aftercare_reminder_changelist"),
        reverse("admin:aftercare_reminder_change", args=[reminder.pk]),
    ):
        page = http.get(url)
        assert page.status_code == 200
        assert plan.case.client.number not in page.content.decode()
        assert plan.case.reference not in page.content.decode()
    # The ledger is what makes a reminder go out once: no deleting rows from it.
    delete = http.get(reverse("admin:aftercare_reminder_delete", args=[reminder.pk]))
    assert delete.status_code == 403
    assert Reminder.objects.filter(pk=reminder.pk).exists()
