"""A worker of organisation A never reaches a client or case of organisation B."""

import pytest
from django.urls import reverse

from cases.models import Case
from pmw.models import AccessLog
from profiles.models import Client
from tests.factories import CaseFactory, ContactMomentFactory

CLIENT_PAGES = ["profiles:detail", "profiles:edit", "cases:open"]
CASE_PAGES = [
    "cases:detail",
    "cases:timeline",
    "cases:log_contact",
    "cases:change_phase",
    "cases:close",
    "cases:reassign",
]


@pytest.fixture
def case_b(outsider):
    case = CaseFactory(worker=outsider)
    ContactMomentFactory(case=case, note="Notitie van organisatie B")
    return case


def _urls(case):
    return [reverse(name, args=[case.client.number]) for name in CLIENT_PAGES] + [
        reverse(name, args=[case.reference]) for name in CASE_PAGES
    ]


@pytest.mark.parametrize("who", ["worker", "coordinator", "org_admin", "municipal"])
def test_nobody_from_another_organisation_reaches_b(request, who, case_b, as_user):
    http = as_user(request.getfixturevalue(who))
    for url in _urls(case_b):
        assert http.get(url).status_code == 404, url
        assert http.post(url, {"to": "orientation", "working_name": "x"}).status_code == 404, url
    assert Client.objects.get(pk=case_b.client.pk).working_name == case_b.client.working_name
    assert Case.objects.get(pk=case_b.pk).phase == "contact"


def test_b_does_not_appear_in_a_lists_or_search(case_b, coordinator, as_user):
    http = as_user(coordinator)
    for query in ["", case_b.client.working_name, case_b.client.number]:
        response = http.post(reverse("cases:list"), {"q": query, "status": "all"}, follow=True)
        assert list(response.context["page"].object_list) == []
    page = http.get(reverse("cases:list"), {"status": "all", "reset": "1"}).content.decode()
    assert case_b.client.working_name not in page
    assert case_b.client.number not in page


def test_a_colleague_without_the_case_gets_404(case, colleague, as_user):
    http = as_user(colleague)
    for url in _urls(case):
        assert http.get(url).status_code == 404, url


def test_denied_access_is_logged(case_b, worker, as_user):
    as_user(worker).get(reverse("cases:detail", args=[case_b.reference]))
    entry = AccessLog.objects.get(action=AccessLog.Action.DENIED)
    assert entry.username == "worker"
    assert entry.record_ref == case_b.reference
    assert entry.client_number == ""  # a denial does not confirm the client exists


def test_anonymous_is_sent_to_login(case, client):
    response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
