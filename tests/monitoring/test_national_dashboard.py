import pytest
from django.urls import reverse

from pmw.models import AccessLog, Region, Role
from tests.factories import UserFactory
from tests.monitoring.data import make_region_data
from tests.monitoring.data_results import FIGURES_REPLACED, grow, make_results_data

URL = reverse("monitoring:national")
PERIOD = {"year": "2025"}


@pytest.fixture
def data(worker, outsider):
    return make_region_data(worker, outsider)


def test_any_municipal_user_sees_all_18_regions(data, as_user):
    arnhem = UserFactory(
        role=Role.MUNICIPAL, organisation=None, region=Region.objects.get(code="arnhem")
    )
    response = as_user(arnhem).get(URL, PERIOD)
    assert response.status_code == 200
    gender = response.context["dashboard"].tables["new_by_gender"]
    assert len(gender.body) == 18
    assert [row[0] for row in gender.body] == list(Region.objects.values_list("name", flat=True))
    assert "Cijfers van alle PMW-organisaties" in response.content.decode()


def test_coordinator_sees_only_own_organisation(coordinator, data, as_user):
    response = as_user(coordinator).get(URL, PERIOD)
    assert response.status_code == 200
    values = response.context["dashboard"].disclosure.values
    assert values["new_cases@amsterdam"] == 3  # without organisation B's b1
    assert values["new_cases@arnhem"] == 1  # A's case c4 in Arnhem


def test_municipal_sees_every_organisation(municipal, data, as_user):
    values = as_user(municipal).get(URL, PERIOD).context["dashboard"].disclosure.values
    assert values["new_cases@amsterdam"] == 4


@pytest.mark.parametrize("who", ["worker", "org_admin", "outsider"])
def test_workers_and_admins_get_404(request, who, as_user):
    assert as_user(request.getfixturevalue(who)).get(URL).status_code == 404


def test_national_view_is_logged(municipal, as_user):
    as_user(municipal).get(URL, PERIOD)
    assert AccessLog.objects.get(record_type="monitoring_national").action == "view"


def test_same_suppression_small_counts_hidden(municipal, data, as_user):
    dashboard = as_user(municipal).get(URL, PERIOD).context["dashboard"]
    d = dashboard.disclosure
    assert d.show("new_cases@amsterdam") == "<10"
    assert d.show("new_cases@utrecht") == "0"


def test_query_count_does_not_grow_with_data(municipal, worker, outsider, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pmw.models import Municipality

    http = as_user(municipal)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(URL, PERIOD).status_code == 200
        return len(ctx.captured_queries)

    region, cases = make_region_data(worker, outsider)
    make_results_data(worker, cases, region)
    few = count()
    for name in ("Amsterdam", "Arnhem"):
        grow(worker, region, Municipality.objects.get(name=name), n=10)
    many = count()
    assert few == many
    assert many <= 13, many
    # 11: like the regional page without municipalities and the supply matrix; a region
    # list. Right after cases changed, one more (their figures replaced).
    unchanged = count()
    assert unchanged == many - FIGURES_REPLACED
    assert unchanged <= 11, unchanged
