"""Realistic, internally consistent data at national scale, fast, for the benchmark.

Full size (``--scale 1``) is ten years of a national installation at ten times today's
intake: about 100,000 clients, 150,000 cases with phase histories and 1,500,000 contact
moments over 40 organisations and 800 users in the 18 regions. ``--scale 0.01`` makes a
hundredth of it (tests use that). Rows go in with bulk inserts, a chunk of cases at a time,
so memory stays flat.
"""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from aftercare.models import (
    AftercarePlan,
    CheckIn,
)
from cases.models import (
    Assessment,
    Case,
    CaseStopReason,
    ContactKind,
    ContactMoment,
    ContactRoute,
    LifeDomain,
    MatrixVersion,
    Need,
    Outcome,
    Phase,
    PhaseChange,
    StopReason,
)
from demo.scale import YEARS
from demo.scale.outreach import Outreach
from demo.scale.progress import Progress
from demo.scale.support import SupportPlans
from demo.synthetic import (
    COUNTRIES,
    GENDER_WEIGHTS,
    PROFILE_WEIGHTS,
    WORKING_NAMES,
    partner_add,
    phase_moves,
    pick,
)
from monitoring.services import figures_rebuild
from partners.models import (
    AgreementKind,
    Consent,
    PartnerType,
    Referral,
)
from pmw.models import Municipality, Organisation, Region, Role, User
from profiles.models import (
    Client,
    ClientNumberSequence,
    ClientSector,
    HowStarted,
    Licensing,
    LivingSituation,
    Profile,
    WorkSector,
    name_key,
)

FULL = {
    "organisations": 40,
    "users": 800,
    "clients": 100_000,
    "cases": 150_000,
    "contact_moments": 1_500_000,
    "needs": 400_000,
    "referrals": 200_000,
    "aftercare_plans": 50_000,
    "assessments": 250_000,
    "partners_per_region": 25,
    "outreach_sessions": 20_000,
}

CHUNK = 2_000  # cases per transaction
MARKER = "scale-"  # organisation codes start with this, so a second run can find them

OUTCOME_WEIGHTS = {
    Outcome.FULLY_STOPPED: 30,
    Outcome.COMBINATION: 18,
    Outcome.CONTINUES: 10,
    Outcome.DROPPED_OUT: 22,
    Outcome.TRANSFERRED: 5,
    Outcome.MOVED_AWAY: 8,
    Outcome.OTHER: 7,
}


class Command(SupportPlans, Progress, Outreach, BaseCommand):
    help = "Generate a national-scale data set for the benchmark (see bench/README)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = full national size; 0.01 = a hundredth"
        )
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, scale, seed, **options):
        if not 0 < scale <= 2:
            raise CommandError("--scale must be above 0 and at most 2")
        if Organisation.objects.filter(code__startswith=MARKER).exists():
            raise CommandError("Scale data exists already in this database; use a fresh one.")
        self.rng = random.Random(seed)  # noqa: S311 — synthetic data, not security
        self.today = timezone.localdate()
        self.sizes = {k: max(int(v * scale), 1) for k, v in FULL.items()}
        self.sizes["organisations"] = max(self.sizes["organisations"], 2)
        started = time.monotonic()
        self.domains = list(LifeDomain.objects.values_list("pk", flat=True))
        self.domain_codes = dict(LifeDomain.objects.values_list("code", "pk"))
        self.matrix = MatrixVersion.objects.get(is_current=True)
        self.matrix_domains = list(self.matrix.domains.values_list("pk", flat=True))
        self._platform()
        self._clients_and_cases()
        self._outreach()
        # The figures' one big statement is planned from statistics: without them (right
        # after a bulk load) PostgreSQL picked nested loops and ran it for over 20 minutes
        # (stopped there); with them it takes 2.
        self._statistics(vacuum=False)
        # The monitoring figures of every case in one statement, instead of leaving them all
        # stale for the first monitoring page to compute.
        figures_rebuild()
        self._statistics(vacuum=True)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated in {elapsed:.0f} s: "
                + ", ".join(
                    f"{model.__name__} {model.objects.count():,}"
                    for model in (
                        Organisation,
                        User,
                        Client,
                        Case,
                        PhaseChange,
                        ContactMoment,
                        Need,
                        Referral,
                        Consent,
                        Assessment,
                        AftercarePlan,
                        CheckIn,
                    )
                )
            )
        )

    def _statistics(self, *, vacuum: bool):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM at the end: a bulk load leaves no visibility map, so PostgreSQL would
                # avoid index-only scans until autovacuum came by (as it does on a live
                # database). Not possible inside a transaction (the tests'): statistics only.
                vacuum = vacuum and not connection.in_atomic_block
                cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")

    # -- platform ---------------------------------------------------------------------
    def _platform(self):
        regions = list(Region.objects.order_by("code"))
        self.municipalities = {}
        for region in regions:
            for index in range(4):
                Municipality.objects.get_or_create(
                    name=f"{region.name}-omgeving {index + 1}", defaults={"region": region}
                )
            self.municipalities[region.pk] = list(
                region.municipalities.values_list("pk", flat=True)
            )
        self.municipality_region = dict(Municipality.objects.values_list("pk", "region_id"))
        self.organisations = []
        for index in range(self.sizes["organisations"]):
            org = Organisation.objects.create(
                code=f"{MARKER}{index:02d}", name=f"PMW-organisatie {index + 1:02d}"
            )
            org.regions.set(
                [regions[index % len(regions)]]
                + ([regions[(index + 5) % len(regions)]] if index % 3 == 0 else [])
            )
            self.organisations.append(org)
        per_org = max(self.sizes["users"] // len(self.organisations), 3)
        users = []
        for org in self.organisations:
            for index in range(per_org):
                role = Role.COORDINATOR if index < 2 else Role.WORKER
                if index == 2:
                    role = Role.ORG_ADMIN
                users.append(
                    User(
                        username=f"{org.code}-{index:03d}",
                        role=role,
                        organisation=org,
                        first_name="Medewerker",
                        last_name=f"{org.code[-2:]}-{index:03d}",
                    )
                )
        for region in regions:
            users.append(
                User(username=f"{MARKER}gemeente-{region.code}", role=Role.MUNICIPAL, region=region)
            )
        # One unusable password hash for all: these accounts only serve the benchmark.
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_create(users, batch_size=1000)
        self.workers = {
            org.pk: list(
                User.objects.filter(
                    organisation=org, role__in=[Role.WORKER, Role.COORDINATOR]
                ).values_list("pk", flat=True)
            )
            for org in self.organisations
        }
        self.org_regions = {
            org.pk: list(org.regions.values_list("pk", flat=True)) for org in self.organisations
        }
        self._partners(regions)

    def _partners(self, regions):
        """A partner network per region; each region has gaps (the coverage matrix shows them)."""
        rng = self.rng
        domains = list(LifeDomain.objects.all())
        self.partners = {}  # (region id, domain id) -> [(partner id, contact id or None)]
        for region in regions:
            for index in range(self.sizes["partners_per_region"]):
                type_, expertise = rng.choice(PartnerType.values), rng.random() < 0.45
                covered = rng.sample(domains, rng.randint(1, 3))
                contact = (f"Contactpersoon {index + 1}", "consulent")
                agreement = (rng.choice(AgreementKind.values), "Afspraak over snelle toegang.")
                partner, person = partner_add(
                    name=f"{region.name} partner {index + 1:02d}",
                    type=type_,
                    regions=[region],
                    domains=covered,
                    sex_work_expertise=expertise,
                    contact=contact if rng.random() < 0.6 else None,
                    agreement=agreement if rng.random() < 0.35 else None,
                    agreement_from=self.today - datetime.timedelta(days=rng.randint(30, 2000)),
                )
                contact = person.pk if person else None
                for domain in covered:
                    self.partners.setdefault((region.pk, domain.pk), []).append(
                        (partner.pk, contact)
                    )

    # -- clients, cases, histories -------------------------------------------------------
    def _clients_and_cases(self):
        total_cases = self.sizes["cases"]
        total_clients = self.sizes["clients"]
        moments_per_case = self.sizes["contact_moments"] / total_cases
        numbers = {}
        made = 0
        while made < total_cases:
            size = min(CHUNK, total_cases - made)
            clients_in_chunk = max(round(size * total_clients / total_cases), 1)
            with transaction.atomic():
                self._chunk(size, clients_in_chunk, moments_per_case, numbers)
            made += size
            self.stdout.write(f"  cases {made:,}/{total_cases:,}", ending="\r")
            self.stdout.flush()
        self.stdout.write("")
        for year, last in numbers.items():
            ClientNumberSequence.objects.update_or_create(year=year, defaults={"last": last})

    def _chunk(self, size, clients_in_chunk, moments_per_case, numbers):
        rng, today = self.rng, self.today
        clients = []
        for _ in range(clients_in_chunk):
            org = rng.choice(self.organisations)
            region = rng.choice(self.org_regions[org.pk])
            first_seen = today - datetime.timedelta(days=rng.randint(0, YEARS * 365))
            year = first_seen.year
            numbers[year] = numbers.get(year, 0) + 1
            name = rng.choice(WORKING_NAMES)
            profile = pick(rng, PROFILE_WEIGHTS)
            birth_year = first_seen.year - rng.choice(range(17, 60))
            clients.append(
                Client(
                    number=f"PMW-{year}-{numbers[year]:04d}",
                    organisation=org,
                    working_name=name,
                    working_name_key=name_key(name),
                    birth_year=birth_year,
                    gender=pick(rng, GENDER_WEIGHTS),
                    country_of_origin=rng.choice(COUNTRIES),
                    interpreter_needed=rng.random() < 0.25,
                    profile=profile,
                    licensing=rng.choice(Licensing.values),
                    how_started=rng.choice(HowStarted.values),
                    living_situation=rng.choice(LivingSituation.values),
                    municipality_id=rng.choice(self.municipalities[region]),
                    safety_flag=profile == Profile.EXPLOITATION
                    or first_seen.year - birth_year < 18,
                    created_by_id=rng.choice(self.workers[org.pk]),
                )
            )
        Client.objects.bulk_create(clients, batch_size=1000)
        ClientSector.objects.bulk_create(
            [ClientSector(client=c, sector=rng.choice(WorkSector.values)) for c in clients],
            batch_size=2000,
        )

        cases, histories = [], []
        for index in range(size):
            client = clients[index % len(clients)]
            opened_on = today - datetime.timedelta(days=rng.randint(0, YEARS * 365))
            case = Case(
                client=client,
                organisation=client.organisation,
                municipality_id=client.municipality_id,
                worker_id=rng.choice(self.workers[client.organisation_id]),
                contact_route=rng.choice(ContactRoute.values),
                opened_on=opened_on,
                created_by_id=client.created_by_id,
            )
            history = self._history(opened_on)
            case.phase = history[-1][1]
            age_days = (today - opened_on).days
            if age_days > 200 and rng.random() < 0.85:
                # Closed after its last phase change, never in the future.
                last_change = timezone.localdate(history[-1][2])
                case.outcome = pick(rng, OUTCOME_WEIGHTS)
                case.closed_on = min(
                    today,
                    max(
                        last_change + datetime.timedelta(days=rng.randint(14, 120)),
                        opened_on + datetime.timedelta(days=rng.randint(60, 400)),
                    ),
                )
                case.dropout_phase = case.phase if case.outcome == Outcome.DROPPED_OUT else ""
            cases.append(case)
            histories.append(history)
        Case.objects.bulk_create(cases, batch_size=1000)

        changes, reasons, moments = [], [], []
        for case, history in zip(cases, histories, strict=True):
            for from_phase, to_phase, at in history:
                changes.append(
                    PhaseChange(
                        case=case,
                        from_phase=from_phase,
                        to_phase=to_phase,
                        at=at,
                        by_id=case.worker_id,
                    )
                )
            reasons.append(CaseStopReason(case=case, reason=rng.choice(StopReason.values)))
            end = case.closed_on or today
            span = max((end - case.opened_on).days, 1)
            count = max(int(rng.expovariate(1 / moments_per_case)), 1)
            start = timezone.make_aware(datetime.datetime.combine(case.opened_on, datetime.time(9)))
            for _ in range(count):
                moments.append(
                    ContactMoment(
                        case=case,
                        at=start
                        + datetime.timedelta(
                            days=rng.randint(0, span), minutes=rng.randint(0, 480)
                        ),
                        kind=rng.choice(ContactKind.values),
                        duration_minutes=rng.choice([10, 15, 30, 45, 60, 90]),
                        worker_id=case.worker_id,
                        note="Gesprek gevoerd; afspraken vastgelegd.",
                    )
                )
            case.last_contact_at = max(m.at for m in moments[-count:])
        PhaseChange.objects.bulk_create(changes, batch_size=5000)
        CaseStopReason.objects.bulk_create(reasons, batch_size=5000)
        ContactMoment.objects.bulk_create(moments, batch_size=5000)
        Case.objects.bulk_update(cases, ["last_contact_at"], batch_size=1000)
        through = ContactMoment.domains.through
        through.objects.bulk_create(
            [
                through(contactmoment_id=m.pk, lifedomain_id=rng.choice(self.domains))
                for m in moments
                if rng.random() < 0.6
            ],
            batch_size=5000,
        )
        self._support_plans(cases)
        self._assessments(cases)
        self._aftercare(cases, histories)

    def _history(self, opened_on):
        """Phase changes from the opening, a week to three months apart, never in the future."""
        rng = self.rng
        at = timezone.make_aware(datetime.datetime.combine(opened_on, datetime.time(10)))
        history = [("", Phase.CONTACT, at)]
        now = timezone.now()
        for from_phase, to_phase in phase_moves(rng):
            at = at + datetime.timedelta(days=rng.randint(7, 90))
            if at >= now:
                break
            history.append((from_phase, to_phase, at))
        return history
