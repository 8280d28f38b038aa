import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import WorkerChange
from profiles.models import Profile


def _url(case):
    return reverse("cases:reassign", args=[case.reference])


def test_coordinator_reassigns_and_it_shows_on_the_timeline(case, colleague, coordinator, as_user):
    http = as_user(coordinator)
    response = http.post(_url(case), {"to_worker": colleague.pk, "reason": "Zwangerschapsverlof."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.worker == colleague
    change = WorkerChange.objects.get(case=case)
    assert change.by == coordinator and change.reason == "Zwangerschapsverlof."
    page = http.get(reverse("cases:timeline", args=[case.reference])).content.decode()
    assert "Vaste hulpverlener gewijzigd" in page


@pytest.mark.parametrize("extra_care", ["exploitation", "minor"])
def test_extra_care_clients_need_explicit_confirmation(
    case, colleague, coordinator, as_user, extra_care
):
    if extra_care == "exploitation":
        case.client.profile = Profile.EXPLOITATION
    else:
        case.client.birth_year = None
        case.client.birth_date = datetime.date(timezone.localdate().year - 12, 1, 1)
    case.client.save()
    http = as_user(coordinator)
    page = http.get(_url(case)).content.decode()
    assert "Liever geen wisseling van hulpverlener." in page
    response = http.post(_url(case), {"to_worker": colleague.pk, "reason": "Ziek."})
    assert response.context["form"].errors["extra_care_confirmed"]
    case.refresh_from_db()
    assert case.worker != colleague
    response = http.post(
        _url(case), {"to_worker": colleague.pk, "reason": "Ziek.", "extra_care_confirmed": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.worker == colleague


def test_no_warning_for_other_clients(case, coordinator, as_user):
    assert "Liever geen wisseling" not in as_user(coordinator).get(_url(case)).content.decode()


def test_cannot_assign_someone_outside_the_organisation(case, outsider, coordinator, as_user):
    response = as_user(coordinator).post(_url(case), {"to_worker": outsider.pk, "reason": "x"})
    assert response.context["form"].errors["to_worker"]
    case.refresh_from_db()
    assert case.worker != outsider


def test_reason_is_required(case, colleague, coordinator, as_user):
    response = as_user(coordinator).post(_url(case), {"to_worker": colleague.pk, "reason": ""})
    assert response.context["form"].errors["reason"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("worker", 403),
        ("colleague", 404),
        ("outsider_coordinator", 404),
        ("municipal", 404),
    ],
)
def test_access(request, case, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(_url(case)).status_code == status
