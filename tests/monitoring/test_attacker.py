"""An attacker takes everything a page and its CSV files show and tries to recover a hidden
count: every cell, every total, every percentage, and every sum that ties tables together
(the same total in several tables, transgender = trans women + trans men, ...). It fails."""

import re

import pytest
from django.urls import reverse

from cases.models import LifeDomain, Outcome, Phase
from monitoring.dashboard import PHASE_LABELS
from partners.models import Partner, Referral
from pmw.models import Municipality
from tests.factories import CaseFactory, NeedFactory
from tests.monitoring.attacker import UNSEEN, recovered
from tests.monitoring.data import _case, at, make_region_data
from tests.monitoring.data_results import make_results_data
from tests.monitoring.html_tables import page_tables

PERIOD = {"year": "2025"}


@pytest.fixture
def hand_made(worker, outsider):
    region, cases = make_region_data(worker, outsider)
    make_results_data(worker, cases, region)
    return region, cases


@pytest.fixture
def data(hand_made, worker):
    region, cases = hand_made
    amsterdam = Municipality.objects.get(name="Amsterdam")
    # A realistic mix: one large group and small groups around it.
    for index in range(31):
        CaseFactory(
            worker=worker,
            client__municipality=amsterdam,
            client__gender=["woman", "woman", "woman", "man", "trans_man"][index % 5],
            client__licensing=["licensed", "unlicensed", "unknown"][index % 3],
            opened_on=f"2025-0{1 + index % 9}-01",
            contact_route=["ggd", "field_online", "self", "peers"][index % 4],
        )
    # Needs and referrals: one large group beside the small hand-made ones.
    need = NeedFactory(case=cases["c1"], identified_on="2025-05-01")
    for index in range(14):
        NeedFactory(
            case=cases["c1"],
            domain=LifeDomain.objects.get(code=["housing", "debt"][index % 2]),
            identified_on="2025-05-01",
            first_help_on="2025-05-11",
            status=["met", "met", "not_met"][index % 3],
            not_met_reason="" if index % 3 != 2 else ["no_funding", "waiting_list"][index % 2],
        )
    partner = Partner.objects.get(name="Woningpartner")
    for index in range(30):
        Referral.objects.create(
            case=cases["c1"],
            need=need,
            partner=partner,
            status=["accepted", "declined", "waitlisted"][index % 3],
            requested_at=at("2025-05-01"),
            requested_by=worker,
            accepted_at=at("2025-05-08") if index % 3 == 0 else None,
        )
    return region, cases


def _attack(http, name, args):
    response = http.get(reverse(name, args=args), PERIOD)
    d = response.context["dashboard"].disclosure
    shown = {key: d.show(key) for key in d.values}
    assert any(text == f"<{d.threshold}" for text in shown.values())
    assert any(text == "x" for text in shown.values())
    ceiling = 2 * max(d.values.values()) + 10
    assert recovered(shown, d.equations, d.threshold, ceiling, d.values) == set()


def test_nothing_hidden_can_be_recovered_from_the_regional_page(municipal, data, as_user):
    _attack(as_user(municipal), "monitoring:region", ["amsterdam"])


def test_nothing_hidden_can_be_recovered_from_the_national_page(municipal, hand_made, as_user):
    # The exhaustive attacker is slow on 18 regions; the hand-made data keeps it in seconds.
    _attack(as_user(municipal), "monitoring:national", [])


def test_stays_moves_and_closures_that_add_up_give_nothing_away(municipal, worker, as_user):
    """Every stay in a phase ends in a move out of it or in closing the case. A reader who
    knows that, and sees the moves and the closures (and the stays, were they shown), must
    not work out a hidden count. Here 3 moves back to contact and 12 closures from contact:
    the moves are all below the threshold, the closures above it."""
    amsterdam = Municipality.objects.get(name="Amsterdam")
    for index in range(12):
        back = [("2024-07-01", Phase.ORIENTATION), ("2025-03-01", Phase.CONTACT)]
        _case(
            worker,
            amsterdam,
            "2024-06-01",
            back if index < 3 else [],
            closed="2025-06-01",
            outcome=Outcome.FULLY_STOPPED,
        )
    response = as_user(municipal).get(reverse("monitoring:region", args=["amsterdam"]), PERIOD)
    dashboard = response.context["dashboard"]
    d = dashboard.disclosure
    assert (d.values["moves"], d.values["closed"]) == (3, 12)
    shown = {key: d.show(key) for key in d.values}
    truth = dict(d.values)
    stays = {"orientation": 3, "contact": 12, "execution": 0, "aftercare": 0}
    reader = []
    for phase, _label in PHASE_LABELS:
        stays_key, moves_out = f"time_per_phase|{phase}|n", f"phase_moves|{phase}|*"
        closed_from = f"reader|closed_from|{phase}"
        closures = stays[phase] - truth[moves_out]
        for key, value in ((stays_key, stays[phase]), (closed_from, closures)):
            shown.setdefault(key, UNSEEN)
            truth.setdefault(key, value)
        reader.append((stays_key, [moves_out, closed_from]))
    reader.append(("closed", [f"reader|closed_from|{phase}" for phase, _l in PHASE_LABELS]))
    ceiling = 2 * max(d.values.values()) + 10
    assert recovered(shown, [*d.equations, *reader], d.threshold, ceiling, truth) == set()
    # What the page does show of the stays: the average where there are enough of them.
    table = dashboard.tables["time_per_phase"]
    averages = {row[0]: row[1] for row in table.body}
    assert averages[str(Phase.CONTACT.label)] != ""
    assert averages[str(Phase.ORIENTATION.label)] == ""


def test_percentages_only_next_to_visible_counts_and_totals(municipal, data, as_user):
    response = as_user(municipal).get(reverse("monitoring:region", args=["amsterdam"]), PERIOD)
    for key, rows in page_tables(response.content.decode()).items():
        if rows[0][-1] != "%":
            continue
        total = rows[-1][1]
        for row in rows[1:-1]:
            count, percentage = row[1], row[-1]
            if percentage:
                assert re.fullmatch(r"\d+", count), (key, row)
                assert re.fullmatch(r"\d+", total), (key, row)
            if not re.fullmatch(r"\d+", count):
                assert percentage == "", (key, row)


def test_the_under_reached_table_hides_what_the_gender_table_hides(municipal, data, as_user):
    response = as_user(municipal).get(reverse("monitoring:region", args=["amsterdam"]), PERIOD)
    tables = page_tables(response.content.decode())
    gender = {row[0]: row[1] for row in tables["new_by_gender"][1:]}
    groups = {row[0]: row[1] for row in tables["under_reached"][1:]}
    assert groups["Mannen"] == gender["Man"]


def test_the_new_tables_are_part_of_the_attack(municipal, data, as_user):
    """The needs and referral tables hold both visible and hidden counts on the page the
    attacker attacks, so the attack above covers them."""
    response = as_user(municipal).get(reverse("monitoring:region", args=["amsterdam"]), PERIOD)
    tables = page_tables(response.content.decode())
    for key in ("needs_by_domain", "referrals"):
        cells = [cell for row in tables[key][1:] for cell in row[1:]]
        assert any(re.fullmatch(r"[1-9]\d*", c) for c in cells), (key, tables[key])
        assert any(c in ("<10", "x") for c in cells), key
