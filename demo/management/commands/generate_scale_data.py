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
    CheckInKind,
    CheckInResult,
    FollowUp,
    Intensity,
    Severity,
    Signal,
    SignalKind,
    Situation,
    suggested_intensity,
)
from cases.models import (
    ANOTHER_DAY_STRUCTURE,
    Assessment,
    AssessmentKind,
    AssessmentScore,
    Case,
    CaseStopReason,
    ContactKind,
    ContactMoment,
    ContactRoute,
    LifeDomain,
    MatrixVersion,
    Need,
    NeedStatus,
    NotMetReason,
    Outcome,
    Phase,
    PhaseChange,
    StopReason,
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
from monitoring.models import UNKNOWN, OutreachCount, OutreachKind, OutreachSession
from monitoring.services import figures_rebuild
from partners.models import (
    AgreementKind,
    Consent,
    PartnerType,
    Referral,
    ReferralEvent,
    ReferralStatus,
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
YEARS = 10
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
DOMAIN_WEIGHTS = {
    "housing": 16,
    "work_income": 18,
    "education_language": 9,
    "debt": 14,
    "norms_network": 7,
    "care_physical": 7,
    "care_mental": 11,
    "care_addiction": 5,
    "safety": 7,
    "meaning": 3,
    "repatriation": 3,
}
S = ReferralStatus


class Command(BaseCommand):
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

    # -- support plans, referrals, consents ---------------------------------------------------
    def _support_plans(self, cases):
        rng, today = self.rng, self.today
        needs_per_case = self.sizes["needs"] / self.sizes["cases"]
        referral_share = self.sizes["referrals"] / self.sizes["needs"]
        codes, weights = list(DOMAIN_WEIGHTS), list(DOMAIN_WEIGHTS.values())
        needs = []
        for case in cases:
            end = case.closed_on or today
            span = max((end - case.opened_on).days, 1)
            for _ in range(max(int(rng.expovariate(1 / needs_per_case) + 0.5), 0)):
                identified = case.opened_on + datetime.timedelta(days=rng.randint(0, span // 2))
                helped = identified + datetime.timedelta(days=int(rng.expovariate(1 / 21)))
                need = Need(
                    case=case,
                    domain_id=self.domain_codes[rng.choices(codes, weights)[0]],
                    description="Hulpvraag in eigen woorden.",
                    identified_on=identified,
                    created_by_id=case.worker_id,
                    priority=rng.choice(["high", "normal", "normal", "low"]),
                )
                if helped <= end and rng.random() < 0.8:
                    need.first_help_on = helped
                if case.closed_on:
                    need.status = rng.choices(
                        [NeedStatus.MET, NeedStatus.NOT_MET, NeedStatus.NO_LONGER_RELEVANT],
                        [65, 20, 15],
                    )[0]
                    need.closed_on = max(need.first_help_on or identified, case.closed_on)
                    if need.status == NeedStatus.NOT_MET:
                        need.not_met_reason = rng.choice(NotMetReason.values)
                else:
                    need.status = NeedStatus.IN_PROGRESS if need.first_help_on else NeedStatus.OPEN
                needs.append(need)
        Need.objects.bulk_create(needs, batch_size=5000)
        referrals, paths = [], []
        for need in needs:
            if rng.random() >= referral_share:
                continue
            case = need.case
            region = self.municipality_region[case.client.municipality_id]
            options = self.partners.get((region, need.domain_id))
            if not options:
                continue
            partner, contact = rng.choice(options)
            path = rng.choices([p for p, _ in REFERRAL_PATHS], [w for _, w in REFERRAL_PATHS])[0]
            # Closing a case cancels its open referrals (partners' CASE_CLOSE_STEPS).
            if case.closed_on and (
                not path or path[-1] not in (S.COMPLETED, S.DECLINED, S.CANCELLED)
            ):
                path = (*path, S.CANCELLED)
            requested = timezone.make_aware(
                datetime.datetime.combine(need.identified_on, datetime.time(11))
            )
            referral = Referral(
                case=case,
                need=need,
                partner_id=partner,
                contact_person_id=contact,
                requested_at=requested,
                requested_by_id=case.worker_id,
                status=path[-1] if path else S.REQUESTED,
                warm_handover=rng.random() < 0.3,
                decline_reason=DECLINE_REASON if path and path[-1] == S.DECLINED else "",
            )
            referrals.append(referral)
            paths.append(path)
        events, consents = [], []
        now = timezone.now()
        for referral, path in zip(referrals, paths, strict=True):
            at = referral.requested_at
            events.append(
                ReferralEvent(
                    referral=referral, to_status=S.REQUESTED, at=at, by_id=referral.requested_by_id
                )
            )
            previous = S.REQUESTED
            for status in path:
                at = min(at + datetime.timedelta(days=int(rng.expovariate(1 / 6)) + 1), now)
                events.append(
                    ReferralEvent(
                        referral=referral,
                        from_status=previous,
                        to_status=status,
                        at=at,
                        by_id=referral.requested_by_id,
                    )
                )
                previous = status
                if status == S.SENT:
                    referral.sent_at = at
                    consents.append(
                        Consent(
                            client_id=referral.case.client_id,
                            partner_id=referral.partner_id,
                            purpose=CONSENT_PURPOSE,
                            scope=CONSENT_SCOPE,
                            given_on=timezone.localdate(at) - datetime.timedelta(days=1),
                            expires_on=timezone.localdate(at)
                            + datetime.timedelta(days=CONSENT_DAYS),
                            recorded_by_id=referral.requested_by_id,
                        )
                    )
                elif status == S.ACCEPTED:
                    referral.accepted_at = at
                elif status in (S.COMPLETED, S.DECLINED, S.CANCELLED):
                    referral.closed_at = at
        Referral.objects.bulk_create(referrals, batch_size=5000)
        ReferralEvent.objects.bulk_create(events, batch_size=5000)
        Consent.objects.bulk_create(consents, batch_size=5000)

    # -- self-sufficiency assessments ------------------------------------------------------
    def _assessments(self, cases):
        rng, today = self.rng, self.today
        per_case = self.sizes["assessments"] / self.sizes["cases"]
        assessments, base_scores = [], []
        for case in cases:
            end = case.closed_on or today
            plan = [(AssessmentKind.INTAKE, case.opened_on + datetime.timedelta(days=14))]
            if case.closed_on and rng.random() < 0.6:
                plan.append((AssessmentKind.EXIT, case.closed_on))
            while len(plan) < per_case + rng.random() * 1.2 - 0.4:
                plan.append(
                    (
                        AssessmentKind.REVIEW,
                        case.opened_on
                        + datetime.timedelta(
                            days=rng.randint(30, max((end - case.opened_on).days, 31))
                        ),
                    )
                )
            start = rng.randint(1, 3)
            for index, (kind, day) in enumerate(plan):
                if day > today:
                    continue
                assessments.append(
                    Assessment(
                        case=case,
                        kind=kind,
                        assessed_on=min(day, end),
                        version=self.matrix,
                        by_id=case.worker_id,
                    )
                )
                base_scores.append(start + (index > 0) + (kind == AssessmentKind.EXIT))
        Assessment.objects.bulk_create(assessments, batch_size=5000)
        scores = [
            AssessmentScore(
                assessment=assessment,
                domain_id=domain,
                score=None if rng.random() < 0.12 else max(1, min(5, base + rng.randint(-1, 1))),
            )
            for assessment, base in zip(assessments, base_scores, strict=True)
            for domain in self.matrix_domains
        ]
        AssessmentScore.objects.bulk_create(scores, batch_size=10000)

    # -- aftercare -----------------------------------------------------------------------
    def _aftercare(self, cases, histories):
        """A plan for every case that reached aftercare; check-ins, signals, follow-ups."""
        rng, today = self.rng, self.today
        plans, follow_ups = [], []
        for case, history in zip(cases, histories, strict=True):
            entered = [at for _, to, at in history if to == Phase.AFTERCARE]
            if case.closed_on and case.outcome in ANOTHER_DAY_STRUCTURE:
                for months in (6, 12):
                    due = case.closed_on + datetime.timedelta(days=round(months * 30.44))
                    follow_up = FollowUp(case=case, months=months, due_on=due)
                    if due <= today and rng.random() < 0.7:
                        follow_up.recorded_on = due + datetime.timedelta(days=rng.randint(0, 20))
                        follow_up.recorded_on = min(follow_up.recorded_on, today)
                        follow_up.recorded_by_id = case.worker_id
                        follow_up.situation = rng.choices(Situation.values, [45, 25, 12, 10, 8])[0]
                    follow_ups.append(follow_up)
            if not entered:
                continue
            suggested = suggested_intensity(case.client.profile)
            intensity = suggested if rng.random() < 0.85 else rng.choice(Intensity.values)
            interval = None if intensity == Intensity.NONE else rng.choice([14, 30, 60, 90])
            starts_on = timezone.localdate(entered[0])
            plan = AftercarePlan(
                case=case,
                intensity=intensity,
                suggested_intensity=suggested,
                intensity_reason="" if intensity == suggested else "Op verzoek.",
                check_in_interval_days=interval,
                responsible_id=case.worker_id,
                starts_on=starts_on,
                created_by_id=case.worker_id,
                planned_end_on=starts_on + datetime.timedelta(days=365),
            )
            plans.append(plan)
        AftercarePlan.objects.bulk_create(plans, batch_size=5000)
        FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
        check_ins, signals = [], []
        for plan in plans:
            if not plan.check_in_interval_days:
                continue
            end = min(plan.case.closed_on or today, plan.planned_end_on, today)
            day = plan.starts_on + datetime.timedelta(days=plan.check_in_interval_days)
            while day <= end and rng.random() < 0.97:
                check_ins.append(
                    CheckIn(
                        plan=plan,
                        on=day,
                        kind=rng.choice(CheckInKind.values),
                        result=rng.choices(CheckInResult.values, [60, 25, 10, 5])[0],
                        by_id=plan.case.worker_id,
                    )
                )
                plan.last_check_in_on = day
                day += datetime.timedelta(days=plan.check_in_interval_days)
            plan.next_check_in_on = plan.compute_next_check_in()
            if rng.random() < 0.15:
                signals.append(
                    Signal(
                        plan=plan,
                        kind=rng.choice(SignalKind.values),
                        severity=rng.choice(Severity.values),
                        noted_on=min(plan.starts_on + datetime.timedelta(days=40), today),
                        by_id=plan.case.worker_id,
                    )
                )
        CheckIn.objects.bulk_create(check_ins, batch_size=5000)
        Signal.objects.bulk_create(signals, batch_size=5000)
        AftercarePlan.objects.bulk_update(
            plans, ["last_check_in_on", "next_check_in_on"], batch_size=2000
        )

    # -- outreach (the reach that never becomes a case) ---------------------------------------
    def _outreach(self):
        rng, today = self.rng, self.today
        per_org = max(self.sizes["outreach_sessions"] // len(self.organisations), 1)
        for org in self.organisations:
            sessions, people = [], []
            for _ in range(per_org):
                region = rng.choice(self.org_regions[org.pk])
                kind = rng.choice(OutreachKind.values)
                spoken = rng.randint(1, 30)
                online = kind == OutreachKind.FIELD_ONLINE
                sessions.append(
                    OutreachSession(
                        organisation=org,
                        region_id=region,
                        municipality_id=rng.choice(self.municipalities[region]),
                        held_on=today - datetime.timedelta(days=rng.randint(0, YEARS * 365)),
                        kind=kind,
                        with_ggd=kind == OutreachKind.FIELD_LICENSED and rng.random() < 0.6,
                        venues_visited=rng.randint(1, 8)
                        if kind == OutreachKind.FIELD_LICENSED
                        else 0,
                        messages_sent=rng.randint(spoken, 80) if online else 0,
                        replies=spoken if online else 0,
                        people_spoken=spoken,
                        created_by_id=rng.choice(self.workers[org.pk]),
                    )
                )
                people.append(spoken)
            OutreachSession.objects.bulk_create(sessions, batch_size=2000)
            counts = []
            for session, spoken in zip(sessions, people, strict=True):
                for dimension, given in outreach_counts(rng, spoken).items():
                    given[UNKNOWN] = spoken - sum(given.values())
                    counts += [
                        OutreachCount(session=session, dimension=dimension, category=c, count=n)
                        for c, n in given.items()
                        if n
                    ]
            OutreachCount.objects.bulk_create(counts, batch_size=5000)
