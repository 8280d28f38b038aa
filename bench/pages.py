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
from pmw.models import Role, User

WORKER_BUDGET_MS = 150


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    url: Callable[[dict], str]
    floor: Callable[[dict], list]
    budget_median_ms: int = WORKER_BUDGET_MS


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
    return {"worker": worker, "coordinator": coordinator, "case": case, "client": case.client}


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
    case = s["case"].pk
    return [
        (
            "SELECT c.*, cl.* FROM cases_case c JOIN profiles_client cl ON cl.id = c.client_id "
            "WHERE c.id = %s",
            [case],
        ),
        ("SELECT * FROM cases_phasechange WHERE case_id = %s ORDER BY at", [case]),
        (
            "SELECT m.*, d.lifedomain_id FROM cases_contactmoment m LEFT JOIN "
            "cases_contactmoment_domains d ON d.contactmoment_id = m.id WHERE m.case_id = %s "
            "ORDER BY m.at DESC",
            [case],
        ),
        ("SELECT reason FROM cases_casestopreason WHERE case_id = %s", [case]),
    ]


def _client_floor(s):
    client = s["client"].pk
    return [
        ("SELECT * FROM profiles_client WHERE id = %s", [client]),
        ("SELECT * FROM cases_case WHERE client_id = %s", [client]),
        ("SELECT sector FROM profiles_clientsector WHERE client_id = %s", [client]),
    ]


PAGES = [
    Page("caseload (worker)", "worker", lambda s: reverse("cases:list"), _caseload_floor),
    Page(
        "cases (coordinator, org)",
        "coordinator",
        lambda s: reverse("cases:list"),
        _organisation_floor,
    ),
    Page("client search", "coordinator", lambda s: reverse("cases:list") + "?q=lu", _search_floor),
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
]

# Background jobs measured after the pages: callables returning
# {"job": name, "seconds": float, "detail": str}.
JOBS: list[Callable[[], dict]] = []
