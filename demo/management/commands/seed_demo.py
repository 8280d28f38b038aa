"""Demo data for a first look: two organisations, every role, about 30 clients.

Idempotent: users are brought back to their demo state (password included) on every run,
clients and cases are only made once per organisation.
"""

import base64
import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.models import (
    DEFAULT_INTERVAL_DAYS,
    AftercarePlan,
    CheckIn,
    CheckInKind,
    CheckInResult,
    FollowUp,
    Intensity,
    Severity,
    Signal,
    SignalKind,
    suggested_intensity,
)
from aftercare.services import add_months
from cases.models import (
    ANOTHER_DAY_STRUCTURE,
    PHASE_ORDER,
    Assessment,
    AssessmentScore,
    Case,
    CaseShare,
    CaseStopReason,
    ContactKind,
    ContactMoment,
    ContactRoute,
    LifeDomain,
    MatrixVersion,
    Need,
    NeedStatus,
    Outcome,
    Phase,
    PhaseChange,
    StopReason,
)
from monitoring.models import DIMENSION_CATEGORIES, UNKNOWN, OutreachKind
from monitoring.services import outreach_session_create
from partners.models import (
    Consent,
    ContactPerson,
    CooperationAgreement,
    Partner,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from pmw.models import Municipality, Organisation, Region, Role, User
from profiles.models import (
    AccessBlock,
    Client,
    ClientSector,
    ClientTalent,
    Gender,
    Profile,
    Talent,
    WorkSector,
)
from profiles.services import client_number_next

DEMO_PASSWORD = "demo-pmw-2026"  # noqa: S105 — printed on purpose; demo installs only

ORGANISATIONS = [
    ("nieuwe-wegen", "Stichting Nieuwe Wegen", ["amsterdam"], ["Amstelveen", "Diemen", "Aalsmeer"]),
    (
        "pmw-gelderland",
        "PMW Gelderland",
        ["arnhem", "nijmegen"],
        ["Renkum", "Rheden", "Wijchen", "Berg en Dal"],
    ),
]

USERS = [
    ("demo-pmwer", "Sanne", "de Vries", Role.WORKER, "nieuwe-wegen", None),
    ("demo-pmwer2", "Yusuf", "Bakker", Role.WORKER, "nieuwe-wegen", None),
    ("demo-coordinator", "Ingrid", "Jansen", Role.COORDINATOR, "nieuwe-wegen", None),
    ("demo-beheer", "Peter", "Smit", Role.ORG_ADMIN, "nieuwe-wegen", None),
    ("demo-oost-pmwer", "Lotte", "Hendriks", Role.WORKER, "pmw-gelderland", None),
    ("demo-oost-coordinator", "Marco", "Visser", Role.COORDINATOR, "pmw-gelderland", None),
    ("demo-gemeente-amsterdam", "Fatima", "El Amrani", Role.MUNICIPAL, None, "amsterdam"),
    ("demo-gemeente-arnhem", "Joost", "Mulder", Role.MUNICIPAL, None, "arnhem"),
]

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

NOTES = [
    "Kennismaking. Vragen over soa-test en inkomen; afgesproken om volgende week te bellen.",
    "Gesproken over wat ze wil als ze minder gaat werken. Ze is goed in organiseren.",
    "Samen naar het Werkplein voor de aanvraag van een uitkering.",
    "Schuldenoverzicht gemaakt; aanmelding schuldhulpverlening besproken.",
    "Belde zelf: onrustig geslapen, wil praten over veiligheid. Afspraak gemaakt.",
    "Cv samen opgesteld; gat in het cv besproken zonder de branche te noemen.",
    "Huisbezoek, woning is in orde. Positief over de taalcursus.",
    "Kort contact via WhatsApp, het gaat goed met het nieuwe werk.",
]


# name, type, regions, life domains, sex-work expertise, fixed contact, agreement
PARTNERS = [
    (
        "Woonstichting De Grachten",
        "housing",
        ["amsterdam"],
        ["housing"],
        False,
        ("Mirjam Kok", "consulent bijzondere doelgroepen"),
        ("housing_urgency", "Urgentieverklaring binnen vier weken na voordracht door de PMW'er."),
    ),
    (
        "Werkplein Amsterdam",
        "social_services",
        ["amsterdam"],
        ["work_income"],
        True,
        ("Anouk Dekker", "klantmanager"),
        ("fast_income", "Uitkering binnen twee weken na aanmelding door de PMW'er."),
    ),
    ("Schuldhulp Amsterdam", "debt", ["amsterdam"], ["debt"], False, None, None),
    (
        "GGZ Centrum Noord",
        "mental_health",
        ["amsterdam"],
        ["care_mental"],
        True,
        ("Ruben Vos", "intaker"),
        None,
    ),
    (
        "Jellinek-achtige verslavingszorg",
        "addiction",
        ["amsterdam", "arnhem"],
        ["care_addiction"],
        False,
        None,
        None,
    ),
    (
        "GGD Seksuele gezondheid",
        "ggd",
        ["amsterdam", "arnhem", "nijmegen"],
        ["care_physical"],
        True,
        ("Lisa Bos", "verpleegkundige"),
        None,
    ),
    (
        "Veilige Opvang Regio",
        "shelter",
        ["amsterdam", "arnhem"],
        ["safety", "housing"],
        True,
        ("Femke Smit", "coördinator opvang"),
        ("shelter_before_funding", "Opvangplek direct, financiering volgt binnen een maand."),
    ),
    (
        "Taalhuis",
        "language_training",
        ["amsterdam", "nijmegen"],
        ["education_language"],
        False,
        None,
        None,
    ),
    (
        "Buddy's & Ervaringsdeskundigen",
        "peers",
        ["amsterdam", "arnhem", "nijmegen"],
        ["norms_network", "meaning"],
        True,
        ("Sam de Wit", "ervaringsdeskundige"),
        None,
    ),
    (
        "Sociaal Werkbedrijf Arnhem",
        "reintegration",
        ["arnhem"],
        ["work_income"],
        False,
        ("Peter Jacobs", "jobcoach"),
        None,
    ),
    ("Woonbedrijf Oost", "housing", ["arnhem", "nijmegen"], ["housing"], False, None, None),
    ("Terugkeer Organisatie", "return", ["amsterdam"], ["repatriation"], True, None, None),
]

DEMO_NEEDS = [
    ("housing", "Een eigen kamer, niet meer slapen op de werkplek."),
    ("work_income", "Uitkering aanvragen voor de overgangstijd."),
    ("work_income", "Een cv zonder gat; werk in de zorg of de horeca."),
    ("debt", "Overzicht en rust in de schulden."),
    ("education_language", "Nederlands leren, liefst 's avonds."),
    ("care_mental", "Slaapt slecht, wil met iemand praten."),
    ("care_physical", "Soa-test en een huisarts."),
    ("safety", "Veilige plek, weg van de oude omgeving."),
    ("norms_network", "Nieuwe mensen leren kennen buiten het werk."),
    ("meaning", "Erkenning voor wat ze heeft meegemaakt."),
]


class Command(BaseCommand):
    help = "Create or refresh the demo organisations, users and clients (idempotent)."

    def handle(self, *args, **options):
        rng = random.Random(2026)  # noqa: S311 — demo data, not security
        self.backup_codes = {}
        with transaction.atomic():
            orgs = self._organisations()
            users = self._users(orgs)
            for org in orgs.values():
                if not org.clients.exists():
                    self._clients(org, users, rng)
                if not org.outreach_sessions.exists():
                    # Its own random stream: the clients stay the same as before.
                    self._outreach(org, users, random.Random(f"outreach-{org.code}"))  # noqa: S311
            partners = self._partners()
            for org in orgs.values():
                if not Need.objects.filter(case__organisation=org).exists():
                    self._support_plans(org, users, partners, rng)
            self._aftercare(random.Random(4))  # noqa: S311 — demo data, not security
            self._security(users)
        self._print_logins()

    def _organisations(self):
        orgs = {}
        for code, name, region_codes, surrounding in ORGANISATIONS:
            org, _ = Organisation.objects.get_or_create(code=code, defaults={"name": name})
            regions = list(Region.objects.filter(code__in=region_codes))
            org.regions.set(regions)
            for index, municipality in enumerate(surrounding):
                Municipality.objects.get_or_create(
                    name=municipality, defaults={"region": regions[index % len(regions)]}
                )
            orgs[code] = org
        return orgs

    def _users(self, orgs):
        users = {}
        for username, first, last, role, org_code, region_code in USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "is_active": True,
                    "email": f"{username}@example.org",
                    "organisation": orgs.get(org_code),
                    "region": Region.objects.get(code=region_code) if region_code else None,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            self._second_factor(user)
            users[username] = user
        return users

    def _second_factor(self, user):
        """Every account needs a second factor, demo accounts too: a TOTP secret that stays
        the same across runs (so an authenticator app keeps working) and fresh backup codes,
        printed below, so a newcomer can log in at once."""
        TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"confirmed": True})
        backup, _ = StaticDevice.objects.get_or_create(user=user, name="demo-backup")
        backup.token_set.all().delete()
        self.backup_codes[user.username] = [StaticToken.random_token() for _i in range(3)]
        backup.token_set.bulk_create(
            StaticToken(device=backup, token=code) for code in self.backup_codes[user.username]
        )

    def _clients(self, org, users, rng):
        workers = [u for u in users.values() if u.organisation_id == org.pk and u.does_casework]
        municipalities = list(Municipality.objects.filter(region__in=org.regions.all()))
        domains = list(LifeDomain.objects.all())
        count = 20 if org.code == "nieuwe-wegen" else 10
        today = timezone.localdate()
        names = WORKING_NAMES[:count] if org.code == "nieuwe-wegen" else WORKING_NAMES[-count:]
        for index, name in enumerate(names):
            profile = rng.choices(
                [Profile.AUTONOMOUS, Profile.MULTIPLE_NEEDS, Profile.EXPLOITATION, Profile.UNKNOWN],
                weights=[40, 35, 20, 5],
            )[0]
            gender = rng.choices(
                [Gender.WOMAN, Gender.MAN, Gender.TRANS_WOMAN, Gender.NON_BINARY],
                weights=[80, 8, 8, 4],
            )[0]
            worker = workers[index % len(workers)]
            client = org.clients.create(
                number=client_number_next(year=today.year),
                working_name=name,
                working_name_key=name.casefold(),
                birth_year=today.year - rng.randint(19, 52),
                gender=gender,
                country_of_origin=rng.choice(["NL", "RO", "BG", "HU", "TH", "CO", "NG", "PL"]),
                languages=rng.choice(["Nederlands", "Engels", "Roemeens, Engels", "Spaans"]),
                interpreter_needed=rng.random() < 0.2,
                profile=profile,
                safety_flag=profile == Profile.EXPLOITATION,
                municipality=rng.choice(municipalities),
                safe_channels="WhatsApp op eigen nummer",
                safe_times="Doordeweeks 10-15 uur",
                never_use="Geen post naar het huisadres" if rng.random() < 0.5 else "",
                created_by=worker,
            )
            ClientSector.objects.create(client=client, sector=rng.choice(WorkSector.values))
            ClientTalent.objects.create(client=client, talent=rng.choice(Talent.values))
            self._case(client, worker, domains, rng, today)

    def _case(self, client, worker, domains, rng, today):
        opened_on = today - datetime.timedelta(days=rng.randint(30, 400))
        case = Case.objects.create(
            client=client,
            organisation=client.organisation,
            municipality=client.municipality,
            worker=worker,
            contact_route=rng.choice(ContactRoute.values),
            opened_on=opened_on,
            created_by=worker,
        )
        CaseStopReason.objects.create(case=case, reason=rng.choice(StopReason.values))
        at = timezone.make_aware(datetime.datetime.combine(opened_on, datetime.time(10)))
        PhaseChange.objects.create(case=case, to_phase=Phase.CONTACT, at=at, by=worker)
        target = rng.randint(0, 3)
        path = PHASE_ORDER[1 : target + 1]
        if target >= 2 and rng.random() < 0.3:  # some doubt and go back a phase
            path = [Phase.ORIENTATION, Phase.EXECUTION, Phase.ORIENTATION, Phase.EXECUTION][
                : target + 2
            ] + PHASE_ORDER[3 : target + 1]
        span = (today - opened_on).days
        step = max(span // (len(path) + 2), 1)
        phase = Phase.CONTACT
        for position, to in enumerate(path, start=1):
            PhaseChange.objects.create(
                case=case,
                from_phase=phase,
                to_phase=to,
                at=at + datetime.timedelta(days=step * position),
                by=worker,
                note="Besproken en samen besloten." if rng.random() < 0.5 else "",
            )
            phase = to
        moments = [
            ContactMoment(
                case=case,
                at=at + datetime.timedelta(days=rng.randint(0, span), hours=rng.randint(0, 6)),
                kind=rng.choice(ContactKind.values),
                duration_minutes=rng.choice([15, 30, 45, 60, 90]),
                worker=worker,
                note=rng.choice(NOTES),
            )
            for _ in range(rng.randint(2, 8))
        ]
        ContactMoment.objects.bulk_create(moments)
        for moment in moments:
            moment.domains.set(rng.sample(domains, rng.randint(0, 2)))
        case.phase = phase
        case.last_contact_at = max(m.at for m in moments)
        if phase == Phase.AFTERCARE and rng.random() < 0.4:
            case.closed_on = min(
                today, timezone.localdate(case.last_contact_at) + datetime.timedelta(days=7)
            )
            case.outcome = rng.choice([Outcome.FULLY_STOPPED, Outcome.COMBINATION])
        case.save()

    def _security(self, users):
        """Show the security features: a shelter location behind the safety flag, a case
        shared read-only for a holiday, and an access block. Idempotent."""
        flagged = Client.objects.filter(safety_flag=True, shelter_location="")
        for client in flagged:
            client.shelter_location = "Opvanglocatie (demo), adres alleen voor de vaste PMW'er"
            client.save(update_fields=["shelter_location"])
        sanne, yusuf = users["demo-pmwer"], users["demo-pmwer2"]
        coordinator = users["demo-coordinator"]
        own = Case.objects.filter(worker=sanne, closed_on__isnull=True).order_by("id")
        shared = own.filter(client__safety_flag=True).first() or own.first()
        if shared:
            CaseShare.objects.update_or_create(
                case=shared,
                user=yusuf,
                defaults={
                    "can_write": False,
                    "expires_on": timezone.localdate() + datetime.timedelta(days=14),
                    "created_by": sanne,
                },
            )
        blocked = own.exclude(pk=getattr(shared, "pk", None)).last()
        if blocked:
            AccessBlock.objects.get_or_create(
                client=blocked.client,
                user=yusuf,
                defaults={"reason": "Kent de persoon privé (demo)", "created_by": coordinator},
            )

    def _partners(self):
        """A small network per region, with gaps on purpose (the coverage matrix shows them)."""
        partners = {}
        for name, type_, region_codes, domain_codes, expertise, contact, agreement in PARTNERS:
            partner, created = Partner.objects.get_or_create(
                name=name, defaults={"type": type_, "sex_work_expertise": expertise}
            )
            if created:
                partner.regions.set(Region.objects.filter(code__in=region_codes))
                partner.domains.set(LifeDomain.objects.filter(code__in=domain_codes))
                if contact:
                    ContactPerson.objects.create(
                        partner=partner, name=contact[0], role=contact[1], phone="020 555 0100"
                    )
                if agreement:
                    CooperationAgreement.objects.create(
                        partner=partner,
                        kind=agreement[0],
                        valid_from=timezone.localdate() - datetime.timedelta(days=200),
                        text=agreement[1],
                    )
            partners[name] = partner
        return partners

    def _support_plans(self, org, users, partners, rng):
        """Needs, referrals in every status, consents and assessments on the open cases."""
        today = timezone.localdate()
        domains = {d.code: d for d in LifeDomain.objects.all()}
        version = MatrixVersion.objects.get(is_current=True)
        matrix = list(version.domains.all())
        coordinator = next(
            u for u in users.values() if u.organisation_id == org.pk and u.is_coordinator
        )
        in_region = [p for p in partners.values() if p.regions.filter(organisations=org).exists()]
        statuses = list(ReferralStatus.values)
        cases = Case.objects.filter(organisation=org, closed_on__isnull=True).select_related(
            "client", "worker"
        )
        for index, case in enumerate(cases):
            for code, words in rng.sample(DEMO_NEEDS, rng.randint(1, 3)):
                identified = case.opened_on + datetime.timedelta(days=rng.randint(0, 20))
                helped = identified + datetime.timedelta(days=rng.randint(1, 40))
                need = Need.objects.create(
                    case=case,
                    domain=domains[code],
                    description=words,
                    priority=rng.choice(["high", "normal", "normal", "low"]),
                    status=NeedStatus.IN_PROGRESS if helped <= today else NeedStatus.OPEN,
                    identified_on=min(identified, today),
                    first_help_on=helped if helped <= today else None,
                    created_by=case.worker,
                )
                candidates = [p for p in in_region if need.domain in p.domains.all()]
                if candidates and rng.random() < 0.6:
                    status = statuses[(index + need.pk) % len(statuses)]
                    self._referral(case, need, rng.choice(candidates), status, coordinator, rng)
            intake = max(case.opened_on, today - datetime.timedelta(days=120))
            for kind, on in (("intake", intake), ("review", today - datetime.timedelta(days=5))):
                if on < case.opened_on:
                    continue
                assessment = Assessment.objects.create(
                    case=case, kind=kind, assessed_on=on, version=version, by=case.worker
                )
                AssessmentScore.objects.bulk_create(
                    AssessmentScore(
                        assessment=assessment,
                        domain=domain,
                        score=None
                        if rng.random() < 0.2
                        else min(5, rng.randint(1, 3) + (kind == "review")),
                    )
                    for domain in matrix
                )

    def _referral(self, case, need, partner, status, coordinator, rng):
        """A referral walked along the status flow with back-dated events."""
        flow = {
            "requested": [],
            "assigned": ["assigned"],
            "sent": ["assigned", "sent"],
            "waitlisted": ["assigned", "sent", "waitlisted"],
            "declined": ["assigned", "sent", "declined"],
            "accepted": ["assigned", "sent", "accepted"],
            "in_progress": ["assigned", "sent", "accepted", "in_progress"],
            "completed": ["assigned", "sent", "accepted", "in_progress", "completed"],
            "cancelled": ["cancelled"],
        }[status]
        at = timezone.now() - datetime.timedelta(days=rng.randint(len(flow) * 4 + 2, 60))
        contact = partner.contacts.first()
        referral = Referral.objects.create(
            case=case,
            need=need,
            partner=partner,
            contact_person=contact,
            status=status,
            warm_handover=rng.random() < 0.3,
            requested_at=at,
            requested_by=case.worker,
            decline_reason="Geen plek binnen drie maanden." if status == "declined" else "",
        )
        if "sent" in flow:
            Consent.objects.get_or_create(
                client=case.client,
                partner=partner,
                defaults={
                    "purpose": "Aanmelding en overleg over de hulpvraag",
                    "scope": "Werknaam, telefoonnummer, hulpvraag",
                    "given_on": timezone.localdate(at),
                    "expires_on": timezone.localdate(at) + datetime.timedelta(days=365),
                    "recorded_by": case.worker,
                },
            )
        events = [ReferralEvent(referral=referral, to_status="requested", at=at, by=case.worker)]
        previous = "requested"
        for step in flow:
            at += datetime.timedelta(days=rng.randint(1, 4))
            by = coordinator if step == "assigned" else case.worker
            events.append(
                ReferralEvent(referral=referral, from_status=previous, to_status=step, at=at, by=by)
            )
            if step == "sent":
                referral.sent_at = at
            if step == "accepted":
                referral.accepted_at = at
            previous = step
        if status in ("completed", "declined", "cancelled"):
            referral.closed_at = at
        referral.save(update_fields=["sent_at", "accepted_at", "closed_at"])
        ReferralEvent.objects.bulk_create(events)

    def _aftercare(self, rng):
        """Plans for cases in aftercare, some check-ins and signals, follow-ups after closing.

        Only what is missing is added, so older demo databases get it too. Some check-ins are
        due or overdue, so the Celery beat of `make run` sends reminders within minutes.
        """
        today = timezone.localdate()
        cases = Case.objects.filter(phase=Phase.AFTERCARE, aftercare_plan__isnull=True)
        for case in cases.select_related("client").order_by("pk"):
            suggested = suggested_intensity(case.client.profile)
            intensity = Intensity.NONE if rng.random() < 0.15 else suggested
            starts_on = max(case.opened_on, today - datetime.timedelta(days=rng.randint(5, 60)))
            plan = AftercarePlan(
                case=case,
                intensity=intensity,
                suggested_intensity=suggested,
                intensity_reason="Cliënt wil zelf contact opnemen als dat nodig is."
                if intensity != suggested
                else "",
                check_in_interval_days=DEFAULT_INTERVAL_DAYS.get(intensity),
                responsible=case.worker,
                starts_on=starts_on,
                created_by=case.worker,
            )
            if intensity != Intensity.NONE and rng.random() < 0.6:
                plan.last_check_in_on = min(
                    today, starts_on + datetime.timedelta(days=rng.randint(0, 20))
                )
            plan.next_check_in_on = plan.compute_next_check_in()
            plan.save()
            if plan.last_check_in_on:
                CheckIn.objects.create(
                    plan=plan,
                    on=plan.last_check_in_on,
                    kind=CheckInKind.PHONE,
                    result=rng.choice(CheckInResult.values),
                    note="Even gebeld: werk en wonen lopen, afgesproken over een maand weer.",
                    by=case.worker,
                )
            if case.is_open and rng.random() < 0.3:
                Signal.objects.create(
                    plan=plan,
                    kind=rng.choice([SignalKind.DEBTS, SignalKind.LOST_JOB, SignalKind.MENTAL]),
                    severity=Severity.MEDIUM,
                    noted_on=today - datetime.timedelta(days=rng.randint(0, 10)),
                    note="Gaf zelf aan dat het minder gaat; volgende week langs.",
                    by=case.worker,
                )
        closed = Case.objects.filter(
            closed_on__isnull=False, outcome__in=ANOTHER_DAY_STRUCTURE, follow_ups__isnull=True
        )
        for case in closed.order_by("pk"):
            for months in settings.FOLLOW_UP_MONTHS:
                FollowUp.objects.create(
                    case=case, months=months, due_on=add_months(case.closed_on, months)
                )
        # One follow-up due this week, so "Mijn week" shows the section.
        first = (
            FollowUp.objects.filter(recorded_on__isnull=True, case__worker__username="demo-pmwer")
            .order_by("pk")
            .first()
        ) or FollowUp.objects.filter(recorded_on__isnull=True).order_by("pk").first()
        if (
            first
            and not FollowUp.objects.filter(
                recorded_on__isnull=True, due_on__lte=today + datetime.timedelta(days=7)
            ).exists()
        ):
            FollowUp.objects.filter(pk=first.pk).update(due_on=today + datetime.timedelta(days=2))
        # One client with a B8/3 reflection period ending soon: a reminder source too.
        if not Client.objects.filter(reflection_period_ends_on__isnull=False).exists():
            exploited = (
                Client.objects.filter(profile=Profile.EXPLOITATION, cases__closed_on__isnull=True)
                .order_by("pk")
                .first()
            )
            if exploited:
                exploited.reflection_period_ends_on = today + datetime.timedelta(days=10)
                exploited.save(update_fields=["reflection_period_ends_on"])

    def _outreach(self, org, users, rng):
        """A year of outreach sessions with anonymous counts, for the monitoring pages."""
        workers = [u for u in users.values() if u.organisation_id == org.pk and u.does_casework]
        today = timezone.localdate()
        regions = list(org.regions.all())
        for index in range(48 if org.code == "nieuwe-wegen" else 24):
            region = regions[index % len(regions)]
            municipalities = list(region.municipalities.all())
            kind = rng.choice(OutreachKind.values)
            people = rng.randint(2, 25)
            online = kind == OutreachKind.FIELD_ONLINE
            messages = rng.randint(people, 80) if online else 0
            counts = {}
            for dimension, categories in DIMENSION_CATEGORIES.items():
                left = people
                counts[dimension] = {}
                for category, _label in rng.sample(categories, 3):
                    if category == UNKNOWN:
                        continue
                    n = rng.randint(0, left)
                    counts[dimension][category] = n
                    left -= n
            outreach_session_create(
                by=workers[index % len(workers)],
                region=region,
                municipality=rng.choice(municipalities),
                held_on=today - datetime.timedelta(days=rng.randint(0, 365)),
                kind=kind,
                with_ggd=kind == OutreachKind.FIELD_LICENSED and rng.random() < 0.6,
                venues_visited=rng.randint(1, 8) if kind == OutreachKind.FIELD_LICENSED else 0,
                messages_sent=messages,
                replies=min(people, messages) if online else 0,
                people_spoken=people,
                counts=counts,
            )

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        self.stdout.write(
            "Second step: type one of the backup codes (each works once, new ones every run),"
        )
        self.stdout.write("or add the TOTP secret to an authenticator app.")
        secrets = {
            d.user.username: base64.b32encode(d.bin_key).decode()
            for d in TOTPDevice.objects.filter(name="demo").select_related("user")
        }
        for username, _first, _last, role, org_code, region_code in USERS:
            where = org_code or f"regio {region_code}"
            codes = " ".join(self.backup_codes.get(username, []))
            self.stdout.write(f"  {username:<26} {Role(role).label:<22} {where}")
            self.stdout.write(f"      backup codes: {codes}   TOTP secret: {secrets[username]}")
        self.stdout.write("")
