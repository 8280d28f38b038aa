"""The needs, time-to-help, referral, durable-result, self-sufficiency, aftercare and supply
indicators on hand-made data with known answers (tests/monitoring/data_results.py)."""

import datetime

import pytest

from cases.models import LifeDomain
from monitoring import selectors
from monitoring.dashboard import build_dashboard
from monitoring.models import Figure
from monitoring.selectors import Scope
from tests.factories import NeedFactory
from tests.monitoring.data import make_region_data
from tests.monitoring.data_results import make_results_data

YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture
def region(worker, outsider):
    region, cases = make_region_data(worker, outsider)
    make_results_data(worker, cases, region)
    return region


@pytest.fixture
def scope(region):
    return Scope(*YEAR, region=region)


@pytest.fixture
def national(region):
    return Scope(*YEAR)


def test_needs_per_domain_met_not_met_and_why(scope):
    found = selectors.needs_by_domain(scope)
    assert found[("", "housing|identified")] == 3
    assert found[("", "housing|met")] == 2
    assert found[("", "housing|not_met")] == 1
    assert found[("", "housing|reason_waiting_list")] == 1
    assert found[("", "housing|helped")] == 3
    assert found[("", "work_income|identified")] == 1
    assert ("", "work_income|met") not in found
    assert found[("", "care_physical|reason_no_partner")] == 1
    assert ("", "care_physical|helped") not in found


def test_needs_nationally_per_region(national):
    found = selectors.needs_by_domain(national)
    assert found[("amsterdam", "housing|identified")] == 3
    assert found[("arnhem", "housing|identified")] == 1


def test_median_days_to_first_help_per_domain_and_overall(scope, national):
    assert selectors.waiting_medians(scope)[Figure.FIRST_HELP] == {
        "housing": 4,
        "work_income": 10,
        None: 7,
    }
    found = selectors.waiting_medians(national)[Figure.FIRST_HELP]
    assert found["amsterdam"] == 7
    assert found["arnhem"] == 5
    assert found[None] == 5  # 2, 4, 5, 10, 20


def test_median_of_an_even_and_an_odd_group(scope):
    # One more housing need (now 2, 4, 20, 30: even) and all domains 2, 4, 10, 20, 30 (odd).
    housing = LifeDomain.objects.get(code="housing")
    NeedFactory(
        case=selectors.Need.objects.filter(domain=housing).first().case,
        domain=housing,
        identified_on=datetime.date(2025, 7, 1),
        first_help_on=datetime.date(2025, 7, 31),
    )
    found = selectors.waiting_medians(scope)[Figure.FIRST_HELP]
    assert found == {"housing": 12, "work_income": 10, None: 10}


def test_referrals_per_partner_type_by_answer(scope):
    found = selectors.referrals_by_partner_type(scope)
    assert found == {
        ("", "housing|accepted"): 2,
        ("", "housing|declined"): 1,
        ("", "debt|waitlisted"): 1,
        ("", "debt|accepted"): 1,
        ("", "debt|other"): 1,
    }


def test_median_waiting_time_from_request_to_acceptance(scope, national):
    assert selectors.waiting_medians(scope)[Figure.WAITED] == {"housing": 7, "debt": 30, None: 10}
    found = selectors.waiting_medians(national)[Figure.WAITED]
    assert (found["amsterdam"], found["arnhem"], found[None]) == (10, 1, 7)


def test_follow_ups_by_situation(scope):
    assert selectors.follow_ups_by_situation(scope) == {
        ("", "6|fully"): 1,
        ("", "6|back_in_sex_work"): 1,
        ("", "12|combination"): 1,
    }


def test_self_sufficiency_change_from_intake_to_exit(scope):
    found = selectors.self_sufficiency_change(scope)
    assert found[("", "housing")][:2] == (2, 1.5)
    assert found[("", "finances")][:2] == (1, 0.0)
    assert set(found) == {("", "housing"), ("", "finances")}


def test_aftercare_plans_check_ins_due_and_done(scope):
    assert selectors.aftercare_plans(scope) == {
        ("", "active|plans"): 1,
        ("", "active|due"): 3,
        ("", "active|done"): 2,
        ("", "none|plans"): 1,
        ("", "none|due"): 0,
        ("", "none|done"): 0,
    }


def test_aftercare_plans_nationally_are_the_regions_plans_by_region(scope):
    regional = selectors.aftercare_plans(scope)
    national = selectors.aftercare_plans(Scope(*YEAR))
    assert {key: n for (region, key), n in national.items() if region == "amsterdam"} == {
        key: n for (_region, key), n in regional.items()
    }
    assert all(region for region, _key in national)  # no plan of a case without a municipality


def test_signals_by_kind(scope):
    assert selectors.signals_by_kind(scope) == {("", "lost_job"): 1, ("", "mental"): 1}


def test_the_dashboard_keeps_the_same_numbers(scope):
    dashboard = build_dashboard(scope)
    values = dashboard.disclosure.values
    assert values["needs_identified"] == 5
    assert values["needs_helped"] == 4
    assert values["referrals"] == 6
    assert values["follow_ups_6"] == 2
    assert values["durable_6@"] == 1
    assert values["durable_12@"] == 1
    assert values["aftercare_plans"] == 2
    assert values["signals"] == 2
    # The not-met reasons add up to the not-met column of the needs table.
    assert dashboard.tables["needs_not_met_reasons"].var("*", "n") == (
        dashboard.tables["needs_by_domain"].var("*", "not_met")
    )


def test_a_median_is_only_shown_next_to_a_visible_count(scope):
    dashboard = build_dashboard(scope)
    table = dashboard.tables["first_help"]
    assert table.extra_values[("housing", "extra")] == "4"  # computed ...
    housing = next(row for row in table.body if row[0] == "Wonen")
    assert housing[1] == "<10"
    assert housing[-1] == ""  # ... but not shown: 3 needs are fewer than 10
    referrals = dashboard.tables["referrals"]
    assert all(row[-1] == "" for row in referrals.body)


def test_ranking_never_orders_hidden_counts(scope, worker):
    # 12 work_income needs (visible), housing's 3 and care_physical's 1 hidden: work_income
    # first, then the hidden rows in their usual order, then the domains without needs.
    case = selectors.Need.objects.filter(domain__code="work_income").first().case
    for _ in range(11):
        NeedFactory(
            case=case,
            domain=LifeDomain.objects.get(code="work_income"),
            identified_on=datetime.date(2025, 9, 1),
        )
    rows = [row[0] for row in build_dashboard(scope).tables["needs_by_domain"].body]
    assert rows[0] == "Passend werk en inkomen"
    assert rows[1:3] == ["Wonen", "Zorg: lichamelijke gezondheid"]
    usual = [
        d.name
        for d in LifeDomain.objects.exclude(code__in=["work_income", "housing", "care_physical"])
    ]
    assert rows[3:] == usual


def test_regional_supply_shows_gaps_without_suppression(scope):
    table = build_dashboard(scope).tables["supply"]
    rows = {row[0]: row[1:] for row in table.body}
    assert rows["Wonen"] == ["1", "ja", "nee: ontbreekt", "ja"]
    assert rows["Schulden en budgetbeheer"] == ["1", "nee: ontbreekt", "ja", "nee: ontbreekt"]
    assert rows["Veiligheid"] == ["0", "nee: ontbreekt", "nee: ontbreekt", "nee: ontbreekt"]


def test_no_supply_table_on_the_national_page(national):
    assert "supply" not in build_dashboard(national).tables


def test_a_coordinator_sees_only_the_organisations_needs_referrals_and_aftercare(
    region, outsider, coordinator
):
    b1 = selectors.CaseModel.objects.get(organisation=outsider.organisation)
    need = NeedFactory(case=b1, identified_on=datetime.date(2025, 3, 1), status="met")
    assert need.case.client.municipality.region == region
    own = Scope(*YEAR, region=region, organisation=coordinator.organisation)
    everyone = Scope(*YEAR, region=region)
    assert selectors.needs_by_domain(everyone)[("", "housing|identified")] == 4
    assert selectors.needs_by_domain(own)[("", "housing|identified")] == 3
    assert selectors.signals_by_kind(own) == selectors.signals_by_kind(everyone)
