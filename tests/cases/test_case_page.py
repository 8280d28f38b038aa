"""The case page with its support plan, suggestions, referrals, consent and assessments runs
the same number of queries for a short and a long history."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import MatrixVersion, Phase
from cases.services import assessment_record
from pmw.models import AccessLog
from profiles.models import Profile
from tests.factories import ContactMomentFactory, NeedFactory
from tests.partners.factories import ConsentFactory, ReferralFactory


def _grow(case, worker, count, version):
    domains = list(version.domains.all())
    for index in range(count):
        need = NeedFactory(case=case, first_help_on=timezone.localdate() if index % 2 else None)
        ReferralFactory(need=need, warm_handover=bool(index % 2))
        ConsentFactory(client=case.client)
        ContactMomentFactory(case=case)
        assessment_record(
            case=case,
            kind="review",
            assessed_on=timezone.localdate() - datetime.timedelta(days=index),
            version=version,
            scores={d.pk: (index % 5) + 1 for d in domains},
            by=worker,
        )


def _queries(http, case):
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_constant_query_count(case, worker, coordinator, as_user):
    case.client.profile = Profile.MULTIPLE_NEEDS
    case.client.save()
    case.phase = Phase.EXECUTION
    case.save()
    version = MatrixVersion.objects.get(is_current=True)
    for who in (worker, coordinator):
        http = as_user(who)
        _grow(case, worker, 2, version)
        few = _queries(http, case)
        _grow(case, worker, 18, version)
        many = _queries(http, case)
        assert few == many, who
        assert many <= 14, many  # the budget is 15


def test_timeline_page_newest_first_and_paginated(case, worker, as_user, settings):
    settings.CASE_TIMELINE_PAGE_SIZE = 5
    for days in range(1, 8):
        ContactMomentFactory(case=case, at=timezone.now() - datetime.timedelta(days=days))
    http = as_user(worker)
    url = reverse("cases:timeline", args=[case.reference])
    with CaptureQueriesContext(connection) as ctx:
        first = http.get(url)
    assert len(ctx.captured_queries) <= 12
    entries = first.context["page"].object_list
    assert len(entries) == 5
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
    second = http.get(url, {"page": 2}).context["page"].object_list
    # 7 contact moments and the phase change that opened the case
    assert len(second) == 3
    assert max(e["at"] for e in second) <= min(e["at"] for e in entries)
    assert "Pagina 1 van 2" in first.content.decode()


def test_case_page_links_to_the_timeline_with_the_last_contact(case, worker, as_user):
    page = as_user(worker).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Nog geen contactmoment vastgelegd." in page
    assert reverse("cases:timeline", args=[case.reference]) in page


def test_one_access_log_entry(case, worker, as_user):
    as_user(worker).get(reverse("cases:detail", args=[case.reference]))
    assert AccessLog.objects.count() == 1


def test_sections_tell_what_to_do_when_empty(case, worker, as_user):
    page = as_user(worker).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Voeg eerst een hulpvraag toe" in page
    assert "Geen toestemming vastgelegd" in page
    assert "Nog geen meting" in page
