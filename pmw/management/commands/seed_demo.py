"""Demo data for a first look: two organisations, every role, about 30 clients.

Idempotent: users are brought back to their demo state (password included) on every run,
clients and cases are only made once per organisation.
"""

import base64
import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import (
    PHASE_ORDER,
    Case,
    CaseShare,
    CaseStopReason,
    ContactKind,
    ContactMoment,
    ContactRoute,
    LifeDomain,
    Outcome,
    Phase,
    PhaseChange,
    StopReason,
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
