"""Every indicator on hand-made data with a known answer (see tests/monitoring/data.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Outcome, Phase
from cases.services import case_change_phase, case_close
from monitoring import selectors
from monitoring.selectors import Scope
from pmw.models import Municipality, Region
from profiles.services import client_anonymise
from tests.factories import CaseFactory
from tests.monitoring.data import _case, make_region_data
from tests.profiles.test_register_client import BASE as CLIENT_FORM

YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture
def region(worker, outsider):
    region, _cases = make_region_data(worker, outsider)
    return region


@pytest.fixture
def scope(region):
    return Scope(*YEAR, region=region)


def test_outreach_by_kind(scope):
    found = selectors.outreach_by_kind(scope)
    assert found["sessions"] == {("", "field_licensed"): 1, ("", "field_online"): 1}
    assert found["people"] == {("", "field_licensed"): 12, ("", "field_online"): 6}
    assert found["messages"][("", "field_online")] == 40
    assert found["replies"][("", "field_online")] == 6
    assert found["with_ggd"][("", "field_licensed")] == 1


def test_outreach_by_municipality(scope):
    found = selectors.outreach_by_municipality(scope)
    assert found["sessions"] == {("", "Amsterdam"): 1, ("", "Amstelveen"): 1}
    assert found["people"] == {("", "Amsterdam"): 12, ("", "Amstelveen"): 6}


def test_outreach_people_by_group_adds_up_with_unknown(scope):
    found = selectors.outreach_people_by_group(scope)
    assert found["gender"] == {("", "woman"): 8, ("", "trans_woman"): 2, ("", "unknown"): 8}
    assert found["sector"] == {("", "unknown"): 18}
    assert found["language"] == {("", "unknown"): 18}


def test_new_cases_by_municipality_only_this_region_with_a_municipality(scope):
    assert selectors.new_cases_by(scope, "municipality") == {
        ("", "Amsterdam"): 3,  # c1, c6 and organisation B's b1
        ("", "Amstelveen"): 1,
    }


def test_new_cases_by_client_characteristics(scope):
    assert selectors.new_cases_by(scope, "gender") == {("", "woman"): 3, ("", "man"): 1}
    assert selectors.new_cases_by(scope, "contact_route") == {
        ("", "ggd"): 1,
        ("", "police"): 1,
        ("", "self"): 2,
    }
    assert selectors.new_cases_by(scope, "licensing") == {
        ("", "licensed"): 1,
        ("", "unlicensed"): 1,
        ("", "unknown"): 2,
    }
    assert selectors.new_cases_by(scope, "living_situation") == {
        ("", "azc"): 1,
        ("", "unknown"): 3,
    }
    sectors = selectors.new_cases_by(scope, "sector")
    assert sectors[("", "escort_agency")] == 1
    assert sectors[("", "massage")] == 1
    assert sectors[("", "window")] == 1


def test_age_band_at_the_start_of_the_case(scope):
    # c1, c6 and b1 born 1990 (year only: counted as 34 in 2025); c2 born 2008-06-15: 16.
    assert selectors.new_cases_by(scope, "age_band") == {("", "30_39"): 3, ("", "minor"): 1}


def test_age_band_uses_the_birthday(worker, outsider, region):
    from profiles.models import Client

    Client.objects.filter(birth_date=datetime.date(2008, 6, 15)).update(
        birth_date=datetime.date(2007, 3, 31)
    )
    # Opened 2025-04-01: turned 18 the day before.
    found = selectors.new_cases_by(Scope(*YEAR, region=region), "age_band")
    assert found[("", "18_22")] == 1
    assert ("", "minor") not in found


@pytest.mark.parametrize("national", [False, True])
def test_the_count_by_every_characteristic_splits_the_same_new_cases(scope, national):
    scope = Scope(*YEAR) if national else scope
    each = selectors.new_cases_by_each(scope)
    assert len(each) == (5 if national else 6)  # regionally also by municipality
    for dimension, found in each.items():
        assert sum(found.values()) == (5 if national else 4), dimension  # c5: no municipality


def test_intakes_are_the_first_move_beyond_contact_in_the_period(scope):
    # c1 (03-01), c3 (01-10, opened in 2024) and c6 (02-15); c2 never moved.
    assert selectors.intakes_by_municipality(scope) == {("", "Amsterdam"): 3}


def test_a_case_beyond_contact_before_the_period_is_no_intake_in_it(scope, worker):
    amsterdam = Municipality.objects.get(name="Amsterdam")
    # Orientation in 2024, back to contact, then orientation again in 2025: its intake was
    # in 2024. The second moved beyond contact on the first day of the period: it counts.
    _case(
        worker,
        amsterdam,
        "2024-10-01",
        [("2024-11-01", "orientation"), ("2024-12-01", "contact"), ("2025-02-01", "orientation")],
    )
    _case(worker, amsterdam, "2024-12-01", [("2025-01-01", "orientation")])
    assert selectors.intakes_by_municipality(scope) == {("", "Amsterdam"): 4}


def test_phase_at_the_end_comes_from_the_history_not_the_current_phase(scope):
    # c1 and c3 in execution on 31 December (c3 is in aftercare now); b1 in contact;
    # c2 and c6 closed.
    assert selectors.cases_by_phase_at_end(scope) == {("", "execution"): 2, ("", "contact"): 1}


def test_phase_at_the_end_of_an_earlier_period(region):
    found = selectors.cases_by_phase_at_end(
        Scope(datetime.date(2025, 1, 1), datetime.date(2025, 5, 31), region=region)
    )
    # c1 execution (05-01), c2 contact, c3 orientation, c6 execution.
    assert found == {("", "execution"): 2, ("", "contact"): 1, ("", "orientation"): 1}


def test_phase_moves_including_backward(scope):
    assert selectors.phase_moves(scope) == {
        ("", "contact>orientation"): 3,
        ("", "orientation>execution"): 4,
        ("", "execution>orientation"): 1,
        ("", "execution>aftercare"): 1,
    }


def test_phase_moves_nationally_forward_and_backward(region):
    found = selectors.phase_moves(Scope(*YEAR))
    assert found == {("amsterdam", "forward"): 8, ("amsterdam", "backward"): 1}


def test_time_per_phase(scope):
    found = selectors.time_per_phase(scope)
    # contact: c1 28, c2 122 (until closing), c3 70, c6 31 days
    assert found[("", "contact")][0] == 4
    assert found[("", "contact")][1] == pytest.approx((28 + 122 + 70 + 31) / 4, abs=0.01)
    # orientation: c1 61 and 30, c3 344, c6 59
    assert found[("", "orientation")][0] == 4
    assert found[("", "orientation")][1] == pytest.approx((61 + 30 + 344 + 59) / 4, abs=0.01)
    # execution: c1 31, c6 122; aftercare: c6 47 (until closing)
    assert found[("", "execution")] == (2, pytest.approx(76.5, abs=0.01))
    assert found[("", "aftercare")] == (1, pytest.approx(47, abs=0.01))


def test_closures_by_outcome_and_dropout_phase(scope):
    assert selectors.closures(scope) == {
        ("", "dropped_out|contact"): 1,
        ("", "fully_stopped|"): 1,
    }


def test_coordinator_scope_counts_only_their_organisation(region, worker):
    own = Scope(*YEAR, region=region, organisation=worker.organisation)
    assert selectors.new_cases_by(own, "municipality") == {
        ("", "Amsterdam"): 2,
        ("", "Amstelveen"): 1,
    }


def test_national_counts_by_region(region):
    found = selectors.new_cases_by(Scope(*YEAR), "gender")
    assert found == {("amsterdam", "woman"): 3, ("amsterdam", "man"): 1, ("arnhem", "woman"): 1}
    sessions = selectors.outreach_by_kind(Scope(*YEAR))["sessions"]
    assert sessions == {
        ("amsterdam", "field_licensed"): 1,
        ("amsterdam", "field_online"): 1,
        ("arnhem", "living_room"): 1,
    }


def test_time_per_phase_nationally_by_region(region):
    found = selectors.time_per_phase(Scope(*YEAR))
    assert found[("amsterdam", "execution")] == (2, pytest.approx(76.5, abs=0.01))
    assert found[("amsterdam", "contact")][0] == 4


def test_a_client_who_moves_takes_their_cases_to_the_new_region(region, worker, as_user):
    """Cases count for the region of the client's municipality as it is now: an edit of the
    client moves their cases on both regions' pages; erasure takes them out of every region."""
    case = Case.objects.get(opened_on=datetime.date(2025, 2, 1))  # c1, Amsterdam
    amsterdam = Scope(*YEAR, region=region)
    arnhem = Scope(*YEAR, region=Region.objects.get(code="arnhem"))

    def new_cases(scope):
        return sum(selectors.new_cases_by(scope, "contact_route").values())

    assert (new_cases(amsterdam), new_cases(arnhem)) == (4, 1)  # c1, c2, c6, b1; c4

    response = as_user(worker).post(
        reverse("profiles:edit", args=[case.client.number]),
        {
            **CLIENT_FORM,
            "working_name": case.client.working_name,
            "municipality": Municipality.objects.get(name="Arnhem").pk,
        },
    )

    assert response.status_code == 302
    assert (new_cases(amsterdam), new_cases(arnhem)) == (3, 2)
    case_close(
        case=case, by=worker, outcome=Outcome.FULLY_STOPPED, closed_on=datetime.date(2025, 12, 1)
    )
    client_anonymise(client=case.client, by=worker)
    assert (new_cases(amsterdam), new_cases(arnhem)) == (3, 1)
    assert new_cases(Scope(*YEAR)) == 4


def test_phase_at_the_end_of_a_running_period_is_the_phase_now(worker):
    """A period that has not ended counts open cases by their current phase, as the
    services keep it with the history: moved, closed and untouched cases."""
    amsterdam = Municipality.objects.get(name="Amsterdam")
    moved, untouched, closed = (
        CaseFactory(worker=worker, client__municipality=amsterdam) for _ in range(3)
    )
    case_change_phase(case=moved, to=Phase.ORIENTATION, by=worker)
    case_close(case=closed, by=worker, outcome=Outcome.DROPPED_OUT, closed_on=closed.opened_on)
    year = timezone.localdate().year
    scope = Scope(datetime.date(year, 1, 1), datetime.date(year, 12, 31), region=amsterdam.region)
    assert selectors.cases_by_phase_at_end(scope) == {("", "contact"): 1, ("", "orientation"): 1}
    assert untouched.phase == Phase.CONTACT
