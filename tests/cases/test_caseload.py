import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Phase
from pmw.models import AccessLog
from tests.factories import CaseFactory, ClientFactory, ContactMomentFactory

URL = reverse("cases:list")


def _make_cases(worker, count):
    for index in range(count):
        case = CaseFactory(worker=worker, phase=Phase.values[index % 4])
        case.last_contact_at = timezone.now() - datetime.timedelta(days=index)
        case.save()


def _queries_for(http, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(URL, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["worker", "coordinator"])
def test_query_count_does_not_grow_with_cases(request, who, worker, settings, as_user):
    settings.CASELOAD_PAGE_SIZE = 100
    http = as_user(request.getfixturevalue(who))
    _make_cases(worker, 5)
    few = _queries_for(http)
    _make_cases(worker, 45)
    many = _queries_for(http)
    assert few == many
    assert many <= 9  # includes loading the verified second-factor device


def test_sorted_by_last_contact_and_never_contacted_last(worker, as_user):
    old = CaseFactory(worker=worker, client__working_name="Oud")
    new = CaseFactory(worker=worker, client__working_name="Nieuw")
    CaseFactory(worker=worker, client__working_name="Zonder")
    ContactMomentFactory(case=old, at=timezone.now() - datetime.timedelta(days=20))
    ContactMomentFactory(case=new, at=timezone.now() - datetime.timedelta(days=2))
    old.last_contact_at = timezone.now() - datetime.timedelta(days=20)
    old.save()
    new.last_contact_at = timezone.now() - datetime.timedelta(days=2)
    new.save()
    page = as_user(worker).get(URL).content.decode()
    assert page.index("Nieuw") < page.index("Oud") < page.index("Zonder")


def test_worker_sees_only_own_cases_coordinator_sees_organisation(
    worker, colleague, coordinator, as_user
):
    CaseFactory(worker=worker, client__working_name="VanMij")
    CaseFactory(worker=colleague, client__working_name="VanCollega")
    mine = as_user(worker).get(URL).content.decode()
    assert "VanMij" in mine and "VanCollega" not in mine
    everyone = as_user(coordinator).get(URL).content.decode()
    assert "VanMij" in everyone and "VanCollega" in everyone
    own_only = as_user(coordinator).get(URL, {"scope": "mine"}).content.decode()
    assert "VanMij" not in own_only


def test_filter_by_phase_and_search(worker, as_user):
    CaseFactory(worker=worker, client__working_name="Fleur", phase=Phase.EXECUTION)
    other = CaseFactory(worker=worker, client__working_name="Gina", phase=Phase.CONTACT)
    http = as_user(worker)
    page = http.get(URL, {"phase": "execution"}).content.decode()
    assert "Fleur" in page and "Gina" not in page
    page = http.post(URL, {"q": "flE"}, follow=True).content.decode()
    assert "Fleur" in page and "Gina" not in page
    page = http.post(URL, {"q": other.client.number}, follow=True).content.decode()
    assert "Gina" in page and "Fleur" not in page
    page = http.post(URL, {"q": "niemand"}, follow=True).content.decode()
    assert "Geen trajecten gevonden" in page


def test_closed_cases_only_when_asked(worker, as_user):
    CaseFactory(
        worker=worker,
        client__working_name="Afgerond",
        closed_on=timezone.localdate(),
        outcome="fully_stopped",
    )
    http = as_user(worker)
    assert "Afgerond" not in http.get(URL).content.decode()
    assert "Afgerond" in http.get(URL, {"status": "closed"}).content.decode()


def test_paginated(worker, settings, as_user):
    settings.CASELOAD_PAGE_SIZE = 10
    _make_cases(worker, 23)
    http = as_user(worker)
    first = http.get(URL)
    assert len(first.context["page"].object_list) == 10
    assert "Pagina 1 van 3" in first.content.decode()
    assert len(http.get(URL, {"page": 3}).context["page"].object_list) == 3
    assert http.get(URL, {"page": "onzin"}).context["page"].number == 1


def test_empty_state_tells_what_to_do(worker, as_user):
    page = as_user(worker).get(URL).content.decode()
    assert "Begin met het registreren van een cliënt" in page


def test_list_is_logged_without_the_search_term(worker, as_user):
    ClientFactory(created_by=worker)
    as_user(worker).post(URL, {"q": "Geheimenaam"}, follow=True)
    entry = AccessLog.objects.get(record_type="caseload")
    assert entry.action == AccessLog.Action.SEARCH
    assert "Geheimenaam" not in entry.detail


@pytest.mark.parametrize("who", ["org_admin", "municipal"])
def test_no_caseload_without_casework_role(request, who, as_user, db):
    assert as_user(request.getfixturevalue(who)).get(URL).status_code == 404


def test_search_term_stays_out_of_the_url(worker, as_user):
    CaseFactory(worker=worker, client__working_name="Fleur")
    CaseFactory(worker=worker, client__working_name="Gina")
    http = as_user(worker)
    response = http.post(URL, {"q": "Fleur", "phase": "", "status": "all"})
    assert response.status_code == 302
    assert "Fleur" not in response.url and response.url == URL + "?status=all"
    page = http.get(response.url).content.decode()
    assert "Fleur" in page and "Gina" not in page
    # A name typed into the URL is not a search.
    assert "Gina" in http.get(URL, {"q": "Fleur", "reset": "1"}).content.decode()
