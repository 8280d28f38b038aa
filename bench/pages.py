"""What the benchmark measures: each page with its user, URL, budget and minimal SQL (floor).

The subjects are the heavy cases, not the typical ones: the worker with the largest open
caseload, the coordinator of the organisation with the most open cases, and that worker's
case with the longest history.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from cases.models import Case
from cases.views import SEARCH_SESSION_KEY
from pmw.models import Role, User
from profiles.models import Client

WORKER_BUDGET_MS = 150


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    url: Callable[[dict], str]
    floor: Callable[[dict], list]
    budget_median_ms: int = WORKER_BUDGET_MS
    session: dict | None = None  # values the page reads from the session (a search term)
    # A monitoring page: it first computes the figures of cases changed since the last one,
    # so its queries are counted once more right after a change.
    counts_figures: bool = False


def subjects() -> dict:
    worker = (
        User.objects.filter(role=Role.WORKER)
        .annotate(open_cases=Count("cases", filter=Q(cases__closed_on__isnull=True)))
        .order_by("-open_cases")
        .first()
    )
    coordinator = (
        User.objects.filter(role=Role.COORDINATOR, organisation=worker.organisation)
        .order_by("pk")
        .first()
    )
    case = (
        Case.objects.filter(worker=worker, closed_on__isnull=True)
        .annotate(moments=Count("contact_moments"))
        .order_by("-moments")
        .select_related("client")
        .first()
    )
    busiest_region = (
        Client.objects.values("municipality__region")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["municipality__region"]
    )
    municipal = User.objects.filter(role=Role.MUNICIPAL, region=busiest_region).first()
    return {
        "worker": worker,
        "coordinator": coordinator,
        "case": case,
        "client": case.client,
        "municipal": municipal,
    }


CASELOAD_SQL = """
    SELECT c.reference, cl.working_name, cl.number, cl.safety_flag, c.phase, c.closed_on,
           c.last_contact_at
    FROM cases_case c JOIN profiles_client cl ON cl.id = c.client_id
    WHERE c.organisation_id = %s {extra} AND c.closed_on IS NULL
    ORDER BY c.last_contact_at DESC NULLS LAST, c.opened_on DESC, c.id DESC LIMIT 25
"""
COUNT_SQL = """
    SELECT count(*) FROM cases_case c JOIN profiles_client cl ON cl.id = c.client_id
    WHERE c.organisation_id = %s {extra} AND c.closed_on IS NULL
"""


def _caseload_floor(s):
    org, worker = s["worker"].organisation_id, s["worker"].pk
    extra = "AND c.worker_id = %s"
    return [
        (CASELOAD_SQL.format(extra=extra), [org, worker]),
        (COUNT_SQL.format(extra=extra), [org, worker]),
    ]


def _organisation_floor(s):
    org = s["coordinator"].organisation_id
    return [(CASELOAD_SQL.format(extra=""), [org]), (COUNT_SQL.format(extra=""), [org])]


def _search_floor(s):
    org = s["coordinator"].organisation_id
    extra = "AND (UPPER(cl.working_name) LIKE UPPER(%s) OR UPPER(cl.number) = UPPER(%s))"
    return [
        (CASELOAD_SQL.format(extra=extra), [org, "%lu%", "lu"]),
        (COUNT_SQL.format(extra=extra), [org, "%lu%", "lu"]),
    ]


def _case_floor(s):
    """What the case page shows (the timeline of phases and contacts is a page of its own):
    the case with its client, needs by life domain, assessments with their scores,
    referrals, the client's consents, a proposed transfer, stop reasons and follow-ups."""
    case, client = s["case"].pk, s["client"].pk
    return [
        (
            "SELECT c.*, cl.*, a.* FROM cases_case c JOIN profiles_client cl ON "
            "cl.id = c.client_id LEFT JOIN aftercare_aftercareplan a ON a.case_id = c.id "
            "WHERE c.id = %s",
            [case],
        ),
        (
            "SELECT n.*, d.name_nl FROM cases_need n JOIN cases_lifedomain d ON "
            "d.id = n.domain_id WHERE n.case_id = %s ORDER BY n.status, n.identified_on DESC",
            [case],
        ),
        (
            "SELECT a.*, s.domain_id, s.score FROM cases_assessment a LEFT JOIN "
            "cases_assessmentscore s ON s.assessment_id = a.id WHERE a.case_id = %s "
            "ORDER BY a.assessed_on",
            [case],
        ),
        (
            "SELECT r.*, p.name FROM partners_referral r JOIN partners_partner p ON "
            "p.id = r.partner_id WHERE r.case_id = %s ORDER BY r.requested_at DESC",
            [case],
        ),
        (
            "SELECT g.*, p.name FROM partners_consent g JOIN partners_partner p ON "
            "p.id = g.partner_id WHERE g.client_id = %s ORDER BY g.given_on DESC",
            [client],
        ),
        (
            "SELECT * FROM partners_transfer WHERE case_id = %s AND status = 'proposed' LIMIT 1",
            [case],
        ),
        ("SELECT reason FROM cases_casestopreason WHERE case_id = %s", [case]),
        ("SELECT * FROM aftercare_followup WHERE case_id = %s ORDER BY due_on", [case]),
    ]


def _client_floor(s):
    client = s["client"].pk
    return [
        (
            "SELECT cl.*, m.name FROM profiles_client cl LEFT JOIN pmw_municipality m ON "
            "m.id = cl.municipality_id WHERE cl.id = %s",
            [client],
        ),
        ("SELECT * FROM cases_case WHERE client_id = %s", [client]),
        ("SELECT sector FROM profiles_clientsector WHERE client_id = %s", [client]),
        ("SELECT talent FROM profiles_clienttalent WHERE client_id = %s", [client]),
    ]


def _queue_floor(s):
    org = s["coordinator"].organisation_id
    select = (
        "SELECT r.reference, r.requested_at, r.sent_at, cl.working_name, cl.number, p.name, "
        "d.name_nl FROM partners_referral r JOIN cases_case c ON c.id = r.case_id "
        "JOIN profiles_client cl ON cl.id = c.client_id JOIN partners_partner p ON "
        "p.id = r.partner_id JOIN cases_need n ON n.id = r.need_id JOIN cases_lifedomain d "
        "ON d.id = n.domain_id WHERE c.organisation_id = %s AND r.status = %s "
    )
    return [
        (select + "ORDER BY r.requested_at", [org, "requested"]),
        (select + "AND r.sent_at <= now() - interval '10 days' ORDER BY r.sent_at", [org, "sent"]),
    ]


def _directory_floor(s):
    """A page of active partners with their regions and life domains, the number of
    partners, and the regions and domains to filter on."""
    page = "SELECT id FROM partners_partner WHERE is_active ORDER BY name LIMIT 25"
    return [
        (
            "SELECT p.id, p.name, p.type, p.sex_work_expertise FROM partners_partner p "
            "WHERE p.is_active ORDER BY p.name LIMIT 25",
            [],
        ),
        ("SELECT count(*) FROM partners_partner WHERE is_active", []),
        (
            "SELECT pr.partner_id, r.name FROM partners_partner_regions pr JOIN pmw_region r "
            f"ON r.id = pr.region_id WHERE pr.partner_id IN ({page})",
            [],
        ),
        (
            "SELECT pd.partner_id, d.name_nl FROM partners_partner_domains pd JOIN "
            f"cases_lifedomain d ON d.id = pd.lifedomain_id WHERE pd.partner_id IN ({page})",
            [],
        ),
        ("SELECT id, name FROM pmw_region ORDER BY name", []),
        ("SELECT id, name_nl FROM cases_lifedomain ORDER BY position", []),
    ]


def _coverage_floor(s):
    region = s["worker"].organisation.regions.order_by("name").first().pk
    return [
        (
            "SELECT pd.lifedomain_id, count(DISTINCT p.id), "
            "count(DISTINCT p.id) FILTER (WHERE EXISTS (SELECT 1 FROM partners_contactperson cp "
            "  WHERE cp.partner_id = p.id AND cp.is_active)), "
            "count(DISTINCT p.id) FILTER (WHERE EXISTS (SELECT 1 FROM "
            "  partners_cooperationagreement a WHERE a.partner_id = p.id "
            "  AND a.valid_from <= current_date AND (a.valid_to IS NULL "
            "  OR a.valid_to >= current_date))), "
            "count(DISTINCT p.id) FILTER (WHERE p.sex_work_expertise) "
            "FROM partners_partner_domains pd JOIN partners_partner p ON p.id = pd.partner_id "
            "JOIN partners_partner_regions pr ON pr.partner_id = p.id "
            "WHERE p.is_active AND pr.region_id = %s GROUP BY pd.lifedomain_id",
            [region],
        )
    ]


def _week_floor(s):
    worker = s["worker"].pk
    return [
        (
            "SELECT a.id, a.next_check_in_on, cl.working_name FROM aftercare_aftercareplan a "
            "JOIN cases_case c ON c.id = a.case_id JOIN profiles_client cl ON cl.id = c.client_id "
            "WHERE c.worker_id = %s AND c.closed_on IS NULL AND c.phase = 'aftercare' AND "
            "a.next_check_in_on <= current_date + 7 ORDER BY a.next_check_in_on LIMIT 100",
            [worker],
        ),
        (
            "SELECT f.id, f.due_on, cl.working_name FROM aftercare_followup f "
            "JOIN cases_case c ON c.id = f.case_id JOIN profiles_client cl ON cl.id = c.client_id "
            "WHERE c.worker_id = %s AND f.recorded_on IS NULL AND f.due_on <= current_date + 7 "
            "ORDER BY f.due_on LIMIT 100",
            [worker],
        ),
        (
            "SELECT s.id, s.kind, cl.working_name FROM aftercare_signal s JOIN "
            "aftercare_aftercareplan a ON a.id = s.plan_id JOIN cases_case c ON c.id = a.case_id "
            "JOIN profiles_client cl ON cl.id = c.client_id WHERE c.worker_id = %s AND "
            "s.noted_on >= current_date - 14 ORDER BY s.noted_on DESC LIMIT 50",
            [worker],
        ),
        (
            "SELECT r.reference, r.sent_at, p.name, cl.working_name FROM partners_referral r JOIN "
            "cases_case c ON c.id = r.case_id JOIN profiles_client cl ON cl.id = c.client_id JOIN "
            "partners_partner p ON p.id = r.partner_id WHERE c.worker_id = %s AND "
            "r.status = 'sent' ORDER BY r.sent_at LIMIT 100",
            [worker],
        ),
    ]


_YEAR_CASES = (
    "FROM cases_case c JOIN profiles_client cl ON cl.id = c.client_id "
    "JOIN pmw_municipality m ON m.id = c.municipality_id "
    "WHERE c.opened_on >= date_trunc('year', current_date) "
)


def _region_floor(s):
    """The heart of the regional page: this year's new cases by route, gender and phase at
    the end of the period, and phase moves, for one region."""
    region = s["municipal"].region_id
    return [
        (
            f"SELECT c.contact_route, cl.gender, count(*) {_YEAR_CASES} AND m.region_id = %s "
            "GROUP BY 1, 2",
            [region],
        ),
        (
            "SELECT pc.from_phase, pc.to_phase, count(*) FROM cases_phasechange pc "
            "JOIN cases_case c ON c.id = pc.case_id "
            "JOIN pmw_municipality m ON m.id = c.municipality_id WHERE m.region_id = %s AND "
            "pc.at >= date_trunc('year', current_date) GROUP BY 1, 2",
            [region],
        ),
        (
            "SELECT o.kind, count(*), sum(o.people_spoken) FROM monitoring_outreachsession o "
            "WHERE o.region_id = %s AND o.held_on >= date_trunc('year', current_date) GROUP BY 1",
            [region],
        ),
    ]


def _national_floor(s):
    return [
        (f"SELECT m.region_id, c.contact_route, count(*) {_YEAR_CASES} GROUP BY 1, 2", []),
        (
            "SELECT m.region_id, pc.to_phase, count(*) FROM cases_phasechange pc "
            "JOIN cases_case c ON c.id = pc.case_id "
            "JOIN pmw_municipality m ON m.id = c.municipality_id WHERE "
            "pc.at >= date_trunc('year', current_date) GROUP BY 1, 2",
            [],
        ),
    ]


def _national_csv_floor(s):
    return [(f"SELECT m.region_id, c.contact_route, count(*) {_YEAR_CASES} GROUP BY 1, 2", [])]


PAGES = [
    Page("caseload (worker)", "worker", lambda s: reverse("cases:list"), _caseload_floor),
    Page(
        "cases (coordinator, org)",
        "coordinator",
        lambda s: reverse("cases:list"),
        _organisation_floor,
    ),
    Page(
        "client search",
        "coordinator",
        lambda s: reverse("cases:list"),
        _search_floor,
        session={SEARCH_SESSION_KEY: "lu"},
    ),
    Page(
        "case page",
        "worker",
        lambda s: reverse("cases:detail", args=[s["case"].reference]),
        _case_floor,
    ),
    Page(
        "client page",
        "worker",
        lambda s: reverse("profiles:detail", args=[s["client"].number]),
        _client_floor,
    ),
    Page("referral queue", "coordinator", lambda s: reverse("partners:queue"), _queue_floor),
    Page("partner directory", "worker", lambda s: reverse("partners:directory"), _directory_floor),
    Page("coverage matrix", "worker", lambda s: reverse("partners:coverage"), _coverage_floor),
    Page("my week", "worker", lambda s: reverse("aftercare:week"), _week_floor),
    Page(
        "regional dashboard",
        "municipal",
        lambda s: reverse("monitoring:region", args=[s["municipal"].region.code]),
        _region_floor,
        budget_median_ms=500,
        counts_figures=True,
    ),
    Page(
        "national comparison",
        "municipal",
        lambda s: reverse("monitoring:national"),
        _national_floor,
        budget_median_ms=1500,
        counts_figures=True,
    ),
    Page(
        "CSV export (national)",
        "municipal",
        lambda s: reverse("monitoring:national_csv", args=["new_by_route"]),
        _national_csv_floor,
        budget_median_ms=1500,
        counts_figures=True,
    ),
]


@dataclass(frozen=True)
class Baseline:
    """A request measured for what it costs before any content."""

    name: str
    user: str | None  # None: no session
    url: Callable[[dict], str]


# The health check touches the database once and renders no page; the notifications page of
# a user who has none is the least a signed-in page does: session, user, second factor,
# access-log entry, layout. A page whose floor is under a third of that cannot be within 3x
# of its floor, however fast its own part.
EMPTY_SIGNED_IN_PAGE = "empty signed-in page"
BASELINES = [
    Baseline("health check", None, lambda s: reverse("health")),
    Baseline(EMPTY_SIGNED_IN_PAGE, "worker", lambda s: reverse("aftercare:notifications")),
]


class _Rollback(Exception):
    pass


def _reminder_job() -> dict:
    """The reminder task over every plan as it runs every 15 minutes.

    Generated data has ten years of dates at once; a live installation never has that backlog,
    because each run delivers what became due since the last one. So the backlog is collected
    first (timed too: the very first run on such data) and marked delivered without e-mail, as
    earlier runs would have done; then one full run is timed: every source scanned over all
    plans, referrals and consents, and whatever is new delivered. Python's peak memory is
    measured in a further run (tracing memory slows Python down several times, so it is not
    traced while timed). Everything is rolled back, so every benchmark starts from the same
    empty ledger.
    """
    import time
    import tracemalloc

    from django.db import connection, transaction
    from django.utils import timezone

    from aftercare.models import AftercarePlan, Notification, Reminder, ReminderStatus
    from aftercare.reminders.delivery import reminders_run
    from aftercare.reminders.ledger import reminders_collect

    plans = AftercarePlan.objects.count()
    try:
        with transaction.atomic():
            Notification.objects.all().delete()
            Reminder.objects.all().delete()
            started = time.perf_counter()
            reminders_collect(today=timezone.localdate())
            backlog_seconds = time.perf_counter() - started
            backlog = Reminder.objects.filter(status=ReminderStatus.PENDING).update(
                status=ReminderStatus.SENT, sent_at=timezone.now()
            )
            # Statistics of the ledger as autovacuum keeps them on a live database (rolled
            # back with the rest); without them PostgreSQL takes the full ledger for empty.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Reminder._meta.db_table}")
            started = time.perf_counter()
            run = reminders_run()
            seconds = time.perf_counter() - started
            tracemalloc.start()
            reminders_run()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            raise _Rollback
    except _Rollback:
        pass
    return {
        "job": "reminder task",
        "seconds": round(seconds, 2),
        "detail": f"{plans:,} plans; steady-state run created {run.created}, delivered "
        f"{run.delivered}; peak Python memory {peak:.1f} MiB; the first run over the ten-year "
        f"backlog collected {backlog:,} reminders in {backlog_seconds:.1f} s (all rolled back)",
    }


def _retention_job() -> dict:
    """The daily retention task. On generated data its first run meets ten years of closed
    cases at once; that run is timed, then a run on the next day (what a live installation
    does every day), and both are rolled back so the data set stays the same for the next
    benchmark."""
    import datetime
    import time

    from django.db import transaction
    from django.utils import timezone

    from cases.services import retention_enforce

    today = timezone.localdate()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            backlog = retention_enforce(today=today)
            backlog_seconds = time.perf_counter() - started
            started = time.perf_counter()
            daily = retention_enforce(today=today + datetime.timedelta(days=1))
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return {
        "job": "retention task",
        "seconds": round(seconds, 2),
        "detail": f"daily run {daily}; the first run over the ten-year backlog {backlog} "
        f"took {backlog_seconds:.1f} s (both rolled back)",
    }


# Background jobs measured after the pages: callables returning
# {"job": name, "seconds": float, "detail": str}.
JOBS: list[Callable[[], dict]] = [_reminder_job, _retention_job]
