import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Phase
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
