import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aftercare.models import CheckIn
from aftercare.services import aftercare_start
from cases.models import Phase
from tests.factories import AftercarePlanFactory, CaseFactory

START = datetime.date(2026, 3, 2)


def _url(plan):
    return reverse("aftercare:check_in", args=[plan.case.reference])


def _post(http, plan, on, **fields):
    data = {"on": on.isoformat(), "kind": "phone", "result": "good", "note": "Gaat goed."}
    data.update(fields)
    return http.post(_url(plan), data)


def test_next_due_date_follows_the_interval_across_time(worker, as_user):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        case = CaseFactory(worker=worker, phase=Phase.EXECUTION)
        plan = aftercare_start(
            case=case,
            intensity="passive",
            responsible=worker,
            starts_on=START,
            by=worker,
            check_in_interval_days=14,
        )
        assert plan.next_check_in_on == datetime.date(2026, 3, 16)
        assert plan.check_in_state() == "later"
    with time_machine.travel(datetime.datetime(2026, 3, 14, 10, tzinfo=datetime.UTC)):
        plan.refresh_from_db()
        assert plan.check_in_state() == "due"  # within the 3 lead days
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC)):
        plan.refresh_from_db()
        assert plan.check_in_state() == "overdue"
        # a check-in late: the next one counts from the day it happened
        assert _post(as_user(worker), plan, datetime.date(2026, 3, 19)).status_code == 302
        plan.refresh_from_db()
        assert plan.last_check_in_on == datetime.date(2026, 3, 19)
        assert plan.next_check_in_on == datetime.date(2026, 4, 2)
        assert plan.check_in_state() == "later"
        # logging an older contact afterwards does not move the due date back
        _post(as_user(worker), plan, datetime.date(2026, 3, 10))
        plan.refresh_from_db()
        assert plan.next_check_in_on == datetime.date(2026, 4, 2)


def test_no_check_ins_are_due_after_the_planned_end(worker):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        case = CaseFactory(worker=worker, phase=Phase.EXECUTION)
        plan = aftercare_start(
            case=case,
            intensity="passive",
            responsible=worker,
            starts_on=START,
            by=worker,
            check_in_interval_days=14,
            planned_end_on=datetime.date(2026, 3, 20),
        )
        assert plan.next_check_in_on == datetime.date(2026, 3, 16)
        plan.last_check_in_on = datetime.date(2026, 3, 16)
        assert plan.compute_next_check_in() is None


def test_check_in_is_listed_on_the_plan(worker, as_user):
    plan = AftercarePlanFactory(case__worker=worker)
    http = as_user(worker)
    _post(http, plan, timezone.localdate(), note="Nieuwe baan bevalt goed.")
    page = http.get(reverse("aftercare:plan", args=[plan.case.reference])).content.decode()
    assert "Nieuwe baan bevalt goed." in page
    assert CheckIn.objects.get().by == worker


@pytest.mark.parametrize(
    ("days", "message"), [(1, "toekomst"), (-30, "vóór de start van de nazorg")]
)
def test_bad_dates_are_refused(worker, as_user, days, message):
    plan = AftercarePlanFactory(case__worker=worker)
    response = _post(as_user(worker), plan, timezone.localdate() + datetime.timedelta(days=days))
    assert message in " ".join(response.context["form"].errors["on"])
    assert not CheckIn.objects.exists()


def test_a_case_without_a_plan_has_no_aftercare_pages(case, worker, as_user):
    http = as_user(worker)
    assert http.get(_url(AftercarePlanFactory.build(case=case))).status_code == 404
    assert http.get(reverse("aftercare:plan", args=[case.reference])).status_code == 404


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
def test_access(request, worker, who, status, as_user):
    plan = AftercarePlanFactory(case__worker=worker)
    http = as_user(request.getfixturevalue(who))
    assert http.get(_url(plan)).status_code == status
    assert http.get(reverse("aftercare:plan", args=[plan.case.reference])).status_code == status
    if status == 404:
        assert _post(http, plan, timezone.localdate()).status_code == 404
        assert not CheckIn.objects.exists()
