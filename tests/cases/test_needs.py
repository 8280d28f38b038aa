import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import LifeDomain, Need, NeedStatus, Phase
from cases.services import need_record_first_help, need_update_status
from profiles.models import Profile
from tests.factories import NeedFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def _detail(case):
    return reverse("cases:detail", args=[case.reference])


def test_add_need(case, worker, as_user):
    response = as_user(worker).post(
        reverse("cases:add_need", args=[case.reference]),
        {
            "domain": LifeDomain.objects.get(code="debt").pk,
            "description": "Rust in de schulden",
            "priority": "high",
            "answered_by": "pmw",
            "identified_on": TODAY().isoformat(),
        },
    )
    assert response.url == _detail(case)
    need = Need.objects.get()
    assert (need.priority, need.status, need.created_by) == ("high", "open", worker)
    assert "Rust in de schulden" in as_user(worker).get(_detail(case)).content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("municipal", 404),
        ("org_admin", 404),
    ],
)
def test_need_pages_access(request, case, who, status, as_user):
    need = NeedFactory(case=case)
    http = as_user(request.getfixturevalue(who))
    for url in (
        reverse("cases:add_need", args=[case.reference]),
        reverse("cases:need_status", args=[case.reference, need.pk]),
        reverse("cases:need_first_help", args=[case.reference, need.pk]),
    ):
        assert http.get(url).status_code == status


def test_need_of_another_case_is_404(case, worker, as_user):
    other = NeedFactory()
    url = reverse("cases:need_status", args=[case.reference, other.pk])
    assert as_user(worker).get(url).status_code == 404


def test_not_met_needs_a_reason_next_to_the_field(case, worker, as_user):
    need = NeedFactory(case=case)
    url = reverse("cases:need_status", args=[case.reference, need.pk])
    response = as_user(worker).post(url, {"status": "not_met", "on": TODAY().isoformat()})
    assert "waarom" in " ".join(response.context["form"].errors["not_met_reason"]).lower()
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN
    as_user(worker).post(
        url, {"status": "not_met", "not_met_reason": "waiting_list", "on": TODAY().isoformat()}
    )
    need.refresh_from_db()
    assert (need.status, need.not_met_reason, need.closed_on) == (
        "not_met",
        "waiting_list",
        TODAY(),
    )


def test_reopening_clears_closing_date_and_reason(case, worker):
    need = NeedFactory(case=case)
    need_update_status(need=need, status="not_met", not_met_reason="no_funding", by=worker)
    need = need_update_status(need=need, status="in_progress", by=worker)
    assert (need.closed_on, need.not_met_reason) == (None, "")


def test_met_sets_closed_on(case, worker):
    need = need_update_status(need=NeedFactory(case=case), status="met", by=worker)
    assert need.closed_on == TODAY()


def test_same_status_is_refused(case, worker):
    with pytest.raises(ValidationError):
        need_update_status(need=NeedFactory(case=case), status="open", by=worker)


def test_first_help(case, worker, as_user):
    need = NeedFactory(case=case, identified_on=TODAY() - 6 * DAY)
    url = reverse("cases:need_first_help", args=[case.reference, need.pk])
    as_user(worker).post(url, {"on": (TODAY() - 2 * DAY).isoformat()})
    need.refresh_from_db()
    assert need.days_to_first_help == 4 and need.status == NeedStatus.IN_PROGRESS


@pytest.mark.parametrize(("offset", "message"), [(-10, "vóór het vaststellen"), (1, "toekomst")])
def test_first_help_date_checks(case, worker, offset, message):
    need = NeedFactory(case=case, identified_on=TODAY() - 5 * DAY)
    with pytest.raises(ValidationError) as exc:
        need_record_first_help(need=need, on=TODAY() + offset * DAY, by=worker)
    assert message in exc.value.message_dict["on"][0]


def test_time_to_first_help_on_the_case_page(case, worker, as_user):
    for identified, helped in ((10, 8), (10, 4), (10, 0)):
        NeedFactory(
            case=case,
            identified_on=TODAY() - identified * DAY,
            first_help_on=TODAY() - helped * DAY,
        )
    NeedFactory(case=case, identified_on=TODAY() - 7 * DAY)
    response = as_user(worker).get(_detail(case))
    summary = response.context["first_help"]
    assert (summary["median_days"], summary["quickest_days"], summary["helped"]) == (6, 2, 3)
    assert (summary["waiting"], summary["longest_waiting_days"]) == (1, 7)
    page = response.content.decode()
    assert "mediaan 6 dagen (3 hulpvragen, snelste 2 dagen)" in page
    assert "1 open hulpvraag wacht nog op eerste hulp (langste 7 dagen)" in page


def test_empty_support_plan_says_what_to_do(case, worker, as_user):
    assert "voeg de eerste hulpvraag toe" in as_user(worker).get(_detail(case)).content.decode()


def test_closed_case_refuses_changes(case, worker, as_user):
    need = NeedFactory(case=case)
    case.closed_on, case.outcome = TODAY(), "other"
    case.save()
    url = reverse("cases:need_status", args=[case.reference, need.pk])
    response = as_user(worker).post(url, {"status": "met", "on": TODAY().isoformat()})
    assert "afgesloten" in response.content.decode()


# --- Suggestions from the profile guidance ----------------------------------------------------


def _with_profile(case, profile, phase):
    case.client.profile = profile
    case.client.save()
    case.phase = phase
    case.save()


def test_suggestions_follow_profile_and_phase(case, worker, as_user):
    _with_profile(case, Profile.MULTIPLE_NEEDS, Phase.EXECUTION)
    page = as_user(worker).get(_detail(case)).content.decode()
    assert "Suggesties bij deze fase" in page and "Aanpakken van schulden" in page
    assert "Passieve nazorg" not in page
    assert "slachtoffer" not in page.lower()
    assert not Need.objects.exists()  # never automatic


def test_exploitation_suggestions_use_neutral_words(case, worker, as_user):
    _with_profile(case, Profile.EXPLOITATION, Phase.ORIENTATION)
    page = as_user(worker).get(_detail(case)).content.decode()
    assert "iemand die aan hun kant staat" in page
    assert "slachtoffer" not in page.lower()


def test_one_click_turns_a_suggestion_into_a_need(case, worker, as_user):
    _with_profile(case, Profile.MULTIPLE_NEEDS, Phase.EXECUTION)
    url = reverse("cases:need_from_suggestion", args=[case.reference])
    response = as_user(worker).post(url, {"key": "needs-2", "domain": "debt"})
    assert response.url == _detail(case)
    need = Need.objects.get()
    page = as_user(worker).get(_detail(case)).content.decode()
    assert "In het plan (Schulden en budgetbeheer)" in page
    assert (need.domain.code, need.description, need.identified_on) == (
        "debt",
        "Aanpakken van schulden",
        TODAY(),
    )


@pytest.mark.parametrize(
    "data", [{"key": "needs-2", "domain": "housing"}, {"key": "needs-99", "domain": "debt"}, {}]
)
def test_suggestion_must_belong_to_the_current_phase(case, worker, as_user, data):
    _with_profile(case, Profile.MULTIPLE_NEEDS, Phase.EXECUTION)
    as_user(worker).post(reverse("cases:need_from_suggestion", args=[case.reference]), data)
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("colleague", 404), ("municipal", 404), ("worker", 405)]
)
def test_suggestion_post_only_and_access(request, case, who, status, as_user):
    url = reverse("cases:need_from_suggestion", args=[case.reference])
    http = as_user(request.getfixturevalue(who))
    assert (http.post(url) if status == 404 else http.get(url)).status_code == status
