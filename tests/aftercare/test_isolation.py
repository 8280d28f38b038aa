"""Nobody outside the case reaches any aftercare page of it, and every call is logged once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.models import CheckIn, FollowUp, Signal
from cases.models import Phase
from pmw.models import AccessLog
from tests.factories import AftercarePlanFactory


@pytest.fixture
def plan_b(outsider):
    plan = AftercarePlanFactory(case__worker=outsider)
    FollowUp.objects.create(case=plan.case, months=6, due_on=timezone.localdate())
    return plan


def _urls(plan):
    ref = plan.case.reference
    return [
        reverse("aftercare:plan", args=[ref]),
        reverse("aftercare:start", args=[ref]),
        reverse("aftercare:edit", args=[ref]),
        reverse("aftercare:check_in", args=[ref]),
        reverse("aftercare:signal", args=[ref]),
        reverse("aftercare:follow_up", args=[ref, 6]),
    ]


@pytest.mark.parametrize("who", ["worker", "colleague", "coordinator", "org_admin", "municipal"])
def test_nobody_from_another_organisation_reaches_b(request, who, plan_b, as_user):
    http = as_user(request.getfixturevalue(who))
    today = timezone.localdate().isoformat()
    data = {
        "on": today,
        "noted_on": today,
        "kind": "debts",
        "result": "good",
        "severity": "high",
        "reopen": "on",
        "situation": "fully",
        "intensity": "passive",
        "starts_on": today,
    }
    for url in _urls(plan_b):
        assert http.get(url).status_code == 404, url
        assert http.post(url, data).status_code == 404, url
    assert not CheckIn.objects.exists() and not Signal.objects.exists()
    assert not FollowUp.objects.filter(recorded_on__isnull=False).exists()
    plan_b.case.refresh_from_db()
    plan_b.refresh_from_db()
    assert plan_b.case.phase == Phase.AFTERCARE and plan_b.intensity == "active"


def test_one_access_log_entry_per_call(worker, as_user):
    plan = AftercarePlanFactory(case__worker=worker)
    http = as_user(worker)
    http.get(reverse("aftercare:plan", args=[plan.case.reference]))
    assert list(AccessLog.objects.values_list("action", "record_type", "client_number")) == [
        ("view", "case", plan.case.client.number)
    ]
    last = AccessLog.objects.order_by("-pk").first().pk
    http.post(
        reverse("aftercare:check_in", args=[plan.case.reference]),
        {"on": timezone.localdate().isoformat(), "kind": "phone", "result": "good"},
    )
    assert list(AccessLog.objects.filter(pk__gt=last).values_list("action", flat=True)) == [
        "update"
    ]


def test_plan_page_query_count_does_not_grow(worker, as_user):
    plan = AftercarePlanFactory(case__worker=worker)
    http = as_user(worker)
    url = reverse("aftercare:plan", args=[plan.case.reference])

    def add(count):
        for _ in range(count):
            CheckIn.objects.create(
                plan=plan, on=timezone.localdate(), kind="phone", result="good", by=worker
            )
            Signal.objects.create(
                plan=plan,
                kind="debts",
                severity="low",
                noted_on=timezone.localdate() - datetime.timedelta(days=1),
                by=worker,
            )

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert http.get(url).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        http.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)
