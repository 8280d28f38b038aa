"""The report's chapter 4 table (Regioplan, "Profielen van sekswerkers die willen stoppen").

For each of the three profiles and each phase: the needs that may play a role ("Behoeften") and
the support that is offered ("Aanbod"), in the report's own words (``text``; typed in from the
table, line-break hyphens joined). Each row names the life domains it touches (``domains``,
``LifeDomain.code``); rows about the way of working or the person's state of mind ("Neutrale
benadering", "Vaak minder behoefte aan nazorg") touch none and are shown as context, not as a
possible need. Where the report's words would label the person ("slachtoffer"), ``label`` holds a
neutral wording for the screen.

This is guidance for the worker: the case page offers these as suggestions, a click turns one
into a need, nothing happens by itself and none of it is shown as a label of the person.

Reading note: the table's columns came out of the PDF one after another; in the orientation
phase the offer columns are read as each starting with "Zicht bieden op mogelijkheden".
"""

from dataclasses import dataclass

from cases.models import Phase
from profiles.models import Profile

NEEDS = "needs"
OFFER = "offer"


@dataclass(frozen=True)
class Row:
    text: str
    domains: tuple[str, ...] = ()
    label: str = ""

    @property
    def display(self) -> str:
        return self.label or self.text


A, M, E = Profile.AUTONOMOUS, Profile.MULTIPLE_NEEDS, Profile.EXPLOITATION
SEXUAL_HEALTH = Row("Hulp rond seksuele gezondheid, zoals SOA-checks", ("care_physical",))
FIELD_WORK = Row("Via online of offline veldwerk")
VIA_PEERS = Row("Via andere sekswerkers")
VIA_GGD = Row("Doorverwijzing van GGD en andere hulpverleners")
OPTIONS = Row("Zicht bieden op mogelijkheden")
NEUTRAL = Row("Neutrale benadering")
SELF_ESTEEM = Row("Werken aan zelfvertrouwen en eigenwaarde", ("care_mental",))
SHORT_TERM = Row("Zicht op verbetering op de korte termijn")
OLD_NETWORK = Row("Angst om vertrouwde netwerk los te laten", ("norms_network",))
WORK_INCOME = Row("Passend werk en inkomen", ("work_income",))
MEANING = Row("Zingeving en erkenning", ("meaning",))
JOBCOACH = Row("Jobcoaches, jobhunting, cv-beheer", ("work_income",))
NORMS = Row("Ondersteuning normen, gedrag en netwerk", ("norms_network",))
BUDDIES = Row("Buddy’s en ervaringsdeskundigen", ("norms_network",))
ACTIVE_DIRECTION = Row("Actieve regie door PMW’er met samenwerkingspartners")
MORE_AFTERCARE = Row("Vaker behoefte aan nazorg")
SHAME = Row("Verleden roept mogelijk schaamte op")
MENTAL_RETURNS = Row("Psychische belemmeringen kunnen (weer) opspelen", ("care_mental",))

GUIDANCE: dict[tuple[str, str], dict[str, tuple[Row, ...]]] = {
    (A, Phase.CONTACT): {
        NEEDS: (
            SEXUAL_HEALTH,
            Row(
                "Wil vooral praktische en zakelijke ondersteuning richting een andere "
                "dagindeling of tips om werk beter te doen",
                ("work_income",),
            ),
        ),
        OFFER: (FIELD_WORK, VIA_PEERS, VIA_GGD),
    },
    (M, Phase.CONTACT): {
        NEEDS: (
            SEXUAL_HEALTH,
            Row("Zoekt iemand om verhaal mee te delen", ("care_mental",)),
            Row("Stoppen lang niet altijd direct een behoefte"),
        ),
        OFFER: (FIELD_WORK, VIA_PEERS, VIA_GGD),
    },
    (E, Phase.CONTACT): {
        NEEDS: (
            Row("Heeft nog geen behoefte aan contact"),
            Row(
                "Druk van derden weerhoudt het slachtoffer om contact te zoeken",
                ("safety",),
                label="Druk van derden kan iemand weerhouden om contact te zoeken",
            ),
        ),
        OFFER: (
            Row("Doorverwijzing van politie (bestuurlijke controles), GGD en andere hulpverleners"),
            Row("Vaker via online, dan via offline veldwerk"),
        ),
    },
    (A, Phase.ORIENTATION): {
        NEEDS: (
            Row("Overweging wordt beïnvloed door angst voor stigmatisering"),
            Row("Wil voldoende vertrouwen hebben in potentie van praktische hulp"),
            SHORT_TERM,
        ),
        OFFER: (OPTIONS, NEUTRAL, SELF_ESTEEM),
    },
    (M, Phase.ORIENTATION): {
        NEEDS: (
            Row("Luisterend oor, vertrouwen en perspectief"),
            Row("Zelfvertrouwen (her)winnen, werken aan weerbaarheid", ("care_mental",)),
            Row("Behoefte aan ruimte, rust en soms ook veiligheid", ("safety",)),
            OLD_NETWORK,
            SHORT_TERM,
        ),
        OFFER: (OPTIONS, NEUTRAL, Row("Veilig, tijdelijk onderdak", ("housing", "safety"))),
    },
    (E, Phase.ORIENTATION): {
        NEEDS: (
            Row(
                "Overweging hangt samen met gepercipieerd slachtofferschap en loyaliteit",
                label="Overweging hangt samen met hoe iemand de eigen situatie ziet, "
                "en met loyaliteit",
            ),
            Row(
                "Luisterend oor, vertrouwen, iemand die aan de kant van het slachtoffer staat",
                label="Luisterend oor, vertrouwen, iemand die aan hun kant staat",
            ),
            Row("Geen wisselingen van hulpverleners"),
            Row("Behoefte aan veiligheid, ruimte en rust", ("safety",)),
            OLD_NETWORK,
        ),
        OFFER: (OPTIONS, SELF_ESTEEM, Row("Rust")),
    },
    (A, Phase.EXECUTION): {
        NEEDS: (
            WORK_INCOME,
            Row("Omscholing", ("education_language",)),
            Row("Soms hulp met aanleren van omgangsvormen en gedrag.", ("norms_network",)),
            MEANING,
        ),
        OFFER: (
            Row("Passieve regie door PMW’er met samenwerkingspartners"),
            JOBCOACH,
            Row("Ondersteuning normen, gedrag en netwerk.", ("norms_network",)),
        ),
    },
    (M, Phase.EXECUTION): {
        NEEDS: (
            WORK_INCOME,
            Row("Hulp met uitkering", ("work_income",)),
            Row("Aanpakken van schulden", ("debt",)),
            Row("Hulp met huisvesting", ("housing",)),
            Row("Soms omscholing/taal", ("education_language",)),
            Row("Fysieke/psychische hulp", ("care_physical", "care_mental")),
            MEANING,
            Row("Hulp met omgangsvormen", ("norms_network",)),
            Row("Repatriëring", ("repatriation",)),
        ),
        OFFER: (
            ACTIVE_DIRECTION,
            Row("Taalcursussen", ("education_language",)),
            JOBCOACH,
            NORMS,
            BUDDIES,
        ),
    },
    (E, Phase.EXECUTION): {
        NEEDS: (
            Row(
                "Eerst: veiligheid borgen, nieuw netwerk creëren, werken aan normen en gedrag, "
                "psychische ondersteuning",
                ("safety", "norms_network", "care_mental"),
            ),
            MEANING,
            Row(
                "Daarna: hulp met financiën, werk en huisvesting en evt. verdere psychische "
                "ondersteuning",
                ("debt", "work_income", "housing", "care_mental"),
            ),
        ),
        OFFER: (ACTIVE_DIRECTION, NORMS, BUDDIES, Row("Hulp praktische zaken")),
    },
    (A, Phase.AFTERCARE): {
        NEEDS: (
            Row("Vaak minder behoefte aan nazorg"),
            Row("Verleden roept geen schaamte op"),
            Row("Houdt misschien nog wat vaste klanten"),
        ),
        OFFER: (Row("Passieve nazorg"),),
    },
    (M, Phase.AFTERCARE): {
        NEEDS: (
            MORE_AFTERCARE,
            SHAME,
            MENTAL_RETURNS,
            Row("Omgaan met minder geld blijft aandachtspunt", ("debt",)),
        ),
        OFFER: (
            Row("Passieve of actieve nazorg"),
            Row(
                "Actie bij ontslag, opspelende psychische belemmeringen, oplopende schulden",
                ("work_income", "care_mental", "debt"),
            ),
        ),
    },
    (E, Phase.AFTERCARE): {
        NEEDS: (MORE_AFTERCARE, SHAME, MENTAL_RETURNS),
        OFFER: (
            Row("Vaker actieve nazorg"),
            Row(
                "Actie bij opspelende psychische belemmeringen, oplopende schulden, contact "
                "door oude netwerk",
                ("care_mental", "debt", "safety"),
            ),
        ),
    },
}


@dataclass(frozen=True)
class Suggestion:
    key: str  # "<needs|offer>-<index>", stable within one profile and phase
    kind: str
    row: Row


def suggestions_for(profile: str, phase: str) -> list[Suggestion]:
    """The table cell for this profile and phase; empty when the profile is not known yet."""
    cell = GUIDANCE.get((profile, phase))
    if cell is None:
        return []
    return [
        Suggestion(key=f"{kind}-{index}", kind=kind, row=row)
        for kind in (NEEDS, OFFER)
        for index, row in enumerate(cell[kind])
    ]


def find_suggestion(profile: str, phase: str, key: str) -> Suggestion | None:
    return next((s for s in suggestions_for(profile, phase) if s.key == key), None)
