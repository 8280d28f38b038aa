"""What the demo and the scale data are made of, shared by both commands: the people (working
names, origins, profiles), how far a case gets and how a referral moves, the partner network
and the outreach counts. ``seed_demo`` walks them through the services; ``generate_scale_data``
inserts them in bulk."""

from cases.models import PHASE_ORDER
from monitoring.models import DIMENSION_CATEGORIES, UNKNOWN
from partners.models import ContactPerson, CooperationAgreement, Partner, ReferralStatus
from profiles.models import Gender, Profile

WORKING_NAMES = [
    "Angel",
    "Bella",
    "Chantal",
    "Diamond",
    "Esmee",
    "Fleur",
    "Gina",
    "Honey",
    "Ivana",
    "Jasmin",
    "Kiki",
    "Luna",
    "Maya",
    "Nina",
    "Olivia",
    "Paula",
    "Queen",
    "Roxy",
    "Sofia",
    "Tess",
    "Ursula",
    "Vicky",
    "Wendy",
    "Xena",
    "Yara",
    "Zoë",
    "Alex",
    "Bo",
    "Chris",
    "Dani",
]
COUNTRIES = ["NL", "RO", "BG", "HU", "TH", "CO", "NG", "PL"]

PROFILE_WEIGHTS = {
    Profile.AUTONOMOUS: 40,
    Profile.MULTIPLE_NEEDS: 35,
    Profile.EXPLOITATION: 20,
    Profile.UNKNOWN: 5,
}
GENDER_WEIGHTS = {
    Gender.WOMAN: 78,
    Gender.MAN: 9,
    Gender.TRANS_WOMAN: 7,
    Gender.TRANS_MAN: 1,
    Gender.NON_BINARY: 2,
    Gender.UNKNOWN: 3,
}


def pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# How far a case gets (contact, orientation, execution, aftercare), and how often it goes
# back a phase on the way (doubt, relapse).
PHASE_REACHED_WEIGHTS = [20, 22, 26, 32]
BACK_A_PHASE = 0.15


def phase_moves(rng) -> list[tuple[str, str]]:
    """The (from, to) phase moves of one case after its contact phase; never back from
    aftercare (the last move, when it gets there)."""
    target = rng.choices(range(len(PHASE_ORDER)), weights=PHASE_REACHED_WEIGHTS)[0]
    moves, position = [], 0
    while position < target:
        step = -1 if position > 0 and rng.random() < BACK_A_PHASE else 1
        moves.append((PHASE_ORDER[position], PHASE_ORDER[position + step]))
        position += step
    return moves


S = ReferralStatus
# The moves of a referral after its request (REFERRAL_TRANSITIONS), to where it ends, and
# how often; every status is somewhere's end.
REFERRAL_PATHS = [
    ((S.ASSIGNED, S.SENT, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED), 42),
    ((S.ASSIGNED, S.SENT, S.DECLINED), 12),
    ((S.ASSIGNED, S.SENT, S.WAITLISTED, S.ACCEPTED, S.IN_PROGRESS), 8),
    ((S.ASSIGNED, S.SENT, S.WAITLISTED), 6),
    ((S.ASSIGNED, S.SENT, S.ACCEPTED), 3),
    ((S.CANCELLED,), 5),
    ((S.ASSIGNED, S.SENT), 10),
    ((S.ASSIGNED,), 5),
    ((), 9),
]
DECLINE_REASON = "Geen plek binnen drie maanden."
CONSENT_PURPOSE = "Aanmelding en overleg over de hulpvraag"
CONSENT_SCOPE = "Werknaam, telefoonnummer, hulpvraag"
CONSENT_DAYS = 365


def partner_add(
    *,
    name: str,
    type: str,
    regions,
    domains,
    sex_work_expertise: bool,
    contact: tuple[str, str] | None = None,
    phone: str = "",
    agreement: tuple[str, str] | None = None,
    agreement_from=None,
) -> tuple[Partner, ContactPerson | None]:
    """A partner in the directory, with its fixed contact person (name, role) and its
    cooperation agreement (kind, text) when it has them."""
    partner = Partner.objects.create(name=name, type=type, sex_work_expertise=sex_work_expertise)
    partner.regions.set(regions)
    partner.domains.set(domains)
    person = None
    if contact:
        person = ContactPerson.objects.create(
            partner=partner, name=contact[0], role=contact[1], phone=phone
        )
    if agreement:
        CooperationAgreement.objects.create(
            partner=partner, kind=agreement[0], valid_from=agreement_from, text=agreement[1]
        )
    return partner, person


def outreach_counts(rng, people: int) -> dict[str, dict[str, int]]:
    """How the people spoken to at one outreach session are counted per dimension: a few
    categories each, ``counts[dimension][category] = n``. Whoever is left over counts as
    unknown (``outreach_session_create`` adds them)."""
    counts = {}
    for dimension, categories in DIMENSION_CATEGORIES.items():
        left = people
        counts[dimension] = {}
        for category, _label in rng.sample(categories, min(3, len(categories))):
            if category == UNKNOWN or left == 0:
                continue
            n = rng.randint(0, left)
            if n:
                counts[dimension][category] = n
            left -= n
    return counts
