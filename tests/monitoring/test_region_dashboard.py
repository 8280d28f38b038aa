import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmw.models import AccessLog, Region, Role
from tests.factories import UserFactory
from tests.monitoring.data import make_region_data
from tests.monitoring.data_results import FIGURES_REPLACED, grow, make_results_data

PERIOD = {"year": "2025"}


def url(code="amsterdam"):
    return reverse("monitoring:region", args=[code])


@pytest.fixture
def data(worker, outsider):
    return make_region_data(worker, outsider)


def test_municipal_user_sees_own_region(municipal, data, as_user):
    response = as_user(municipal).get(url(), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Monitoring regio Amsterdam" in page
    assert "Cijfers van alle PMW-organisaties" in page
    tables = response.context["dashboard"].tables
    # 4 new cases (c1, c2, c6 and organisation B's b1): all below 10, so hidden.
    assert tables["new_by_gender"].footer[1] == "<10"


def test_municipal_user_of_another_region_gets_404(data, as_user):
    arnhem = UserFactory(
        role=Role.MUNICIPAL, organisation=None, region=Region.objects.get(code="arnhem")
    )
    http = as_user(arnhem)
    assert http.get(url("amsterdam"), PERIOD).status_code == 404
    assert http.get(url("arnhem"), PERIOD).status_code == 200
    assert http.get(url("bestaat-niet")).status_code == 404


def test_coordinator_sees_regions_of_the_organisation_with_only_its_figures(
    coordinator, data, as_user
):
    response = as_user(coordinator).get(url(), PERIOD)
    assert response.status_code == 200
    assert "Alleen de cijfers van Organisatie A" in response.content.decode()
    values = response.context["dashboard"].disclosure.values
    # Organisation B's case b1 in Amsterdam is not in A's figures.
    assert values["new_by_municipality|Amsterdam|new"] == 2
    assert values["new_cases"] == 3


def test_coordinator_gets_404_for_a_region_the_organisation_does_not_work_in(
    coordinator, data, as_user
):
    assert as_user(coordinator).get(url("arnhem")).status_code == 404


@pytest.mark.parametrize("who", ["worker", "colleague", "org_admin", "outsider"])
def test_others_get_404(request, who, data, as_user):
    assert as_user(request.getfixturevalue(who)).get(url(), PERIOD).status_code == 404


def test_anonymous_is_sent_to_login(client):
    assert client.get(url()).status_code == 302


def test_every_view_is_logged_once(municipal, data, as_user):
    as_user(municipal).get(url(), PERIOD)
    entry = AccessLog.objects.get(record_type="monitoring_region")
    assert entry.action == AccessLog.Action.VIEW
    assert entry.record_ref == "amsterdam"


def test_a_denied_region_is_logged(municipal, as_user):
    as_user(municipal).get(url("arnhem"))
    assert AccessLog.objects.get(record_type="monitoring_region").action == "denied"


def test_default_period_is_this_year_and_a_bad_period_shows_the_form(municipal, as_user):
    http = as_user(municipal)
    assert http.get(url()).context["dashboard"] is not None
    response = http.get(url(), {"year": "2025", "start": "2025-05", "end": "2025-02"})
    assert response.context["dashboard"] is None
    assert "De eindmaand ligt vóór de beginmaand" in response.content.decode()


@pytest.mark.parametrize("month", ["9999-12", "2020-12", "0001-01"])
def test_a_month_outside_the_years_offered_is_an_error_not_a_crash(municipal, as_user, month):
    http = as_user(municipal)
    response = http.get(url(), {"start": month, "end": month})
    assert response.status_code == 200 and response.context["dashboard"] is None
    assert "Kies een maand van januari 2021" in response.content.decode()
    csv = http.get(
        reverse("monitoring:region_csv", args=["amsterdam", "new_by_gender"]),
        {"start": month, "end": month},
    )
    assert csv.status_code == 404


def test_quarter_and_month_range(municipal, data, as_user):
    http = as_user(municipal)
    q1 = http.get(url(), {"year": "2025", "quarter": "1"}).context["dashboard"]
    assert (q1.scope.start.isoformat(), q1.scope.end.isoformat()) == ("2025-01-01", "2025-03-31")
    months = http.get(url(), {"year": "2025", "start": "2025-02", "end": "2025-04"})
    scope = months.context["dashboard"].scope
    assert (scope.start.isoformat(), scope.end.isoformat()) == ("2025-02-01", "2025-04-30")


def test_page_has_charts_tables_phase_flow_and_csv_links(municipal, data, as_user):
    page = as_user(municipal).get(url(), PERIOD).content.decode()
    assert 'class="bar-chart' in page
    assert 'class="phase-flow' in page
    assert "<table" in page
    assert reverse("monitoring:region_csv", args=["amsterdam", "new_by_gender"]) in page
    assert "style=" not in page
    assert "<script>" not in page


def test_no_page_lists_a_person(municipal, data, as_user):
    _region, cases = data
    page = as_user(municipal).get(url(), PERIOD).content.decode()
    for case in cases.values():
        assert case.client.working_name not in page
        assert case.client.number not in page
        assert case.reference not in page


def _queries(http):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url(), PERIOD).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_data(municipal, worker, outsider, as_user):
    """12 queries (the project's budget for a page is 15, and a page view outside a test adds
    its snapshot's BEGIN and COMMIT): session, user (with organisation and region, so the
    access helper needs no query of its own), second-factor device, access log, claiming the
    cases whose figures are to be computed again, municipalities, life domains, ONE query
    for every grouped count, time per phase, both medians, aftercare plans and the supply
    matrix. Right after cases changed, their figures replaced: one statement more."""
    http = as_user(municipal)
    region, cases = make_region_data(worker, outsider)
    make_results_data(worker, cases, region)
    few = _queries(http)
    from pmw.models import Municipality

    grow(worker, region, Municipality.objects.get(name="Amsterdam"))
    many = _queries(http)
    assert few == many
    assert many <= 14, many
    unchanged = _queries(http)
    assert unchanged == many - FIGURES_REPLACED
    assert unchanged <= 12, unchanged
