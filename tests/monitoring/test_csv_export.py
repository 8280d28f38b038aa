"""Every table can be downloaded as CSV, with exactly the (suppressed) numbers of the page."""

import csv
import io

import pytest
from django.urls import reverse

from pmw.models import AccessLog
from tests.factories import CaseFactory
from tests.monitoring.data import make_region_data
from tests.monitoring.data_results import make_results_data
from tests.monitoring.html_tables import page_tables

PERIOD = {"year": "2025"}


@pytest.fixture
def data(worker, outsider):
    region, cases = make_region_data(worker, outsider)
    make_results_data(worker, cases, region)
    from pmw.models import Municipality

    # Enough cases for a mix of visible, "<10" and "x" cells.
    amsterdam = Municipality.objects.get(name="Amsterdam")
    for index in range(24):
        CaseFactory(
            worker=worker,
            client__municipality=amsterdam,
            client__gender="woman" if index % 6 else "trans_woman",
            opened_on="2025-06-01",
            contact_route="ggd" if index % 2 else "field_online",
        )
    return region, cases


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("page_url", "csv_name", "args"),
    [
        ("monitoring:region", "monitoring:region_csv", ["amsterdam"]),
        ("monitoring:national", "monitoring:national_csv", []),
    ],
)
def test_csv_equals_page_for_every_table(municipal, data, as_user, page_url, csv_name, args):
    http = as_user(municipal)
    page = http.get(reverse(page_url, args=args), PERIOD)
    shown = page_tables(page.content.decode())
    keys = list(page.context["dashboard"].tables)
    empty = {k for k, t in page.context["dashboard"].tables.items() if t.is_empty}
    assert set(shown) == set(keys) - empty
    for key in keys:
        response = http.get(reverse(csv_name, args=[*args, key]), PERIOD)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response.streaming
        if key in shown:
            assert _csv(response) == shown[key], key
    page_text = page.content.decode()
    assert "&lt;10" in page_text and ">x<" in page_text  # both kinds of hiding occur


def test_csv_export_is_logged_as_export(municipal, data, as_user):
    as_user(municipal).get(reverse("monitoring:region_csv", args=["amsterdam", "outcomes"]))
    assert AccessLog.objects.get(record_type="monitoring_region").action == "export"


def test_unknown_table_is_404(municipal, as_user):
    http = as_user(municipal)
    assert (
        http.get(reverse("monitoring:region_csv", args=["amsterdam", "clients"])).status_code == 404
    )


def test_csv_of_another_region_is_404(municipal, data, as_user):
    response = as_user(municipal).get(reverse("monitoring:region_csv", args=["arnhem", "outcomes"]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["worker", "org_admin"])
def test_csv_not_for_workers_or_admins(request, who, as_user):
    http = as_user(request.getfixturevalue(who))
    assert http.get(reverse("monitoring:national_csv", args=["outcomes"])).status_code == 404
    assert (
        http.get(reverse("monitoring:region_csv", args=["amsterdam", "outcomes"])).status_code
        == 404
    )
