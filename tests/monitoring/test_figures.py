"""The precomputed monitoring figures: computed again for exactly the changed cases, never
read stale, and equal to a computation from scratch.

Every test in the suite also ends with ``_figures_equal_their_facts`` (tests/conftest.py):
the stored figures of every case not marked stale equal a fresh computation, and the test
client brings the figures up to date before each POST, so a view whose write forgets to
mark its case fails there.
"""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, LifeDomain, Outcome
from cases.services import case_change_phase, case_close, need_create
from monitoring import selectors
from monitoring.dashboard import build_dashboard
from monitoring.models import CaseFigure
from monitoring.selectors import Scope, case_figure_rows_sql
from monitoring.services import FIGURES_BATCH, figures_rebuild, figures_refresh
from monitoring.tasks import refresh_figures
from pmw.models import Municipality
from tests.factories import CaseFactory
from tests.monitoring.data import make_region_data
from tests.monitoring.data_results import make_results_data

THIS_YEAR = datetime.date.today().year
YEAR = (datetime.date(THIS_YEAR, 1, 1), datetime.date(THIS_YEAR, 12, 31))
DATA_YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def _rows():
    return Counter(CaseFigure.objects.values_list(*CaseFigure.FIELDS))


@pytest.fixture
def amsterdam():
    return Municipality.objects.get(name="Amsterdam")


def test_only_the_cases_marked_are_computed_again(worker, amsterdam):
    cases = [CaseFactory(worker=worker, client__municipality=amsterdam) for _ in range(3)]
    assert figures_refresh() == 3  # new cases have no figures yet
    assert figures_refresh() == 0
    assert not Case.objects.filter(figures_stale=True).exists()

    case_change_phase(case=cases[0], to="orientation", by=worker)
    assert list(Case.objects.filter(figures_stale=True)) == [cases[0]]
    assert figures_refresh() == 1
    assert CaseFigure.objects.filter(case=cases[0], figure="move").get().category == (
        "contact>orientation"
    )


def test_a_count_includes_what_was_written_just_before_it(worker, amsterdam):
    scope = Scope(*YEAR, region=amsterdam.region)
    case = CaseFactory(
        worker=worker, client__municipality=amsterdam, opened_on=datetime.date(THIS_YEAR, 1, 2)
    )
    assert selectors.closures(scope) == {}
    assert sum(selectors.new_cases_by(scope, "gender").values()) == 1

    case_close(case=case, by=worker, outcome=Outcome.DROPPED_OUT, closed_on=case.opened_on)
    assert selectors.closures(scope) == {("", "dropped_out|contact"): 1}
    need_create(
        case=CaseFactory(worker=worker, client__municipality=amsterdam),
        domain=LifeDomain.objects.get(code="housing"),
        description="Een kamer.",
        by=worker,
    )
    needs = selectors.needs_by_domain(scope)
    assert needs[("", "housing|identified")] == 1


def test_the_page_computes_a_case_closed_through_the_site_before_it_reads(
    worker, municipal, amsterdam, as_user
):
    """Through the views: a closure is in the figures of the next page view, without
    waiting for the periodic task."""
    case = CaseFactory(
        worker=worker, client__municipality=amsterdam, opened_on=datetime.date(THIS_YEAR, 1, 2)
    )
    page = reverse("monitoring:region", args=[amsterdam.region.code])
    assert as_user(municipal).get(page, {"year": THIS_YEAR}).status_code == 200
    assert not CaseFigure.objects.filter(case=case, figure="closure").exists()

    response = as_user(worker).post(
        reverse("cases:close", args=[case.reference]),
        {"outcome": Outcome.DROPPED_OUT, "closed_on": case.opened_on.isoformat(), "note": ""},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).figures_stale

    assert as_user(municipal).get(page, {"year": THIS_YEAR}).status_code == 200
    assert not Case.objects.get(pk=case.pk).figures_stale
    closure = CaseFigure.objects.get(case=case, figure="closure")
    assert (closure.category, closure.n) == ("dropped_out|contact", 1)


def test_a_rebuild_from_scratch_equals_the_figures_kept_case_by_case(worker, outsider):
    region, cases = make_region_data(worker, outsider)
    make_results_data(worker, cases, region)
    figures_refresh()
    # Change some cases after their figures were computed, then compute those again.
    case_change_phase(case=cases["c1"], to="aftercare", by=worker)
    case_close(case=cases["c3"], by=worker, outcome=Outcome.DROPPED_OUT, closed_on=YEAR[0])
    figures_refresh()
    kept = _rows()
    assert kept

    Case.objects.update(figures_stale=True)
    assert figures_rebuild() == Case.objects.count()
    assert _rows() == kept


def test_cases_without_a_municipality_have_no_figures(worker):
    case = CaseFactory(worker=worker, client__municipality=None, municipality=None)
    figures_refresh()
    assert not CaseFigure.objects.filter(case=case).exists()


def test_the_periodic_task_computes_the_marked_cases(worker, amsterdam):
    CaseFactory(worker=worker, client__municipality=amsterdam)
    assert refresh_figures.apply().get() == 1
    assert refresh_figures.apply().get() == 0


def test_the_refresh_works_in_batches(worker, amsterdam, monkeypatch):
    monkeypatch.setattr("monitoring.services.FIGURES_BATCH", 2)
    for _ in range(5):
        CaseFactory(worker=worker, client__municipality=amsterdam)
    assert figures_refresh() == 5
    assert CaseFigure.objects.filter(figure="new_case").count() == 5


@pytest.mark.parametrize("marked", [4, 5])  # a whole number of batches, and a remainder
def test_the_page_computes_every_batch_of_marked_cases(worker, amsterdam, monkeypatch, marked):
    monkeypatch.setattr("monitoring.services.FIGURES_BATCH", 2)
    for _ in range(marked):
        CaseFactory(worker=worker, client__municipality=amsterdam)
    build_dashboard(Scope(*YEAR, region=amsterdam.region))
    assert not Case.objects.filter(figures_stale=True).exists()
    assert CaseFigure.objects.filter(figure="new_case").count() == marked


def test_a_period_must_be_whole_months():
    with pytest.raises(ValueError, match="month"):
        Scope(datetime.date(2025, 1, 2), datetime.date(2025, 1, 31))
    with pytest.raises(ValueError, match="month"):
        Scope(datetime.date(2025, 1, 1), datetime.date(2025, 1, 30))
    Scope(*DATA_YEAR)


def test_a_full_batch_stays_within_the_databases_parameter_limits():
    """SQLite takes at most 32,766 parameters in a statement, PostgreSQL 65,535."""
    sql, params = case_figure_rows_sql(list(range(1, FIGURES_BATCH + 1)))
    assert FIGURES_BATCH in params
    assert len(params) <= 32_766


def test_the_cached_statement_is_the_one_for_the_cases_asked(worker, amsterdam):
    """The SQL is compiled once per size; the cases in it are the ones asked for."""
    first, second = (CaseFactory(worker=worker, client__municipality=amsterdam) for _ in "ab")
    with connection.cursor() as cursor:
        for case in (first, second):
            cursor.execute(*case_figure_rows_sql([case.pk]))
            assert {row[0] for row in cursor.fetchall()} == {case.pk}
