import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import Reminder
from aftercare.reminders.delivery import reminders_run
from profiles.models import Profile
from tests.factories import AftercarePlanFactory


@pytest.fixture
def plan(worker):
    plan = AftercarePlanFactory(
        case__worker=worker, case__client__profile=Profile.MULTIPLE_NEEDS, check_in_interval_days=30
    )
    plan.next_check_in_on = timezone.localdate()  # due today
    plan.save()
    return plan


def _url(plan):
    return reverse("aftercare:edit", args=[plan.case.reference])


def test_a_later_wish_for_no_aftercare_stops_the_reminders(plan, worker, as_user):
    response = as_user(worker).post(
        _url(plan),
        {
            "intensity": "none",
            "intensity_reason": "Wil nu geen contact meer.",
            "responsible": worker.pk,
        },
    )
    assert response.url == reverse("aftercare:plan", args=[plan.case.reference])
    plan.refresh_from_db()
    assert plan.wants_no_aftercare and plan.next_check_in_on is None
    assert plan.intensity_reason == "Wil nu geen contact meer."
    reminders_run()
    assert not Reminder.objects.exists()


def test_a_new_interval_moves_the_next_check_in(plan, worker, as_user):
    as_user(worker).post(
        _url(plan), {"intensity": "active", "check_in_interval_days": 7, "responsible": worker.pk}
    )
    plan.refresh_from_db()
    assert plan.next_check_in_on == plan.starts_on + datetime.timedelta(days=7)
    assert plan.intensity_reason == ""


def test_the_reason_rule_holds_when_changing_too(plan, worker, as_user):
    response = as_user(worker).post(_url(plan), {"intensity": "passive", "responsible": worker.pk})
    assert response.context["form"].errors["intensity_reason"]
    plan.refresh_from_db()
    assert plan.intensity == "active"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("org_admin", 404),
        ("municipal", 404),
    ],
)
def test_access(request, plan, who, status, as_user):
    http = as_user(request.getfixturevalue(who))
    assert http.get(_url(plan)).status_code == status
    if status == 404:
        http.post(_url(plan), {"intensity": "none", "intensity_reason": "x", "responsible": 1})
        plan.refresh_from_db()
        assert plan.intensity == "active"
