import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Outcome, Phase
from cases.services import case_close, case_share_grant
from tests.factories import ClientFactory


@pytest.fixture
def client_of_worker(worker):
    return ClientFactory(created_by=worker)


def _url(client):
    return reverse("cases:open", args=[client.number])


def test_opens_case_in_contact_phase_with_history(client_of_worker, worker, as_user):
    response = as_user(worker).post(
        _url(client_of_worker),
        {
            "worker": worker.pk,
            "contact_route": "field_online",
            "opened_on": timezone.localdate().isoformat(),
            "stop_reasons": ["falling_income"],
        },
    )
    case = Case.objects.get(client=client_of_worker)
    assert response.url == reverse("cases:detail", args=[case.reference])
    assert case.phase == Phase.CONTACT and case.organisation == worker.organisation
    assert case.phase_changes.get().to_phase == Phase.CONTACT
    # URLs carry the random reference; the database id leads nowhere.
    assert as_user(worker).get(f"/cases/{case.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"contact_route": ""}, "contact_route"),
        ({"opened_on": "FUTURE"}, "opened_on"),
        ({"opened_on": "31-02-2024"}, "opened_on"),
        ({"worker": "OUTSIDER"}, "worker"),
        ({"stop_reasons": ["bored"]}, "stop_reasons"),
    ],
)
def test_bad_input(client_of_worker, worker, outsider, as_user, fields, field):
    values = {
        "worker": worker.pk,
        "contact_route": "self",
        "opened_on": timezone.localdate().isoformat(),
    }
    values.update(fields)
    if values["opened_on"] == "FUTURE":
        values["opened_on"] = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    if values["worker"] == "OUTSIDER":
        values["worker"] = outsider.pk
    response = as_user(worker).post(_url(client_of_worker), values)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Case.objects.exists()


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
def test_access(request, client_of_worker, who, status, as_user):
    response = as_user(request.getfixturevalue(who)).get(_url(client_of_worker))
    assert response.status_code == status


def _open(http, client, worker):
    return http.post(
        _url(client),
        {"worker": worker.pk, "contact_route": "self", "opened_on": timezone.localdate()},
    )


def test_a_client_has_one_running_case_so_a_share_cannot_become_a_caseload(
    case, worker, colleague, as_user
):
    """A write share ends on its date; opening a second case with oneself as the fixed
    worker would have turned it into lasting access (and the shelter location with it)."""
    case_share_grant(
        case=case,
        user=colleague,
        expires_on=timezone.localdate() + datetime.timedelta(days=3),
        can_write=True,
        by=worker,
    )
    for who in (colleague, worker):
        response = _open(as_user(who), case.client, who)
        assert response.status_code == 200
        assert "al een lopend traject" in response.content.decode()
    assert list(Case.objects.filter(client=case.client)) == [case]
    page = as_user(worker).get(reverse("profiles:detail", args=[case.client.number]))
    assert _url(case.client) not in page.content.decode()


def test_after_closing_a_new_case_can_start(case, worker, as_user):
    case_close(case=case, by=worker, outcome=Outcome.FULLY_STOPPED, closed_on=timezone.localdate())
    http = as_user(worker)
    assert (
        _url(case.client)
        in http.get(reverse("profiles:detail", args=[case.client.number])).content.decode()
    )
    assert _open(http, case.client, worker).status_code == 302
    assert Case.objects.filter(client=case.client, closed_on__isnull=True).count() == 1
