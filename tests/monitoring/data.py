"""Hand-made data with known answers for the indicator and dashboard tests.

Region Amsterdam (centre Amsterdam, plus Amstelveen), the year 2025, organisation A:

- c1 Amsterdam, opened 2025-02-01, woman, via GGD, born 1990; contact -> orientation (03-01)
  -> execution (05-01) -> back to orientation (06-01) -> execution (07-01); still open.
- c2 Amstelveen, opened 2025-04-01, man, via police, born 2008-06-15 (16 at the start);
  closed 2025-08-01 as drop-out in the contact phase.
- c3 Amsterdam, opened 2024-11-01 (before the period), trans woman; orientation 2025-01-10,
  execution 2025-12-20, aftercare 2026-01-15 (after the period).
- c6 Amsterdam, opened 2025-01-15, woman, born 1990; orientation 02-15, execution 04-15,
  aftercare 08-15; closed 2025-10-01 fully stopped.
- c4 in the Arnhem region and c5 without a municipality: never in Amsterdam's figures.
- b1: organisation B's case in Amsterdam, opened 2025-06-01: municipal staff see it,
  A's coordinator does not.

Outreach: A in Amsterdam 2025-03-10 at licensed venues with the GGD, 12 people (8 women,
2 trans women, 2 unknown); A in Amstelveen 2025-05-05 online, 40 messages, 6 replies,
6 people (unknown); A in Amsterdam 2024-12-01 (outside the period); B in Arnhem.
"""

import datetime

from cases.models import Outcome, Phase, PhaseChange
from monitoring.models import OutreachKind
from monitoring.services import outreach_session_create
from pmw.models import Municipality, Region
from tests.factories import CaseFactory

UTC = datetime.UTC


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=0, tzinfo=UTC)


def _case(worker, municipality, opened, phases, *, closed=None, outcome="", dropout="", **client):
    case = CaseFactory(
        worker=worker,
        opened_on=datetime.date.fromisoformat(opened),
        client__municipality=municipality,
        **{f"client__{k}": v for k, v in client.items()},
    )
    # The factory's own first phase change is replaced by the hand-made history.
    case.phase_changes.all().delete()
    previous = ""
    for day, phase in [(opened, Phase.CONTACT), *phases]:
        PhaseChange.objects.create(
            case=case, from_phase=previous, to_phase=phase, at=at(day), by=worker
        )
        previous = phase
    case.phase = previous
    if closed:
        case.closed_on = datetime.date.fromisoformat(closed)
        case.outcome = outcome
        case.dropout_phase = dropout
    case.save()
    return case


def make_region_data(worker, outsider):
    amsterdam = Municipality.objects.get(name="Amsterdam")
    region = amsterdam.region
    amstelveen, _ = Municipality.objects.get_or_create(
        name="Amstelveen", defaults={"region": region}
    )
    arnhem = Municipality.objects.get(name="Arnhem")
    cases = {
        "c1": _case(
            worker,
            amsterdam,
            "2025-02-01",
            [
                ("2025-03-01", Phase.ORIENTATION),
                ("2025-05-01", Phase.EXECUTION),
                ("2025-06-01", Phase.ORIENTATION),
                ("2025-07-01", Phase.EXECUTION),
            ],
            gender="woman",
            birth_year=1990,
            licensing="licensed",
        ),
        "c2": _case(
            worker,
            amstelveen,
            "2025-04-01",
            [],
            closed="2025-08-01",
            outcome=Outcome.DROPPED_OUT,
            dropout=Phase.CONTACT,
            gender="man",
            birth_year=None,
            birth_date=datetime.date(2008, 6, 15),
            licensing="unlicensed",
            living_situation="azc",
        ),
        "c3": _case(
            worker,
            amsterdam,
            "2024-11-01",
            [
                ("2025-01-10", Phase.ORIENTATION),
                ("2025-12-20", Phase.EXECUTION),
                ("2026-01-15", Phase.AFTERCARE),
            ],
            gender="trans_woman",
        ),
        "c6": _case(
            worker,
            amsterdam,
            "2025-01-15",
            [
                ("2025-02-15", Phase.ORIENTATION),
                ("2025-04-15", Phase.EXECUTION),
                ("2025-08-15", Phase.AFTERCARE),
            ],
            closed="2025-10-01",
            outcome=Outcome.FULLY_STOPPED,
            gender="woman",
            birth_year=1990,
        ),
        "c4": _case(worker, arnhem, "2025-03-01", [], gender="woman"),
        "c5": _case(worker, None, "2025-09-01", [], gender="woman"),
        "b1": _case(outsider, amsterdam, "2025-06-01", [], gender="woman"),
    }
    for key, route in (("c1", "ggd"), ("c2", "police")):
        cases[key].contact_route = route
        cases[key].save()
    for sector, key in (("escort_agency", "c2"), ("massage", "c2"), ("window", "c1")):
        cases[key].client.sectors.create(sector=sector)

    worker.organisation.regions.add(region)
    outreach_session_create(
        by=worker,
        region=region,
        municipality=amsterdam,
        held_on=datetime.date(2025, 3, 10),
        kind=OutreachKind.FIELD_LICENSED,
        with_ggd=True,
        venues_visited=5,
        messages_sent=0,
        replies=0,
        people_spoken=12,
        counts={"gender": {"woman": 8, "trans_woman": 2}},
    )
    outreach_session_create(
        by=worker,
        region=region,
        municipality=amstelveen,
        held_on=datetime.date(2025, 5, 5),
        kind=OutreachKind.FIELD_ONLINE,
        with_ggd=False,
        venues_visited=0,
        messages_sent=40,
        replies=6,
        people_spoken=6,
        counts={},
    )
    outreach_session_create(
        by=worker,
        region=region,
        municipality=amsterdam,
        held_on=datetime.date(2024, 12, 1),
        kind=OutreachKind.WALK_IN,
        with_ggd=False,
        venues_visited=0,
        messages_sent=0,
        replies=0,
        people_spoken=30,
        counts={},
    )
    outreach_session_create(
        by=outsider,
        region=Region.objects.get(code="arnhem"),
        municipality=arnhem,
        held_on=datetime.date(2025, 3, 10),
        kind=OutreachKind.LIVING_ROOM,
        with_ggd=False,
        venues_visited=0,
        messages_sent=0,
        replies=0,
        people_spoken=9,
        counts={},
    )
    return region, cases
