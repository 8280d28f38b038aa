import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseShare
from cases.services import case_share_grant
from partners.models import Transfer, TransferStatus
from partners.services import transfer_propose
from pmw.models import AccessLog
from profiles.models import AccessBlock
from tests.factories import CaseFactory, ContactMomentFactory, NeedFactory, UserFactory
from tests.partners.factories import ConsentFactory, ReferralFactory

TODAY = timezone.localdate


def _case_url(case):
    return reverse("cases:detail", args=[case.reference])


def _client_url(case):
    return reverse("profiles:detail", args=[case.client.number])


def _propose(case, coordinator, org_b, as_user):
    response = as_user(coordinator).post(
        reverse("partners:propose_transfer", args=[case.reference]),
        {
            "to_organisation": org_b.pk,
            "reason": "Gespecialiseerd in mannelijke sekswerkers.",
            "consent_given_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    return Transfer.objects.get()


def _sees(http, case):
    return (http.get(_case_url(case)).status_code, http.get(_client_url(case)).status_code)


def test_access_before_and_after_acceptance(
    case, worker, coordinator, outsider, outsider_coordinator, org_b, as_user
):
    ContactMomentFactory(case=case)
    NeedFactory(case=case)
    ReferralFactory(need=NeedFactory(case=case))
    ConsentFactory(client=case.client)
    transfer = _propose(case, coordinator, org_b, as_user)
    # Proposed: nothing has moved yet.
    assert _sees(as_user(worker), case) == (200, 200)
    assert _sees(as_user(coordinator), case) == (200, 200)
    assert _sees(as_user(outsider), case) == (404, 404)
    assert _sees(as_user(outsider_coordinator), case) == (404, 404)
    decide = reverse("partners:decide_transfer", args=[transfer.reference])
    assert as_user(outsider_coordinator).get(decide).status_code == 200
    assert as_user(coordinator).get(decide).status_code == 404

    response = as_user(outsider_coordinator).post(
        decide, {"decision": "accept", "new_worker": outsider.pk}
    )
    assert response.url == _case_url(case)

    # Accepted: the sending organisation has lost access, the receiving one has it.
    assert _sees(as_user(worker), case) == (404, 404)
    assert _sees(as_user(coordinator), case) == (404, 404)
    assert _sees(as_user(outsider), case) == (200, 200)
    assert _sees(as_user(outsider_coordinator), case) == (200, 200)
    case.refresh_from_db()
    case.client.refresh_from_db()
    assert case.organisation == org_b and case.client.organisation == org_b
    assert case.worker == outsider
    # The history moved with it.
    assert case.contact_moments.count() == 1
    assert case.needs.count() == 2 and case.referrals.count() == 1
    assert case.client.consents.count() == 1
    assert case.worker_changes.get().to_worker == outsider
    assert AccessLog.objects.filter(action="transfer", record_ref=case.reference).count() == 1
    transfer.refresh_from_db()
    assert (
        transfer.status == TransferStatus.ACCEPTED and transfer.decided_by == outsider_coordinator
    )


def test_decline_keeps_everything_where_it_was(
    case, worker, coordinator, outsider_coordinator, org_b, as_user
):
    transfer = _propose(case, coordinator, org_b, as_user)
    decide = reverse("partners:decide_transfer", args=[transfer.reference])
    as_user(outsider_coordinator).post(decide, {"decision": "decline", "reason": "Geen plek."})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    assert _sees(as_user(worker), case) == (200, 200)
    assert _sees(as_user(outsider_coordinator), case) == (404, 404)
    page = as_user(coordinator).get(reverse("partners:transfers")).content.decode()
    assert "Geen plek." in page


def test_new_worker_must_belong_to_the_receiving_organisation(
    case, coordinator, worker, outsider_coordinator, org_b, as_user
):
    transfer = _propose(case, coordinator, org_b, as_user)
    decide = reverse("partners:decide_transfer", args=[transfer.reference])
    response = as_user(outsider_coordinator).post(
        decide, {"decision": "accept", "new_worker": worker.pk}
    )
    assert response.status_code == 200
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


def test_the_senders_shares_end_and_its_blocks_stay_out_of_the_receivers_sight(
    case, worker, colleague, coordinator, outsider, outsider_coordinator, org_b, as_user
):
    case_share_grant(
        case=case,
        user=colleague,
        expires_on=TODAY() + datetime.timedelta(days=30),
        can_write=True,
        by=worker,
    )
    spare = UserFactory(organisation=coordinator.organisation, role="worker")
    AccessBlock.objects.create(
        client=case.client, user=spare, reason="Kent haar privé", created_by=coordinator
    )
    transfer = _propose(case, coordinator, org_b, as_user)
    as_user(outsider_coordinator).post(
        reverse("partners:decide_transfer", args=[transfer.reference]),
        {"decision": "accept", "new_worker": outsider.pk},
    )
    assert not CaseShare.objects.filter(case=case).exists()
    blocks = reverse("profiles:blocks", args=[case.client.number])
    page = as_user(outsider_coordinator).get(blocks).content.decode()
    assert "Kent haar privé" not in page and spare.username not in page
    # The block itself stays: should the client ever return, it still bars the colleague.
    assert AccessBlock.objects.filter(client=case.client, user=spare).exists()
    block = AccessBlock.objects.get(client=case.client, user=spare)
    remove = reverse("profiles:block_remove", args=[case.client.number, block.pk])
    assert as_user(outsider_coordinator).post(remove).status_code == 404


def test_a_barred_colleague_of_the_receiver_cannot_become_the_worker(
    case, coordinator, outsider, outsider_coordinator, org_b, as_user
):
    AccessBlock.objects.create(
        client=case.client, user=outsider, reason="kent", created_by=outsider_coordinator
    )
    transfer = _propose(case, coordinator, org_b, as_user)
    response = as_user(outsider_coordinator).post(
        reverse("partners:decide_transfer", args=[transfer.reference]),
        {"decision": "accept", "new_worker": outsider.pk},
    )
    assert response.status_code == 200
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 200), ("worker", 403), ("outsider_coordinator", 404), ("municipal", 404)],
)
def test_propose_access(request, case, who, status, as_user):
    url = reverse("partners:propose_transfer", args=[case.reference])
    assert as_user(request.getfixturevalue(who)).get(url).status_code == status


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("to_organisation", "OWN", "geldige keuze"),
        ("consent_given_on", "FUTURE", "toekomst"),
        ("consent_given_on", "", "verplicht"),
    ],
)
def test_propose_refusals(case, coordinator, org_a, org_b, as_user, field, value, message):
    data = {
        "to_organisation": org_b.pk,
        "reason": "x",
        "consent_given_on": TODAY().isoformat(),
    }
    data[field] = {
        "OWN": org_a.pk,
        "FUTURE": (TODAY() + datetime.timedelta(days=1)).isoformat(),
    }.get(value, value)
    response = as_user(coordinator).post(
        reverse("partners:propose_transfer", args=[case.reference]), data
    )
    assert message in " ".join(response.context["form"].errors[field])
    assert not Transfer.objects.exists()


def test_only_one_open_proposal(case, coordinator, org_b, as_user):
    _propose(case, coordinator, org_b, as_user)
    response = as_user(coordinator).post(
        reverse("partners:propose_transfer", args=[case.reference]),
        {"to_organisation": org_b.pk, "reason": "x", "consent_given_on": TODAY().isoformat()},
    )
    assert "al een overdracht" in response.content.decode()


@pytest.mark.parametrize("who", ["worker", "municipal", "org_admin"])
def test_transfer_list_is_for_coordinators(request, who, as_user):
    url = reverse("partners:transfers")
    assert as_user(request.getfixturevalue(who)).get(url).status_code == 404


def test_receiving_coordinator_sees_the_incoming_proposal(
    case, coordinator, outsider_coordinator, org_b, as_user
):
    _propose(case, coordinator, org_b, as_user)
    page = as_user(outsider_coordinator).get(reverse("partners:transfers")).content.decode()
    assert "Gespecialiseerd in mannelijke sekswerkers." in page
    assert case.client.working_name not in page


def test_refused_while_the_client_has_another_open_case(
    case, coordinator, colleague, org_b, as_user
):
    CaseFactory(client=case.client, worker=colleague)
    response = as_user(coordinator).post(
        reverse("partners:propose_transfer", args=[case.reference]),
        {"to_organisation": org_b.pk, "reason": "x", "consent_given_on": TODAY().isoformat()},
    )
    assert "ander open traject" in response.content.decode()
    assert not Transfer.objects.exists()


def test_transfer_list_query_count_does_not_grow(
    org_a, org_b, coordinator, outsider_coordinator, as_user
):
    def add(count):
        for _ in range(count):
            case = CaseFactory(worker=coordinator)
            transfer_propose(
                case=case,
                to_organisation=org_b,
                reason="x",
                consent_given_on=TODAY(),
                by=coordinator,
            )
            other = CaseFactory(worker=outsider_coordinator)
            transfer_propose(
                case=other,
                to_organisation=org_a,
                reason="y",
                consent_given_on=TODAY(),
                by=outsider_coordinator,
            )

    http = as_user(coordinator)
    url = reverse("partners:transfers")
    add(2)
    with CaptureQueriesContext(connection) as few:
        http.get(url)
    add(10)
    with CaptureQueriesContext(connection) as many:
        http.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)
