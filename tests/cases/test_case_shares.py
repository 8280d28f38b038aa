"""Sharing a case with a colleague: with an end date, read-only or read-write, in one query."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseShare
from cases.selectors import cases_visible_to
from cases.services import case_share_grant
from pmw.models import AccessLog
from profiles.models import AccessBlock
from profiles.selectors import clients_visible_to
from tests.factories import CaseFactory


def _share(case, user, *, days=7, can_write=False):
    return case_share_grant(
        case=case,
        user=user,
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
        can_write=can_write,
        by=case.worker,
    )


def test_owner_shares_through_the_page(case, worker, colleague, as_user):
    http = as_user(worker)
    assert http.get(reverse("cases:shares", args=[case.reference])).status_code == 200
    until = timezone.localdate() + datetime.timedelta(days=14)
    response = http.post(
        reverse("cases:shares", args=[case.reference]),
        {"user": colleague.pk, "expires_on": until.isoformat(), "can_write": "on"},
    )
    assert response.status_code == 302
    share = CaseShare.objects.get()
    assert (share.user, share.expires_on, share.can_write) == (colleague, until, True)


def test_a_date_in_the_past_is_refused_next_to_the_field(case, worker, colleague, as_user):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = as_user(worker).post(
        reverse("cases:shares", args=[case.reference]),
        {"user": colleague.pk, "expires_on": yesterday.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"]
    assert not CaseShare.objects.exists()


def test_read_only_share_reads_but_cannot_write(case, colleague, as_user):
    _share(case, colleague)
    http = as_user(colleague)
    assert http.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    assert http.get(reverse("profiles:detail", args=[case.client.number])).status_code == 200
    assert http.get(reverse("cases:log_contact", args=[case.reference])).status_code == 403
    assert http.get(reverse("profiles:edit", args=[case.client.number])).status_code == 403
    assert http.get(reverse("cases:shares", args=[case.reference])).status_code == 403


def test_write_share_may_log_contact_on_behalf_of_the_fixed_worker(
    case, worker, colleague, as_user
):
    _share(case, colleague, can_write=True)
    http = as_user(colleague)
    assert http.get(reverse("cases:log_contact", args=[case.reference])).status_code == 200
    entry = AccessLog.objects.filter(record_type="case").latest("id")
    assert (entry.username, entry.on_behalf_of) == ("colleague", worker)


def test_shared_case_is_on_the_colleagues_caseload(case, colleague, as_user):
    _share(case, colleague)
    page = as_user(colleague).get(reverse("cases:list")).content.decode()
    assert case.client.working_name in page


def test_share_expires_after_its_end_date(case, colleague, as_user):
    _share(case, colleague, days=2)
    http = as_user(colleague)
    url = reverse("cases:detail", args=[case.reference])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert cases_visible_to(colleague).filter(pk=case.pk).exists()  # the end date counts
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert not cases_visible_to(colleague).filter(pk=case.pk).exists()
        assert not clients_visible_to(colleague).filter(pk=case.client_id).exists()
    assert http.get(url).status_code == 200


def test_revoke_ends_access(case, worker, colleague, as_user):
    share = _share(case, colleague)
    response = as_user(worker).post(reverse("cases:share_revoke", args=[case.reference, share.pk]))
    assert response.status_code == 302
    assert as_user(colleague).get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_only_workers_of_the_same_organisation(case, outsider, coordinator):
    with pytest.raises(ValidationError) as exc:
        _share(case, outsider)
    assert "user" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _share(case, coordinator)  # coordinators see the organisation already


def test_an_access_block_overrides_a_share(case, colleague, coordinator, as_user):
    _share(case, colleague, can_write=True)
    AccessBlock.objects.create(
        client=case.client, user=colleague, reason="x", created_by=coordinator
    )
    assert as_user(colleague).get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert not clients_visible_to(colleague).exists()


def test_caseload_query_count_does_not_grow_with_shares(worker, colleague, as_user, settings):
    settings.CASELOAD_PAGE_SIZE = 100
    http = as_user(colleague)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(reverse("cases:list")).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        _share(CaseFactory(worker=worker), colleague)
    few = count()
    for _ in range(20):
        _share(CaseFactory(worker=worker), colleague)
    assert count() == few
