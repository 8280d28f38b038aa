import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import ReferralStatus
from partners.selectors import referrals_awaiting_answer
from pmw.models import Role
from profiles.models import AccessBlock
from tests.factories import CaseFactory, NeedFactory, UserFactory
from tests.partners.factories import ContactPersonFactory, ReferralFactory

URL = reverse("partners:queue")
S = ReferralStatus


def _referral(worker, *, days_ago, status=S.REQUESTED, sent_days_ago=None, name=None):
    case = CaseFactory(worker=worker, **({"client__working_name": name} if name else {}))
    referral = ReferralFactory(
        need=NeedFactory(case=case),
        status=status,
        requested_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    if sent_days_ago is not None:
        referral.sent_at = timezone.now() - datetime.timedelta(days=sent_days_ago)
        referral.contact_person = ContactPersonFactory(partner=referral.partner)
        referral.save()
    return referral


def test_oldest_first_and_only_awaiting_assignment(worker, colleague, coordinator, as_user):
    _referral(worker, days_ago=2, name="Tweede")
    _referral(colleague, days_ago=9, name="Eerste")
    _referral(worker, days_ago=1, name="Derde")
    _referral(worker, days_ago=30, status=S.ASSIGNED, name="AlToegewezen")
    response = as_user(coordinator).get(URL)
    names = [r.case.client.working_name for r in response.context["waiting"]]
    assert names == ["Eerste", "Tweede", "Derde"]


def test_other_organisations_are_not_in_the_queue(outsider, coordinator, as_user):
    _referral(outsider, days_ago=3, name="Elders")
    assert "Elders" not in as_user(coordinator).get(URL).content.decode()


def test_a_coordinator_barred_from_a_client_does_not_see_its_referrals(
    worker, coordinator, settings, as_user
):
    settings.REFERRAL_ANSWER_DAYS = 10
    waiting = _referral(worker, days_ago=2, name="Geblokkeerd")
    sent = _referral(worker, days_ago=20, status=S.SENT, sent_days_ago=11, name="OokGeblokkeerd")
    _referral(worker, days_ago=3, name="Zichtbaar")
    other = UserFactory(organisation=coordinator.organisation, role=Role.COORDINATOR)
    for referral in (waiting, sent):
        AccessBlock.objects.create(
            client=referral.case.client,
            user=coordinator,
            reason="kent de persoon",
            created_by=other,
        )
    page = as_user(coordinator).get(URL).content.decode()
    assert "Zichtbaar" in page
    assert "Geblokkeerd" not in page and "OokGeblokkeerd" not in page
    page = as_user(other).get(URL).content.decode()
    assert "Geblokkeerd" in page and "OokGeblokkeerd" in page


def test_sent_without_answer_stands_out_after_the_setting(worker, coordinator, settings, as_user):
    settings.REFERRAL_ANSWER_DAYS = 10
    _referral(worker, days_ago=20, status=S.SENT, sent_days_ago=11, name="TeLang")
    _referral(worker, days_ago=20, status=S.SENT, sent_days_ago=9, name="NogBinnen")
    _referral(worker, days_ago=20, status=S.ACCEPTED, sent_days_ago=15, name="Beantwoord")
    page = as_user(coordinator).get(URL).content.decode()
    assert "TeLang" in page and "NogBinnen" not in page and "Beantwoord" not in page
    assert "geen antwoord na 10 dagen" in page.lower()
    settings.REFERRAL_ANSWER_DAYS = 5
    assert "NogBinnen" in as_user(coordinator).get(URL).content.decode()


def test_awaiting_answer_selector_all_organisations(worker, outsider):
    mine = _referral(worker, days_ago=20, status=S.SENT, sent_days_ago=12)
    theirs = _referral(outsider, days_ago=20, status=S.SENT, sent_days_ago=15)
    assert list(referrals_awaiting_answer()) == [theirs, mine]
    assert list(
        referrals_awaiting_answer(older_than_days=0, organisation=mine.case.organisation)
    ) == [mine]


def test_assign_in_one_step_from_the_queue(worker, coordinator, as_user):
    referral = _referral(worker, days_ago=2)
    response = as_user(coordinator).post(reverse("partners:approve", args=[referral.reference]))
    assert response.url == URL
    referral.refresh_from_db()
    assert referral.status == S.ASSIGNED
    assert referral.events.last().by == coordinator


def _queries(http):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow(worker, colleague, coordinator, as_user):
    http = as_user(coordinator)
    for index in range(2):
        _referral(worker, days_ago=index)
        _referral(colleague, days_ago=20, status=S.SENT, sent_days_ago=15)
    few = _queries(http)
    for index in range(18):
        _referral(worker if index % 2 else colleague, days_ago=index)
        _referral(colleague, days_ago=20, status=S.SENT, sent_days_ago=15)
    many = _queries(http)
    assert few == many
    # Session, user, device; per list a count, a page and two lookups by id (contact person
    # and requester, or contact person and worker; none when no row has one); the log entry.
    assert many <= 12


@pytest.mark.parametrize("who", ["worker", "org_admin", "municipal", "outsider"])
def test_queue_is_for_coordinators(request, who, as_user):
    assert as_user(request.getfixturevalue(who)).get(URL).status_code == 404


def test_empty_queue_says_so(coordinator, as_user):
    assert "Niets om toe te wijzen" in as_user(coordinator).get(URL).content.decode()


def test_both_lists_page_on_their_own(worker, coordinator, settings, as_user):
    settings.REFERRAL_QUEUE_PAGE_SIZE = 2
    for n, days in enumerate((9, 8, 7)):
        _referral(worker, days_ago=days, name=f"Wacht{n}")
    for n, days in enumerate((30, 29, 28)):
        _referral(worker, days_ago=40, status=S.SENT, sent_days_ago=days, name=f"Stil{n}")
    http = as_user(coordinator)

    first = http.get(URL).content.decode()
    assert "Wacht0" in first and "Wacht1" in first and "Wacht2" not in first
    assert "Stil0" in first and "Stil1" in first and "Stil2" not in first
    assert 'href="?page=2"' in first and 'href="?overdue=2"' in first

    page = http.get(URL, {"page": 2, "overdue": 2}).content.decode()
    assert "Wacht2" in page and "Wacht0" not in page
    assert "Stil2" in page and "Stil0" not in page
    # Turning one list's page keeps the other's.
    assert 'href="?overdue=2&amp;page=1"' in page and 'href="?page=2&amp;overdue=1"' in page
