import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import LifeDomain
from partners.selectors import coverage_matrix
from pmw.models import Region
from tests.partners.factories import AgreementFactory, ContactPersonFactory, PartnerFactory

URL = reverse("partners:coverage")
DAY = datetime.timedelta(days=1)


def _domain(code):
    return LifeDomain.objects.get(code=code)


def _region(code):
    return Region.objects.get(code=code)


@pytest.fixture
def network(db):
    amsterdam, arnhem = _region("amsterdam"), _region("arnhem")
    housing, debt = _domain("housing"), _domain("debt")
    # Housing in Amsterdam: three partners.
    full = PartnerFactory(domains=[housing, debt], regions=[amsterdam], sex_work_expertise=True)
    ContactPersonFactory(partner=full)
    ContactPersonFactory(partner=full)  # two contacts still count the partner once
    AgreementFactory(partner=full)
    AgreementFactory(partner=full)
    contact_only = PartnerFactory(domains=[housing], regions=[amsterdam, arnhem])
    ContactPersonFactory(partner=contact_only)
    expired = PartnerFactory(domains=[housing], regions=[amsterdam])
    AgreementFactory(
        partner=expired,
        valid_from=timezone.localdate() - 100 * DAY,
        valid_to=timezone.localdate() - DAY,
    )
    ContactPersonFactory(partner=expired, is_active=False)
    # Not counted: inactive partner, partner in another region only.
    PartnerFactory(domains=[housing], regions=[amsterdam], is_active=False)
    PartnerFactory(domains=[housing, debt], regions=[arnhem], sex_work_expertise=True)


def _rows(region):
    return {row["domain"].code: row for row in coverage_matrix(region)}


def test_counts_per_domain(network):
    rows = _rows(_region("amsterdam"))
    assert {
        k: rows["housing"][k]
        for k in ("partners", "with_contact", "with_agreement", "with_expertise")
    } == {
        "partners": 3,
        "with_contact": 2,
        "with_agreement": 1,
        "with_expertise": 1,
    }
    assert (rows["debt"]["partners"], rows["debt"]["with_contact"]) == (1, 1)
    assert rows["debt"]["gaps"] == []
    assert rows["safety"]["partners"] == 0
    assert rows["safety"]["gaps"] == [
        "partners",
        "with_contact",
        "with_agreement",
        "with_expertise",
    ]
    assert len(rows) == LifeDomain.objects.count()


def test_other_region(network):
    rows = _rows(_region("arnhem"))
    assert rows["housing"]["partners"] == 2
    assert rows["housing"]["with_contact"] == 1
    assert rows["housing"]["with_agreement"] == 0
    assert rows["housing"]["gaps"] == ["with_agreement"]


def test_gaps_stand_out_on_the_page(network, worker, as_user):
    page = as_user(worker).get(URL, {"region": "amsterdam"}).content.decode()
    assert "Geen enkele partner in deze regio voor:" in page
    assert "Veiligheid" in page.split("Geen enkele partner")[1].split("</div>")[0]
    assert "Wonen" not in page.split("Geen enkele partner")[1].split("</div>")[0]
    assert 'class="coverage-gap"' in page


def _queries(http):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(URL, {"region": "amsterdam"}).status_code == 200
    return len(ctx.captured_queries)


def test_constant_query_count(worker, as_user):
    http = as_user(worker)
    amsterdam = _region("amsterdam")
    PartnerFactory(regions=[amsterdam])
    few = _queries(http)
    for index in range(20):
        partner = PartnerFactory(
            regions=[amsterdam],
            domains=list(LifeDomain.objects.all()[: index % 5 + 1]),
            sex_work_expertise=bool(index % 2),
        )
        ContactPersonFactory(partner=partner)
        AgreementFactory(partner=partner)
    assert _queries(http) == few


def test_municipal_sees_only_own_region(network, municipal, as_user):
    response = as_user(municipal).get(URL, {"region": "arnhem"})
    assert response.context["region"].code == "amsterdam"
    assert response.context["regions"] == [_region("amsterdam")]


@pytest.mark.parametrize(
    ("who", "status"), [("worker", 200), ("coordinator", 200), ("org_admin", 404)]
)
def test_access(request, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(URL).status_code == status
