"""The profile guidance against the report's chapter 4 table, typed in from the seed text
(Regioplan, "4 Profielen van sekswerkers die willen stoppen"): per phase the "Behoeften" and
"Aanbod" rows of the three columns (autonome sekswerker met praktische vragen; sekswerkers met
hulpvragen; slachtoffers van uitbuiting), line-break hyphens joined."""

import pytest

from cases.guidance import GUIDANCE, NEEDS, OFFER, find_suggestion, suggestions_for
from cases.models import LifeDomain, Phase
from profiles.models import Profile

A, M, E = Profile.AUTONOMOUS, Profile.MULTIPLE_NEEDS, Profile.EXPLOITATION

REPORT = {
    # Doet sekswerk — Contact
    (A, Phase.CONTACT, NEEDS): [
        "Hulp rond seksuele gezondheid, zoals SOA-checks",
        "Wil vooral praktische en zakelijke ondersteuning richting een andere dagindeling of "
        "tips om werk beter te doen",
    ],
    (M, Phase.CONTACT, NEEDS): [
        "Hulp rond seksuele gezondheid, zoals SOA-checks",
        "Zoekt iemand om verhaal mee te delen",
        "Stoppen lang niet altijd direct een behoefte",
    ],
    (E, Phase.CONTACT, NEEDS): [
        "Heeft nog geen behoefte aan contact",
        "Druk van derden weerhoudt het slachtoffer om contact te zoeken",
    ],
    (A, Phase.CONTACT, OFFER): [
        "Via online of offline veldwerk",
        "Via andere sekswerkers",
        "Doorverwijzing van GGD en andere hulpverleners",
    ],
    (M, Phase.CONTACT, OFFER): [
        "Via online of offline veldwerk",
        "Via andere sekswerkers",
        "Doorverwijzing van GGD en andere hulpverleners",
    ],
    (E, Phase.CONTACT, OFFER): [
        "Doorverwijzing van politie (bestuurlijke controles), GGD en andere hulpverleners",
        "Vaker via online, dan via offline veldwerk",
    ],
    # Overweegt te stoppen — Oriëntatie
    (A, Phase.ORIENTATION, NEEDS): [
        "Overweging wordt beïnvloed door angst voor stigmatisering",
        "Wil voldoende vertrouwen hebben in potentie van praktische hulp",
        "Zicht op verbetering op de korte termijn",
    ],
    (M, Phase.ORIENTATION, NEEDS): [
        "Luisterend oor, vertrouwen en perspectief",
        "Zelfvertrouwen (her)winnen, werken aan weerbaarheid",
        "Behoefte aan ruimte, rust en soms ook veiligheid",
        "Angst om vertrouwde netwerk los te laten",
        "Zicht op verbetering op de korte termijn",
    ],
    (E, Phase.ORIENTATION, NEEDS): [
        "Overweging hangt samen met gepercipieerd slachtofferschap en loyaliteit",
        "Luisterend oor, vertrouwen, iemand die aan de kant van het slachtoffer staat",
        "Geen wisselingen van hulpverleners",
        "Behoefte aan veiligheid, ruimte en rust",
        "Angst om vertrouwde netwerk los te laten",
    ],
    (A, Phase.ORIENTATION, OFFER): [
        "Zicht bieden op mogelijkheden",
        "Neutrale benadering",
        "Werken aan zelfvertrouwen en eigenwaarde",
    ],
    (M, Phase.ORIENTATION, OFFER): [
        "Zicht bieden op mogelijkheden",
        "Neutrale benadering",
        "Veilig, tijdelijk onderdak",
    ],
    (E, Phase.ORIENTATION, OFFER): [
        "Zicht bieden op mogelijkheden",
        "Werken aan zelfvertrouwen en eigenwaarde",
        "Rust",
    ],
    # Probeert te stoppen — Uitvoering
    (A, Phase.EXECUTION, NEEDS): [
        "Passend werk en inkomen",
        "Omscholing",
        "Soms hulp met aanleren van omgangsvormen en gedrag.",
        "Zingeving en erkenning",
    ],
    (M, Phase.EXECUTION, NEEDS): [
        "Passend werk en inkomen",
        "Hulp met uitkering",
        "Aanpakken van schulden",
        "Hulp met huisvesting",
        "Soms omscholing/taal",
        "Fysieke/psychische hulp",
        "Zingeving en erkenning",
        "Hulp met omgangsvormen",
        "Repatriëring",
    ],
    (E, Phase.EXECUTION, NEEDS): [
        "Eerst: veiligheid borgen, nieuw netwerk creëren, werken aan normen en gedrag, "
        "psychische ondersteuning",
        "Zingeving en erkenning",
        "Daarna: hulp met financiën, werk en huisvesting en evt. verdere psychische ondersteuning",
    ],
    (A, Phase.EXECUTION, OFFER): [
        "Passieve regie door PMW’er met samenwerkingspartners",
        "Jobcoaches, jobhunting, cv-beheer",
        "Ondersteuning normen, gedrag en netwerk.",
    ],
    (M, Phase.EXECUTION, OFFER): [
        "Actieve regie door PMW’er met samenwerkingspartners",
        "Taalcursussen",
        "Jobcoaches, jobhunting, cv-beheer",
        "Ondersteuning normen, gedrag en netwerk",
        "Buddy’s en ervaringsdeskundigen",
    ],
    (E, Phase.EXECUTION, OFFER): [
        "Actieve regie door PMW’er met samenwerkingspartners",
        "Ondersteuning normen, gedrag en netwerk",
        "Buddy’s en ervaringsdeskundigen",
        "Hulp praktische zaken",
    ],
    # Heeft andere dagindeling — Nazorg
    (A, Phase.AFTERCARE, NEEDS): [
        "Vaak minder behoefte aan nazorg",
        "Verleden roept geen schaamte op",
        "Houdt misschien nog wat vaste klanten",
    ],
    (M, Phase.AFTERCARE, NEEDS): [
        "Vaker behoefte aan nazorg",
        "Verleden roept mogelijk schaamte op",
        "Psychische belemmeringen kunnen (weer) opspelen",
        "Omgaan met minder geld blijft aandachtspunt",
    ],
    (E, Phase.AFTERCARE, NEEDS): [
        "Vaker behoefte aan nazorg",
        "Verleden roept mogelijk schaamte op",
        "Psychische belemmeringen kunnen (weer) opspelen",
    ],
    (A, Phase.AFTERCARE, OFFER): ["Passieve nazorg"],
    (M, Phase.AFTERCARE, OFFER): [
        "Passieve of actieve nazorg",
        "Actie bij ontslag, opspelende psychische belemmeringen, oplopende schulden",
    ],
    (E, Phase.AFTERCARE, OFFER): [
        "Vaker actieve nazorg",
        "Actie bij opspelende psychische belemmeringen, oplopende schulden, contact door oude "
        "netwerk",
    ],
}

CELLS = [(p, ph) for p in (A, M, E) for ph in Phase.values]


def test_every_profile_and_phase_is_encoded_and_nothing_else():
    assert set(GUIDANCE) == set(CELLS)
    assert {(p, ph) for p, ph, _ in REPORT} == set(CELLS)


@pytest.mark.parametrize(("profile", "phase"), CELLS)
@pytest.mark.parametrize("kind", [NEEDS, OFFER])
def test_encoded_rows_match_the_report(profile, phase, kind):
    assert [row.text for row in GUIDANCE[(profile, phase)][kind]] == REPORT[(profile, phase, kind)]


@pytest.mark.django_db
def test_every_domain_code_is_a_life_domain():
    codes = set(LifeDomain.objects.values_list("code", flat=True))
    used = {
        code
        for cell in GUIDANCE.values()
        for rows in cell.values()
        for r in rows
        for code in r.domains
    }
    assert used and used <= codes


def test_what_the_screen_shows_never_labels_a_person():
    for cell in GUIDANCE.values():
        for rows in cell.values():
            for row in rows:
                assert "slachtoffer" not in row.display.lower()


def test_unknown_profile_has_no_suggestions():
    assert suggestions_for(Profile.UNKNOWN, Phase.CONTACT) == []


def test_suggestion_keys_are_stable_and_found_back():
    suggestions = suggestions_for(M, Phase.EXECUTION)
    assert [s.key for s in suggestions][:2] == ["needs-0", "needs-1"]
    assert find_suggestion(M, Phase.EXECUTION, "needs-2").row.text == "Aanpakken van schulden"
    assert find_suggestion(M, Phase.EXECUTION, "needs-99") is None
