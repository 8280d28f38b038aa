"""Demo data for a first look: two organisations, every role, about 30 clients.

Every client, case, contact moment, need, referral, consent, assessment, aftercare plan,
check-in, signal, share and access block is made by the service its form posts to, so the
demo never holds a state the application cannot reach. What a worker dates in a form is
dated in the past (a case's start, contact moments, needs, first help, consents,
assessments, the start of aftercare, check-ins, signals, a closing date); what no form dates
(phase changes, referral moves) happens at the time of the run, as it does when a worker
enters an earlier story today. Users, organisations and the partner directory are written
directly: they are configuration, not client data.

Idempotent: users are brought back to their demo state (password included, fresh backup
codes) on every run; clients, outreach and partners are only made once.
"""

import base64
import datetime
import itertools
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.models import (
    CheckInKind,
    CheckInResult,
    Intensity,
    Severity,
    SignalKind,
    suggested_intensity,
)
from aftercare.services import add_months, aftercare_start, check_in_log, signal_record
from cases.models import (
    AssessmentKind,
    Case,
    CaseShare,
    ContactKind,
    ContactRoute,
    LifeDomain,
    MatrixVersion,
    NeedPriority,
    Outcome,
    Phase,
    StopReason,
)
from cases.services import (
    assessment_record,
    case_change_phase,
    case_close,
    case_log_contact,
    case_open,
    case_share_grant,
    need_create,
    need_record_first_help,
)
from demo.synthetic import (
    CONSENT_DAYS,
    CONSENT_PURPOSE,
    CONSENT_SCOPE,
    COUNTRIES,
    DECLINE_REASON,
    GENDER_WEIGHTS,
    PROFILE_WEIGHTS,
    REFERRAL_PATHS,
    WORKING_NAMES,
    outreach_counts,
    partner_add,
    phase_moves,
    pick,
)
from monitoring.models import OutreachKind
from monitoring.services import outreach_session_create
from partners.models import Partner, ReferralStatus
from partners.selectors import has_valid_consent
from partners.services import (
    consent_record,
    referral_assign,
    referral_decline,
    referral_move,
    referral_request,
    referral_send,
)
from pmw.models import Municipality, Organisation, Region, Role, User
from profiles.models import AccessBlock, Client, Profile, Talent, WorkSector
from profiles.services import access_block_create, client_register, client_update

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
LANGUAGES = ["Nederlands", "Engels", "Roemeens, Engels", "Spaans"]
SHELTER = "Opvanglocatie (demo), adres alleen voor de vaste PMW'er"


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
        self.today = timezone.localdate()
        with transaction.atomic():
            orgs = self._organisations()
            users = self._users(orgs)
            partners = self._partners()
            for org in orgs.values():
                if not org.clients.exists():
                    self._clients(org, users, partners, rng)
                if not org.outreach_sessions.exists():
                    # Its own random stream: the clients stay the same as before.
                    self._outreach(org, users, random.Random(f"outreach-{org.code}"))  # noqa: S311
            self._reflection_period()
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

    def _partners(self):
        """A small network per region, with gaps on purpose (the coverage matrix shows them)."""
        for name, type_, region_codes, domain_codes, expertise, contact, agreement in PARTNERS:
            if not Partner.objects.filter(name=name).exists():
                partner_add(
                    name=name,
                    type=type_,
                    regions=Region.objects.filter(code__in=region_codes),
                    domains=LifeDomain.objects.filter(code__in=domain_codes),
                    sex_work_expertise=expertise,
                    contact=contact,
                    phone="020 555 0100",
                    agreement=agreement,
                    agreement_from=self.today - datetime.timedelta(days=200),
                )
        names = [row[0] for row in PARTNERS]
        return list(Partner.objects.filter(name__in=names).prefetch_related("regions", "domains"))

    # -- the clients and their stories ---------------------------------------------------

    def _clients(self, org, users, partners, rng):
        workers = [u for u in users.values() if u.organisation_id == org.pk and u.does_casework]
        self.coordinator = next(u for u in workers if u.is_coordinator)
        regions = set(org.regions.values_list("pk", flat=True))
        # Partners in the organisation's regions, with the life domains they answer.
        self.network = [
            (partner, {d.pk for d in partner.domains.all()})
            for partner in partners
            if regions & {r.pk for r in partner.regions.all()}
        ]
        self.domains = {d.code: d for d in LifeDomain.objects.all()}
        self.matrix = MatrixVersion.objects.get(is_current=True)
        # Referrals take the paths in turn, so every status shows.
        self.referral_paths = itertools.cycle(path for path, _weight in REFERRAL_PATHS)
        municipalities = list(Municipality.objects.filter(region__in=regions))
        count = 20 if org.code == "nieuwe-wegen" else 10
        names = WORKING_NAMES[:count] if org.code == "nieuwe-wegen" else WORKING_NAMES[-count:]
        for index, name in enumerate(names):
            worker = workers[index % len(workers)]
            client = self._client(worker, name, municipalities, rng)
            if index == 0:
                self._earlier_case(client, worker, rng)
            else:
                self._case(client, worker, rng)

    def _client(self, worker, name, municipalities, rng):
        profile = pick(rng, PROFILE_WEIGHTS)
        client = Client(
            working_name=name,
            birth_year=self.today.year - rng.randint(19, 52),
            gender=pick(rng, GENDER_WEIGHTS),
            country_of_origin=rng.choice(COUNTRIES),
            languages=rng.choice(LANGUAGES),
            interpreter_needed=rng.random() < 0.2,
            profile=profile,
            municipality=rng.choice(municipalities),
            safe_channels="WhatsApp op eigen nummer",
            safe_times="Doordeweeks 10-15 uur",
            never_use="Geen post naar het huisadres" if rng.random() < 0.5 else "",
            # The shelter sits behind the safety flag, which the service sets for this profile.
            shelter_location=SHELTER if profile == Profile.EXPLOITATION else "",
        )
        return client_register(
            client=client,
            sectors=[rng.choice(WorkSector.values)],
            talents=[rng.choice(Talent.values)],
            by=worker,
        )

    def _open(self, client, worker, opened_on, rng):
        return case_open(
            client=client,
            worker=worker,
            contact_route=rng.choice(ContactRoute.values),
            opened_on=opened_on,
            stop_reasons=[rng.choice(StopReason.values)],
            by=worker,
        )

    def _case(self, client, worker, rng):
        """Opened months ago, contact moments since; open cases get a support plan; the
        case moves through the phases (sometimes back), and some close from aftercare."""
        case = self._open(
            client, worker, self.today - datetime.timedelta(days=rng.randint(30, 400)), rng
        )
        self._contact_moments(case, worker, timezone.now(), rng)
        moves = phase_moves(rng)
        closes = bool(moves) and moves[-1][1] == Phase.AFTERCARE and rng.random() < 0.4
        if not closes:
            self._support_plan(case, worker, rng)
        for _from, to in moves:
            if to == Phase.AFTERCARE:
                self._aftercare(case, worker, rng, signals=not closes)
            else:
                note = "Besproken en samen besloten." if rng.random() < 0.5 else ""
                case_change_phase(case=case, to=to, by=worker, note=note)
        if closes:
            case_close(
                case=case,
                by=worker,
                outcome=rng.choice([Outcome.FULLY_STOPPED, Outcome.COMBINATION]),
                closed_on=self.today,
            )

    def _earlier_case(self, client, worker, rng):
        """A case closed half a year ago with another day structure: its first follow-up
        falls due this week, so "Mijn week" shows one. Closed before the run, it kept the
        phase it opened in (phase changes are dated by the run)."""
        closed_on = add_months(self.today + datetime.timedelta(days=3), -6)
        case = self._open(
            client, worker, closed_on - datetime.timedelta(days=rng.randint(60, 200)), rng
        )
        until = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(16)))
        self._contact_moments(case, worker, until, rng)
        case_close(
            case=case,
            by=worker,
            outcome=rng.choice([Outcome.FULLY_STOPPED, Outcome.COMBINATION]),
            closed_on=closed_on,
            note="Heeft ander werk gevonden; de deur blijft open.",
        )

    def _contact_moments(self, case, worker, until, rng):
        start = timezone.make_aware(datetime.datetime.combine(case.opened_on, datetime.time(10)))
        span = (timezone.localdate(until) - case.opened_on).days
        domains = list(self.domains.values())
        for _ in range(rng.randint(2, 8)):
            at = start + datetime.timedelta(days=rng.randint(0, span), hours=rng.randint(0, 6))
            case_log_contact(
                case=case,
                by=worker,
                at=min(at, until),
                kind=rng.choice(ContactKind.values),
                duration_minutes=rng.choice([15, 30, 45, 60, 90]),
                note=rng.choice(NOTES),
                domains=rng.sample(domains, rng.randint(0, 2)),
            )

    def _support_plan(self, case, worker, rng):
        """Needs (some helped already), referrals in every status, two assessments."""
        today = self.today
        for code, words in rng.sample(DEMO_NEEDS, rng.randint(1, 3)):
            identified = min(case.opened_on + datetime.timedelta(days=rng.randint(0, 20)), today)
            helped = identified + datetime.timedelta(days=rng.randint(1, 40))
            need = need_create(
                case=case,
                domain=self.domains[code],
                description=words,
                priority=rng.choice(
                    [NeedPriority.HIGH, NeedPriority.NORMAL, NeedPriority.NORMAL, NeedPriority.LOW]
                ),
                identified_on=identified,
                by=worker,
            )
            if helped <= today:
                need_record_first_help(need=need, on=helped, by=worker)
            candidates = [partner for partner, covers in self.network if need.domain_id in covers]
            if candidates and rng.random() < 0.6:
                self._referral(case, need, rng.choice(candidates), worker, rng)
        intake = max(case.opened_on, today - datetime.timedelta(days=120))
        review = today - datetime.timedelta(days=5)
        for kind, on in ((AssessmentKind.INTAKE, intake), (AssessmentKind.REVIEW, review)):
            if on < case.opened_on:
                continue
            scores = {
                domain.pk: None
                if rng.random() < 0.2
                else min(5, rng.randint(1, 3) + (kind == AssessmentKind.REVIEW))
                for domain in self.matrix.domains.all()
            }
            assessment_record(
                case=case, kind=kind, assessed_on=on, version=self.matrix, scores=scores, by=worker
            )

    def _referral(self, case, need, partner, worker, rng):
        """Requested by the worker, assigned by the coordinator, sent with the client's
        consent for that partner, then the partner's answer: the next path in turn."""
        referral = referral_request(
            case=case,
            need=need,
            partner=partner,
            contact_person=partner.contacts.first(),
            warm_handover=rng.random() < 0.3,
            by=worker,
        )
        for step in next(self.referral_paths):
            if step == ReferralStatus.ASSIGNED:
                referral_assign(referral=referral, by=self.coordinator)
            elif step == ReferralStatus.SENT:
                if not has_valid_consent(client=case.client, partner=partner):
                    given_on = max(need.identified_on, self.today - datetime.timedelta(days=30))
                    consent_record(
                        client=case.client,
                        partner=partner,
                        purpose=CONSENT_PURPOSE,
                        scope=CONSENT_SCOPE,
                        given_on=given_on,
                        expires_on=given_on + datetime.timedelta(days=CONSENT_DAYS),
                        by=worker,
                    )
                referral_send(referral=referral, by=worker)
            elif step == ReferralStatus.DECLINED:
                referral_decline(referral=referral, by=worker, reason=DECLINE_REASON)
            else:
                referral_move(referral=referral, to=step, by=worker)

    def _aftercare(self, case, worker, rng, *, signals):
        """The step into aftercare with its plan; a check-in, and now and then a signal.
        Some check-ins are due or overdue, so the Celery beat of `make run` sends reminders
        within minutes."""
        today = self.today
        suggested = suggested_intensity(case.client.profile)
        intensity = Intensity.NONE if rng.random() < 0.15 else suggested
        starts_on = max(case.opened_on, today - datetime.timedelta(days=rng.randint(5, 60)))
        plan = aftercare_start(
            case=case,
            intensity=intensity,
            responsible=worker,
            starts_on=starts_on,
            by=worker,
            intensity_reason="Cliënt wil zelf contact opnemen als dat nodig is."
            if intensity != suggested
            else "",
        )
        if intensity != Intensity.NONE and rng.random() < 0.6:
            check_in_log(
                plan=plan,
                on=min(today, starts_on + datetime.timedelta(days=rng.randint(0, 20))),
                kind=CheckInKind.PHONE,
                result=rng.choice(CheckInResult.values),
                note="Even gebeld: werk en wonen lopen, afgesproken over een maand weer.",
                by=worker,
            )
        if signals and rng.random() < 0.3:
            signal_record(
                plan=plan,
                kind=rng.choice([SignalKind.DEBTS, SignalKind.LOST_JOB, SignalKind.MENTAL]),
                severity=Severity.MEDIUM,
                noted_on=max(starts_on, today - datetime.timedelta(days=rng.randint(0, 10))),
                note="Gaf zelf aan dat het minder gaat; volgende week langs.",
                by=worker,
            )

    def _reflection_period(self):
        """One client with a B8/3 reflection period ending soon (a reminder source), set
        through the client's edit form."""
        if Client.objects.filter(reflection_period_ends_on__isnull=False).exists():
            return
        case = (
            Case.objects.filter(client__profile=Profile.EXPLOITATION, closed_on__isnull=True)
            .select_related("client", "worker")
            .order_by("client_id")
            .first()
        )
        if case:
            client = case.client
            client.reflection_period_ends_on = self.today + datetime.timedelta(days=10)
            client_update(
                client=client,
                sectors=list(client.sectors.values_list("sector", flat=True)),
                talents=list(client.talents.values_list("talent", flat=True)),
                by=case.worker,
            )

    def _security(self, users):
        """Show the security features: a case shared read-only for a holiday (again when
        the last share has run out) and an access block."""
        sanne, yusuf = users["demo-pmwer"], users["demo-pmwer2"]
        own = Case.objects.filter(worker=sanne, closed_on__isnull=True).order_by("id")
        shared = own.filter(client__safety_flag=True).first() or own.first()
        if shared and not CaseShare.objects.filter(user=yusuf, expires_on__gte=self.today).exists():
            case_share_grant(
                case=shared,
                user=yusuf,
                expires_on=self.today + datetime.timedelta(days=14),
                can_write=False,
                by=sanne,
            )
        blocked = own.exclude(pk=getattr(shared, "pk", None)).select_related("client").last()
        if blocked and not AccessBlock.objects.filter(user=yusuf).exists():
            access_block_create(
                client=blocked.client,
                user=yusuf,
                reason="Kent de persoon privé (demo)",
                by=users["demo-coordinator"],
            )

    def _outreach(self, org, users, rng):
        """A year of outreach sessions with anonymous counts, for the monitoring pages."""
        workers = [u for u in users.values() if u.organisation_id == org.pk and u.does_casework]
        regions = list(org.regions.all())
        for index in range(48 if org.code == "nieuwe-wegen" else 24):
            region = regions[index % len(regions)]
            municipalities = list(region.municipalities.all())
            kind = rng.choice(OutreachKind.values)
            people = rng.randint(2, 25)
            online = kind == OutreachKind.FIELD_ONLINE
            messages = rng.randint(people, 80) if online else 0
            outreach_session_create(
                by=workers[index % len(workers)],
                region=region,
                municipality=rng.choice(municipalities),
                held_on=self.today - datetime.timedelta(days=rng.randint(0, 365)),
                kind=kind,
                with_ggd=kind == OutreachKind.FIELD_LICENSED and rng.random() < 0.6,
                venues_visited=rng.randint(1, 8) if kind == OutreachKind.FIELD_LICENSED else 0,
                messages_sent=messages,
                replies=min(people, messages) if online else 0,
                people_spoken=people,
                counts=outreach_counts(rng, people),
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
