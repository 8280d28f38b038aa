import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.models import FollowUp, Signal
from partners.models import ReferralStatus
from pmw.models import AccessLog
from tests.factories import AftercarePlanFactory, CaseFactory, NeedFactory
from tests.partners.factories import ReferralFactory

URL = reverse("aftercare:week")


def _fill(worker, count):
    today = timezone.localdate()
    for index in range(count):
        plan = AftercarePlanFactory(case__worker=worker)
        plan.next_check_in_on = today + datetime.timedelta(days=index % 9 - 2)
        plan.save()
        Signal.objects.create(
            plan=plan, kind="debts", severity="low", noted_on=today, by=worker, note="Rekeningen"
        )
        closed = CaseFactory(worker=worker, closed_on=today, outcome="fully_stopped")
        FollowUp.objects.create(case=closed, months=6, due_on=today + datetime.timedelta(days=2))
        ReferralFactory(
            need=NeedFactory(case=plan.case),
            status=ReferralStatus.SENT,
            sent_at=timezone.now() - datetime.timedelta(days=index),
        )


def _queries(http):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow(worker, as_user):
    http = as_user(worker)
    _fill(worker, 2)
    few = _queries(http)
    _fill(worker, 20)
    many = _queries(http)
    assert few == many
    assert many <= 11  # includes loading the verified second-factor device


def test_sections(worker, colleague, as_user):
    today = timezone.localdate()
    overdue = AftercarePlanFactory(case__worker=worker, case__client__working_name="Te laat")
    overdue.next_check_in_on = today - datetime.timedelta(days=3)
    overdue.save()
    later = AftercarePlanFactory(case__worker=worker, case__client__working_name="Later")
    later.next_check_in_on = today + datetime.timedelta(days=20)
    later.save()
    none = AftercarePlanFactory(
        case__worker=worker, case__client__working_name="Geen", intensity="none"
    )
    theirs = AftercarePlanFactory(case__worker=colleague, case__client__working_name="Collega")
    theirs.next_check_in_on = today
    theirs.save()
    Signal.objects.create(plan=none, kind="old_network", severity="high", noted_on=today, by=worker)
    Signal.objects.create(
        plan=later,
        kind="debts",
        severity="low",
        noted_on=today - datetime.timedelta(days=30),
        by=worker,
    )
    response = as_user(worker).get(URL)
    context = response.context
    assert [p.case.client.working_name for p in context["check_ins"]] == ["Te laat"]
    assert [s.kind for s in context["signals"]] == ["old_network"]
    page = response.content.decode()
    assert "te laat" in page and "Collega" not in page
    assert "Geen vervolgmetingen deze week." in page
    entry = AccessLog.objects.get(record_type="my_week")
    assert entry.detail == "check_ins=1 follow_ups=0 signals=1"


def test_empty_week_says_what_to_do(worker, as_user):
    page = as_user(worker).get(URL).content.decode()
    assert "Signalen leg je vast op de nazorgpagina" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("worker", 200), ("coordinator", 200), ("org_admin", 404), ("municipal", 404)],
)
def test_access(request, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(URL).status_code == status


def test_check_ins_are_in_the_week_of_whoever_gets_their_reminder(
    worker, colleague, coordinator, as_user
):
    today = timezone.localdate()
    for name, responsible in (("Bij coördinator", coordinator), ("Na wisseling", colleague)):
        # the colleague held the plan before the case went to ``worker``: it follows the case
        plan = AftercarePlanFactory(
            case__worker=worker, responsible=responsible, case__client__working_name=name
        )
        plan.next_check_in_on = today
        plan.save()

    def check_ins(user):
        return [p.case.client.working_name for p in as_user(user).get(URL).context["check_ins"]]

    assert check_ins(coordinator) == ["Bij coördinator"]
    assert check_ins(worker) == ["Na wisseling"]
    assert check_ins(colleague) == []
