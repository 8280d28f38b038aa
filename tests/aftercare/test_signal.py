import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import SIGNAL_LIFE_DOMAIN, Signal, SignalKind
from cases.models import LifeDomain, Need, Phase
from tests.factories import AftercarePlanFactory


@pytest.fixture
def plan(worker):
    return AftercarePlanFactory(case__worker=worker)


def _url(plan):
    return reverse("aftercare:signal", args=[plan.case.reference])


def _post(http, plan, **fields):
    data = {
        "kind": "lost_job",
        "severity": "medium",
        "noted_on": timezone.localdate().isoformat(),
        "note": "Contract niet verlengd.",
    }
    data.update(fields)
    return http.post(_url(plan), data)


def test_every_signal_kind_but_other_maps_to_an_existing_life_domain(db):
    assert set(SIGNAL_LIFE_DOMAIN) == set(SignalKind) - {SignalKind.OTHER}
    codes = set(LifeDomain.objects.values_list("code", flat=True))
    assert set(SIGNAL_LIFE_DOMAIN.values()) <= codes


def test_a_signal_alone_changes_nothing_else(plan, worker, as_user):
    assert _post(as_user(worker), plan).status_code == 302
    signal = Signal.objects.get()
    assert (signal.kind, signal.by, signal.reopened_case, signal.need) == (
        "lost_job",
        worker,
        False,
        None,
    )
    plan.case.refresh_from_db()
    assert plan.case.phase == Phase.AFTERCARE


def test_reopen_and_need_in_one_step(plan, worker, as_user):
    response = _post(
        as_user(worker), plan, kind="debts", severity="high", reopen="on", create_need="on"
    )
    assert response.status_code == 302
    case = plan.case
    case.refresh_from_db()
    assert case.phase == Phase.EXECUTION
    change = case.phase_changes.last()
    assert (change.from_phase, change.to_phase) == ("aftercare", "execution")
    assert "Oplopende schulden" in change.note
    need = Need.objects.get(case=case)
    assert need.domain.code == "debt" and need.priority == "high"
    assert need.description == "Contract niet verlengd."
    assert Signal.objects.get().need == need
    # no check-in reminders while back in execution: the source filters on the phase
    page = as_user(worker).get(reverse("aftercare:plan", args=[case.reference])).content.decode()
    assert "Terug naar nazorg" in page


def test_other_needs_a_chosen_domain_and_nothing_is_saved_half(plan, worker, as_user):
    http = as_user(worker)
    response = _post(http, plan, kind="other", reopen="on", create_need="on")
    assert "leefdomein" in " ".join(response.context["form"].errors["need_domain"])
    plan.case.refresh_from_db()
    assert plan.case.phase == Phase.AFTERCARE  # the phase change was rolled back
    assert not Signal.objects.exists() and not Need.objects.exists()
    housing = LifeDomain.objects.get(code="housing")
    _post(http, plan, kind="other", create_need="on", need_domain=housing.pk)
    assert Need.objects.get().domain == housing


def test_reopen_when_no_longer_in_aftercare_is_refused(plan, worker, as_user):
    plan.case.phase = Phase.EXECUTION
    plan.case.save()
    response = _post(as_user(worker), plan, reopen="on")
    assert "niet meer in de nazorgfase" in " ".join(response.context["form"].errors["reopen"])
    assert not Signal.objects.exists()


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
        assert _post(http, plan, reopen="on").status_code == 404
        assert not Signal.objects.exists()
