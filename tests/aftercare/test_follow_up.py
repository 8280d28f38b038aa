import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aftercare.models import FollowUp
from aftercare.services import add_months
from cases.services import case_close
from tests.factories import AftercarePlanFactory, CaseFactory


def _url(follow_up):
    return reverse("aftercare:follow_up", args=[follow_up.case.reference, follow_up.months])


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 6, datetime.date(2026, 7, 15)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 1), 12, datetime.date(2027, 12, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_closing_with_another_day_structure_plans_follow_ups(worker):
    plan = AftercarePlanFactory(case__worker=worker)
    closed_on = timezone.localdate()
    case_close(case=plan.case, by=worker, outcome="fully_stopped", closed_on=closed_on)
    assert [(f.months, f.due_on) for f in FollowUp.objects.filter(case=plan.case)] == [
        (6, add_months(closed_on, 6)),
        (12, add_months(closed_on, 12)),
    ]
    plan.refresh_from_db()
    assert plan.next_check_in_on is None  # closed: no check-ins are due any more


def test_follow_up_months_are_configurable(worker, settings):
    settings.FOLLOW_UP_MONTHS = [3]
    case = CaseFactory(worker=worker)  # no aftercare plan: still a durable result to follow
    case_close(case=case, by=worker, outcome="combination", closed_on=timezone.localdate())
    assert list(FollowUp.objects.values_list("months", flat=True)) == [3]


@pytest.mark.parametrize("outcome", ["dropped_out", "continues", "transferred"])
def test_no_follow_ups_without_another_day_structure(worker, outcome):
    case = CaseFactory(worker=worker)
    case_close(case=case, by=worker, outcome=outcome, closed_on=timezone.localdate())
    assert not FollowUp.objects.exists()


@pytest.fixture
def follow_up(worker):
    case = CaseFactory(worker=worker, opened_on=timezone.localdate() - datetime.timedelta(days=400))
    case_close(
        case=case,
        by=worker,
        outcome="fully_stopped",
        closed_on=timezone.localdate() - datetime.timedelta(days=190),
    )
    return FollowUp.objects.get(case=case, months=6)


def test_record_the_situation(follow_up, worker, as_user):
    response = as_user(worker).post(
        _url(follow_up),
        {"situation": "combination", "note": "Werkt 3 dagen.", "scores_consent": "on"},
    )
    assert response.url == reverse("cases:detail", args=[follow_up.case.reference])
    follow_up.refresh_from_db()
    assert follow_up.situation == "combination" and follow_up.scores_consent
    assert follow_up.recorded_on == timezone.localdate() and follow_up.recorded_by == worker
    page = as_user(worker).get(reverse("cases:detail", args=[follow_up.case.reference]))
    assert "Andere dagbesteding: combinatie" in page.content.decode()
    again = as_user(worker).post(_url(follow_up), {"situation": "fully"})
    assert "al vastgelegd" in again.content.decode()


def test_too_early_is_refused(worker, as_user):
    case = CaseFactory(worker=worker)
    case_close(case=case, by=worker, outcome="fully_stopped", closed_on=timezone.localdate())
    follow_up = FollowUp.objects.get(case=case, months=6)
    response = as_user(worker).post(_url(follow_up), {"situation": "fully"})
    assert "kan vanaf" in response.content.decode()
    with time_machine.travel(follow_up.due_on - datetime.timedelta(days=10)):
        assert as_user(worker).post(_url(follow_up), {"situation": "fully"}).status_code == 302


def test_unknown_months_is_404(follow_up, worker, as_user):
    url = reverse("aftercare:follow_up", args=[follow_up.case.reference, 7])
    assert as_user(worker).get(url).status_code == 404


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
def test_access(request, follow_up, who, status, as_user):
    http = as_user(request.getfixturevalue(who))
    assert http.get(_url(follow_up)).status_code == status
    if status == 404:
        assert http.post(_url(follow_up), {"situation": "fully"}).status_code == 404
        follow_up.refresh_from_db()
        assert not follow_up.is_recorded
