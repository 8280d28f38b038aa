"""An access block bars one named user from one client, overriding every other grant."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from profiles.models import AccessBlock
from profiles.services import access_block_create
from tests.factories import CaseFactory


def test_coordinator_blocks_a_colleague_through_the_page(case, coordinator, colleague, as_user):
    http = as_user(coordinator)
    url = reverse("profiles:blocks", args=[case.client.number])
    assert http.get(url).status_code == 200
    response = http.post(url, {"user": colleague.pk, "reason": "Kent de persoon privé"})
    assert response.status_code == 302
    assert AccessBlock.objects.get().user == colleague


def test_a_blocked_coordinator_sees_nothing_of_the_client(case, coordinator, org_a, as_user):
    other_coordinator = type(coordinator).objects.create(
        username="coord2", organisation=org_a, role="coordinator"
    )
    access_block_create(
        client=case.client, user=coordinator, reason="buurvrouw", by=other_coordinator
    )
    http = as_user(coordinator)
    assert http.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert http.get(reverse("profiles:detail", args=[case.client.number])).status_code == 404
    page = http.get(reverse("cases:list")).content.decode()
    assert case.client.working_name not in page


def test_the_fixed_worker_cannot_be_blocked_while_the_case_is_open(case, worker, coordinator):
    with pytest.raises(ValidationError) as exc:
        access_block_create(client=case.client, user=worker, reason="x", by=coordinator)
    assert "user" in exc.value.message_dict


def test_removing_a_block_restores_access(case, coordinator, colleague, worker, as_user):
    other = CaseFactory(worker=colleague, client=case.client)
    block = AccessBlock.objects.create(
        client=case.client, user=colleague, reason="x", created_by=coordinator
    )
    assert (
        as_user(colleague).get(reverse("cases:detail", args=[other.reference])).status_code == 404
    )
    response = as_user(coordinator).post(
        reverse("profiles:block_remove", args=[case.client.number, block.pk])
    )
    assert response.status_code == 302
    assert (
        as_user(colleague).get(reverse("cases:detail", args=[other.reference])).status_code == 200
    )


def test_workers_cannot_manage_blocks(case, worker, as_user):
    response = as_user(worker).get(reverse("profiles:blocks", args=[case.client.number]))
    assert response.status_code == 403


def test_a_blocked_worker_cannot_become_the_fixed_worker(case, colleague, coordinator):
    from cases.services import case_reassign

    AccessBlock.objects.create(
        client=case.client, user=colleague, reason="x", created_by=coordinator
    )
    with pytest.raises(ValidationError) as exc:
        case_reassign(case=case, to_worker=colleague, by=coordinator, reason="vakantie")
    assert "to_worker" in exc.value.message_dict
