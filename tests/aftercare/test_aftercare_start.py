import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import AftercarePlan, Intensity
from cases.models import Phase, PhaseChange
from profiles.models import Profile
from tests.factories import AftercarePlanFactory, CaseFactory


@pytest.fixture
def executing(worker):
    return CaseFactory(worker=worker, phase=Phase.EXECUTION, client__profile=Profile.EXPLOITATION)


def _url(case):
    return reverse("aftercare:start", args=[case.reference])


def _post(http, case, **fields):
    data = {
        "intensity": "intensive",
        "responsible": case.worker_id,
        "starts_on": timezone.localdate().isoformat(),
    }
    data.update(fields)
    return http.post(_url(case), data)


@pytest.mark.parametrize(
    ("profile", "suggested"),
    [
        (Profile.AUTONOMOUS, Intensity.PASSIVE),
        (Profile.MULTIPLE_NEEDS, Intensity.ACTIVE),
        (Profile.EXPLOITATION, Intensity.INTENSIVE),
        (Profile.UNKNOWN, Intensity.ACTIVE),
    ],
)
def test_the_form_suggests_an_intensity_from_the_profile(worker, as_user, profile, suggested):
    case = CaseFactory(worker=worker, phase=Phase.EXECUTION, client__profile=profile)
    response = as_user(worker).get(_url(case))
    assert response.context["form"]["intensity"].initial == suggested


def test_start_moves_the_case_and_makes_the_plan_in_one_step(executing, worker, as_user):
    response = _post(as_user(worker), executing, note="Werkt nu in de thuiszorg.")
    assert response.url == reverse("aftercare:plan", args=[executing.reference])
    executing.refresh_from_db()
    assert executing.phase == Phase.AFTERCARE
    change = executing.phase_changes.last()
    assert (change.from_phase, change.to_phase, change.note) == (
        "execution",
        "aftercare",
        "Werkt nu in de thuiszorg.",
    )
    plan = executing.aftercare_plan
    assert plan.intensity == plan.suggested_intensity == Intensity.INTENSIVE
    assert plan.check_in_interval_days == 14
    assert plan.next_check_in_on == timezone.localdate() + datetime.timedelta(days=14)
    assert plan.responsible == worker


def test_another_intensity_than_suggested_needs_a_reason(executing, worker, as_user):
    http = as_user(worker)
    response = _post(http, executing, intensity="passive")
    assert "waarom" in " ".join(response.context["form"].errors["intensity_reason"])
    # nothing saved half: no plan and no phase change
    assert not AftercarePlan.objects.exists()
    assert PhaseChange.objects.filter(case=executing).count() == 1
    response = _post(http, executing, intensity="passive", intensity_reason="Wil zelf bellen.")
    assert response.status_code == 302
    plan = AftercarePlan.objects.get()
    assert plan.suggested_intensity == "intensive" and plan.intensity_reason == "Wil zelf bellen."


def test_the_wish_for_no_aftercare_is_recorded_without_check_ins(executing, worker, as_user):
    _post(as_user(worker), executing, intensity="none", intensity_reason="Wil geen contact meer.")
    plan = AftercarePlan.objects.get()
    assert plan.wants_no_aftercare
    assert plan.check_in_interval_days is None and plan.next_check_in_on is None
    page = as_user(worker).get(reverse("aftercare:plan", args=[executing.reference]))
    assert "wil geen nazorg" in page.content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"starts_on": "FUTURE"}, "starts_on", "toekomst"),
        ({"starts_on": "BEFORE"}, "starts_on", "vóór de start"),
        ({"planned_end_on": "TODAY"}, "planned_end_on", "na de startdatum"),
        ({"responsible": "COLLEAGUE"}, "responsible", "vaste hulpverlener of een coördinator"),
    ],
)
def test_bad_input(executing, worker, colleague, as_user, fields, field, message):
    today = timezone.localdate()
    values = {
        "FUTURE": (today + datetime.timedelta(days=1)).isoformat(),
        "BEFORE": (executing.opened_on - datetime.timedelta(days=1)).isoformat(),
        "TODAY": today.isoformat(),
        "COLLEAGUE": colleague.pk,
    }
    response = _post(as_user(worker), executing, **{k: values[v] for k, v in fields.items()})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    # a colleague is no valid choice at all: the form refuses before the service does
    assert message in errors or field == "responsible"
    assert not AftercarePlan.objects.exists()


def test_coordinator_may_be_responsible(executing, worker, coordinator, as_user):
    _post(as_user(worker), executing, responsible=coordinator.pk)
    assert AftercarePlan.objects.get().responsible == coordinator


def test_back_to_aftercare_renews_the_plan(worker, as_user):
    plan = AftercarePlanFactory(case__worker=worker, case__client__profile=Profile.MULTIPLE_NEEDS)
    case = plan.case
    case.phase = Phase.EXECUTION
    case.save()
    response = _post(as_user(worker), case, intensity="active", check_in_interval_days=7)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert AftercarePlan.objects.count() == 1
    assert plan.starts_on == timezone.localdate()
    assert plan.next_check_in_on == timezone.localdate() + datetime.timedelta(days=7)


def test_a_case_already_in_aftercare_goes_to_its_plan(worker, as_user):
    plan = AftercarePlanFactory(case__worker=worker)
    response = as_user(worker).get(_url(plan.case))
    assert response.url == reverse("aftercare:plan", args=[plan.case.reference])


def test_closed_case_cannot_start_aftercare(executing, worker, as_user):
    executing.closed_on, executing.outcome = timezone.localdate(), "other"
    executing.save()
    response = _post(as_user(worker), executing)
    assert "afgesloten" in response.content.decode()
    assert not AftercarePlan.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("outsider_coordinator", 404),
        ("org_admin", 404),
        ("municipal", 404),
    ],
)
def test_access(request, executing, who, status, as_user):
    http = as_user(request.getfixturevalue(who))
    assert http.get(_url(executing)).status_code == status
    if status == 404:
        assert _post(http, executing).status_code == 404
        assert not AftercarePlan.objects.exists()


def test_a_case_already_in_aftercare_without_a_plan_gets_one_without_a_phase_change(
    worker, as_user
):
    case = CaseFactory(worker=worker, phase=Phase.AFTERCARE)  # moved before plans existed
    http = as_user(worker)
    page = http.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Nazorgplan maken" in page
    response = _post(http, case, intensity="passive")
    assert response.status_code == 302
    assert AftercarePlan.objects.get(case=case).intensity == "passive"
    assert PhaseChange.objects.filter(case=case).count() == 1
