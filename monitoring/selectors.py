"""Reads with rules: who may see which figures, and the indicators, each one SQL query.

Every indicator returns counts keyed by (region code, category). On a regional page the
region code is "" (one region); on the national page it is the region's code, so the same
function feeds both pages. Nothing here returns a person: only grouped counts.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    RowRange,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
    TruncMonth,
)
from django.http import Http404
from django.utils import timezone

from aftercare.models import AftercarePlan, CheckIn, CheckInKind, FollowUp, Signal
from cases.models import (
    PHASE_ORDER,
    Assessment,
    AssessmentDomain,
    AssessmentKind,
    AssessmentScore,
    Need,
    NeedStatus,
    Phase,
    PhaseChange,
)
from cases.models import Case as CaseModel
from monitoring.models import CaseFigure, Figure, OutreachCount, OutreachSession
from partners.models import Referral, ReferralStatus
from pmw.audit import Action, log_access
from pmw.models import Organisation, Region, Role

# -- outreach sessions -----------------------------------------------------------------------


def outreach_sessions_visible_to(user) -> QuerySet[OutreachSession]:
    """Workers and coordinators see their organisation's sessions; nobody else any."""
    if not user.is_authenticated or not user.does_casework:
        return OutreachSession.objects.none()
    return OutreachSession.objects.filter(organisation_id=user.organisation_id)


def outreach_session_list(user) -> QuerySet[OutreachSession]:
    return outreach_sessions_visible_to(user).select_related("region", "municipality", "created_by")


def get_outreach_session_for_request(request, reference: str, *, write: bool = False):
    """404 outside the organisation; 403 for a colleague who did not log the session
    (only they and a coordinator change or delete it). One access-log entry per call."""
    user = request.user
    session = (
        outreach_sessions_visible_to(user)
        .select_related("region", "municipality", "created_by")
        .filter(reference=reference)
        .first()
    )
    if session is None:
        log_access(user=user, action=Action.DENIED, record_type="outreach", record_ref=reference)
        raise Http404
    if write and not (user.role == Role.COORDINATOR or session.created_by_id == user.pk):
        log_access(user=user, action=Action.DENIED, record_type="outreach", record_ref=reference)
        raise PermissionDenied
    if request.method in ("GET", "HEAD"):
        action = Action.VIEW
    elif write and request.resolver_match and request.resolver_match.url_name == "outreach_delete":
        action = Action.DELETE
    else:
        action = Action.UPDATE
    log_access(user=user, action=action, record_type="outreach", record_ref=session.reference)
    return session


# -- who sees which figures ------------------------------------------------------------------


def monitoring_regions_for(user) -> QuerySet[Region]:
    """Regions whose page this user may open."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.role == Role.MUNICIPAL:
        return Region.objects.filter(pk=user.region_id)
    if user.role == Role.COORDINATOR:
        return Region.objects.filter(organisations=user.organisation_id)
    return Region.objects.none()


def get_region_for_request(request, code: str, *, export: bool = False):
    """The one way to a regional page: (region, organisation the figures are limited to).

    Municipal staff see their own region, all organisations; a coordinator sees the regions
    their organisation works in, their own organisation's figures only. Anyone else, and
    another region's staff, get 404. One access-log entry per call.
    """
    user = request.user
    if user.role == Role.MUNICIPAL:  # their one region, loaded with the user
        region = user.region if user.region and user.region.code == code else None
    else:
        region = monitoring_regions_for(user).filter(code=code).first()
    if region is None:
        log_access(
            user=user, action=Action.DENIED, record_type="monitoring_region", record_ref=code
        )
        raise Http404
    log_access(
        user=user,
        action=Action.EXPORT if export else Action.VIEW,
        record_type="monitoring_region",
        record_ref=region.code,
    )
    organisation = user.organisation if user.role == Role.COORDINATOR else None
    return region, organisation


def get_national_scope_for_request(request, *, export: bool = False) -> Organisation | None:
    """Municipal staff see all organisations side by side; a coordinator only their own."""
    user = request.user
    if user.role not in (Role.MUNICIPAL, Role.COORDINATOR):
        log_access(user=user, action=Action.DENIED, record_type="monitoring_national")
        raise Http404
    log_access(
        user=user,
        action=Action.EXPORT if export else Action.VIEW,
        record_type="monitoring_national",
    )
    return user.organisation if user.role == Role.COORDINATOR else None


# -- scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A period of whole months (the figures are kept per month), in one region or all."""

    start: datetime.date
    end: datetime.date
    region: Region | None = None  # None: every region, side by side
    organisation: Organisation | None = None  # None: every organisation

    def __post_init__(self):
        if self.start.day != 1 or (self.end + datetime.timedelta(days=1)).day != 1:
            raise ValueError("A monitoring period runs from a month's first day to a last day.")

    @property
    def national(self) -> bool:
        return self.region is None

    @property
    def end_before(self) -> datetime.datetime:
        day_after = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


# A case counts for the region of its client's municipality (see the definitions page); the
# case carries a copy of that municipality (``Case.municipality``) so no count has to pass
# through the clients.
CASE_REGION = "municipality__region__code"


def _case_q(scope: Scope, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}municipality__isnull": False})
    if scope.region is not None:
        q &= Q(**{f"{prefix}municipality__region": scope.region})
    if scope.organisation is not None:
        q &= Q(**{f"{prefix}organisation": scope.organisation})
    return q


# -- grouped counts, many in one query ------------------------------------------------------
#
# Every count on a page is a grouped count: (region, category) -> n. The counting selectors
# below return a ``Counted`` (the grouped queries, not yet run, and how to shape their rows);
# ``run_counts`` runs any number of them as ONE query (UNION ALL of the grouped queries, each
# tagged with its index), so a dashboard pays one round trip for all its counts. Called
# directly, a selector runs its own counts and returns the shaped result.


@dataclass
class Part:
    queryset: QuerySet
    region: Any  # expression for the region code; Value("") on a regional page
    category: Any
    measures: tuple  # aggregates; several measured in one pass over the rows


@dataclass
class Counted:
    parts: list[Part]
    shape: Callable[[list[dict]], Any]  # one {(region, category): n} per part -> the result


def _text(expression) -> Any:
    if isinstance(expression, str):
        expression = F(expression)
    return Cast(expression, CharField())


def _region_text(field: str, scope: Scope):
    """The region code to group by nationally; "" on a regional page (one region)."""
    return _text(field) if scope.national else Value("", output_field=CharField())


def _part(queryset, scope: Scope, region_field: str, category, *measures) -> Part:
    region = _region_text(region_field, scope)
    return Part(queryset, region, _text(category), measures or (Count("pk"),))


def run_counts(counted: list[Counted]) -> list:
    """Run the grouped counts of several selectors in one query; their shaped results.

    A part with several measures is one pass over its rows: its row in the union carries
    them side by side (``m_n0``, ``m_n1``, ...; NULL where a part has fewer), and its shape
    function gets one ``{(region, category): n}`` per measure, as if they were parts."""
    parts = [part for c in counted for part in c.parts]
    if not parts:
        return [c.shape([]) for c in counted]
    width = max(len(part.measures) for part in parts)
    nothing = Cast(Value(None), IntegerField())
    queries = [
        part.queryset.annotate(
            m_index=Value(index, output_field=IntegerField()),
            m_region=part.region,
            m_category=part.category,
        )
        .values("m_index", "m_region", "m_category")
        .annotate(
            **{
                f"m_n{i}": part.measures[i] if i < len(part.measures) else nothing
                for i in range(width)
            }
        )
        .order_by()
        for index, part in enumerate(parts)
    ]
    union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    found: list[list[dict]] = [[{} for _ in part.measures] for part in parts]
    for row in union:
        key = (row["m_region"] or "", row["m_category"] or "")
        for i, measured in enumerate(found[row["m_index"]]):
            measured[key] = measured.get(key, 0) + (row[f"m_n{i}"] or 0)
    results, start = [], 0
    for c in counted:
        measured = [m for part_found in found[start : start + len(c.parts)] for m in part_found]
        results.append(c.shape(measured))
        start += len(c.parts)
    return results


def batched(plan):
    """A counting selector: ``f(scope, ...)`` runs it, ``f.plan(scope, ...)`` gives its
    ``Counted`` for ``run_counts``."""

    @functools.wraps(plan)
    def run(*args):
        figures_up_to_date()
        return run_counts([plan(*args)])[0]

    run.plan = plan
    return run


def figures_up_to_date() -> None:
    """A selector called on its own first brings the precomputed figures up to date;
    ``build_dashboard`` does so once, in its snapshot, and then reads."""
    from monitoring.services import figures_refresh  # the services build on these selectors

    figures_refresh()


def _only(found: list[dict]) -> dict:
    return found[0]


def _grouped(queryset, scope: Scope, region_field: str, category, *, distinct=True) -> Counted:
    """{(region code or "", category): n}, people counted once (``distinct``)."""
    return Counted(
        [_part(queryset, scope, region_field, category, Count("pk", distinct=distinct))], _only
    )


def _split(found: dict) -> dict:
    """{(region, "a|b"): n} -> {a: {(region, b): n}}."""
    result: dict = {}
    for (region, key), n in found.items():
        first, _sep, rest = key.partition("|")
        result.setdefault(first, {})[(region, rest)] = n
    return result


# -- outreach --------------------------------------------------------------------------------


def _sessions(scope: Scope):
    sessions = OutreachSession.objects.filter(held_on__gte=scope.start, held_on__lte=scope.end)
    if scope.region is not None:
        sessions = sessions.filter(region=scope.region)
    if scope.organisation is not None:
        sessions = sessions.filter(organisation=scope.organisation)
    return sessions


OUTREACH_MEASURES = {
    "sessions": Count("pk"),
    "people": Sum("people_spoken"),
    "messages": Sum("messages_sent"),
    "replies": Sum("replies"),
    "with_ggd": Count("pk", filter=Q(with_ggd=True)),
}


def _measures(names, parts_found: list[dict]) -> dict:
    return {
        name: {k: v for k, v in found.items() if v}
        for name, found in zip(names, parts_found, strict=True)
    }


@batched
def outreach_by_kind(scope: Scope) -> Counted:
    """Sessions, people spoken to, messages and replies per kind of outreach."""
    return Counted(
        [_part(_sessions(scope), scope, "region__code", "kind", *OUTREACH_MEASURES.values())],
        lambda found: _measures(OUTREACH_MEASURES, found),
    )


@batched
def outreach_by_municipality(scope: Scope) -> Counted:
    measures = {"sessions": Count("pk"), "people": Sum("people_spoken")}
    return Counted(
        [_part(_sessions(scope), scope, "region__code", "municipality__name", *measures.values())],
        lambda found: _measures(measures, found),
    )


@batched
def outreach_people_by_group(scope: Scope) -> Counted:
    """{dimension: {(region, category): people}} from the anonymous counts."""
    counts = OutreachCount.objects.filter(session__in=_sessions(scope))
    category = Concat("dimension", Value("|"), "category", output_field=CharField())
    return Counted(
        [_part(counts, scope, "session__region__code", category, Sum("count"))],
        lambda found: _split(found[0]),
    )


# -- new cases -------------------------------------------------------------------------------


def _figures(scope: Scope, *figures: str) -> QuerySet[CaseFigure]:
    """The precomputed rows of some figures in the scope (see ``case_figure_rows``)."""
    rows = CaseFigure.objects.filter(
        figure__in=figures, month__gte=scope.start, month__lte=scope.end
    )
    if scope.region is not None:
        rows = rows.filter(municipality__region=scope.region)
    if scope.organisation is not None:
        rows = rows.filter(organisation=scope.organisation)
    return rows


FIGURE_REGION = "municipality__region__code"


def _summed(scope: Scope, figure: str, category) -> Part:
    return _part(_figures(scope, figure), scope, FIGURE_REGION, category, Sum("n"))


AGE_BANDS = [
    ("minor", 18),
    ("18_22", 23),
    ("23_29", 30),
    ("30_39", 40),
    ("40_49", 50),
    ("50_plus", None),
]


def _age_band_expression():
    """The client's age when the case opened, as a band; computed in SQL.

    Same rule as ``Client.age_on``: with only a birth year, the birthday is assumed still to
    come, so a person counts as a minor until certainly 18.
    """
    return Case(
        When(birth_year_effective__isnull=True, then=Value("unknown")),
        *[
            When(age_at_opening__lt=limit, then=Value(band))
            for band, limit in AGE_BANDS
            if limit is not None
        ],
        default=Value("50_plus"),
        output_field=CharField(),
    )


def _with_age(queryset):
    return (
        queryset.annotate(
            birth_year_effective=Coalesce(
                ExtractYear("client__birth_date"),
                F("client__birth_year"),
                output_field=IntegerField(),
            ),
            opened_md=ExtractMonth("opened_on") * 100 + ExtractDay("opened_on"),
            birth_md=ExtractMonth("client__birth_date") * 100 + ExtractDay("client__birth_date"),
        )
        .annotate(
            age_at_opening=ExpressionWrapper(
                ExtractYear("opened_on")
                - F("birth_year_effective")
                - Case(
                    When(client__birth_date__isnull=True, then=Value(1)),
                    When(opened_md__lt=F("birth_md"), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                output_field=IntegerField(),
            )
        )
        .annotate(age_band=_age_band_expression())
    )


NEW_CASE_FIELDS = {
    "contact_route": "contact_route",
    "gender": "client__gender",
    "licensing": "client__licensing",
    "age_band": "age_band",
    "living_situation": "client__living_situation",
}
NEW_CASE_DIMENSIONS = tuple(NEW_CASE_FIELDS)


@batched
def new_cases_by_each(scope: Scope) -> Counted:
    """New cases (opened in the period) by each characteristic of the client or the case
    that has one value per case (``NEW_CASE_DIMENSIONS``, and on a regional page the
    municipality): {dimension: {(region, category): n}}.

    One grouped sum over the precomputed rows, whose category holds all characteristics
    together; each dimension's counts are sums over those combinations.
    """
    category = F("category")
    dimensions = NEW_CASE_DIMENSIONS
    if not scope.national:
        category = Concat("category", Value("|"), "municipality__name", output_field=CharField())
        dimensions = (*dimensions, "municipality")

    def shape(found: list[dict]) -> dict:
        result: dict = {dimension: {} for dimension in dimensions}
        for (region, key), n in found[0].items():
            for dimension, value in zip(dimensions, key.split("|"), strict=True):
                by = result[dimension]
                by[(region, value)] = by.get((region, value), 0) + n
        return result

    return Counted([_summed(scope, Figure.NEW_CASE, category)], shape)


@batched
def new_cases_by(scope: Scope, dimension: str) -> Counted:
    """New cases (opened in the period) by one characteristic of the client or the case;
    by work sector each person once per sector (someone can work in several)."""
    if dimension == "sector":
        return Counted([_summed(scope, Figure.SECTOR, "category")], _only)
    each = new_cases_by_each.plan(scope)
    return Counted(each.parts, lambda found: each.shape(found)[dimension])


@batched
def intakes_by_municipality(scope: Scope) -> Counted:
    """Intakes: cases that first moved beyond the contact phase within the period."""
    field = "municipality__name" if not scope.national else Value("intakes")
    return Counted([_summed(scope, Figure.INTAKE, field)], _only)


# -- flow ------------------------------------------------------------------------------------


@batched
def cases_by_phase_at_end(scope: Scope) -> Counted:
    """Open cases at the end of the period, by the phase they were in then: from the phase
    history, or, for a period that has not ended yet, the case's current phase (nothing has
    happened after today, and ``case_change_phase`` keeps the phase with its history), which
    needs no look-up per case."""
    open_at_end = CaseModel.objects.filter(_case_q(scope), opened_on__lte=scope.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=scope.end)
    )
    if scope.end >= timezone.localdate():
        return _grouped(open_at_end, scope, CASE_REGION, "phase")
    last_change = (
        PhaseChange.objects.filter(case=OuterRef("pk"), at__lt=scope.end_before)
        .order_by("-at", "-id")
        .values("to_phase")[:1]
    )
    queryset = open_at_end.annotate(
        phase_at_end=Coalesce(
            Subquery(last_change), Value(Phase.CONTACT.value), output_field=CharField()
        )
    )
    return _grouped(queryset, scope, CASE_REGION, "phase_at_end")


BACKWARD_PAIRS = [
    (earlier, later) for i, later in enumerate(PHASE_ORDER) for earlier in PHASE_ORDER[:i]
]  # to_phase earlier than from_phase


@batched
def phase_moves(scope: Scope) -> Counted:
    """Moves in the period: {(region, "from>to"): n} regionally, {(region, direction): n}
    nationally (direction "forward" or "backward")."""
    if not scope.national:
        return Counted([_summed(scope, Figure.MOVE, "category")], _only)
    backward = [f"{from_phase}>{to_phase}" for to_phase, from_phase in BACKWARD_PAIRS]
    direction = Case(
        When(category__in=backward, then=Value("backward")),
        default=Value("forward"),
        output_field=CharField(),
    )
    return Counted([_summed(scope, Figure.MOVE, direction)], _only)


def time_per_phase(scope: Scope, *, refresh: bool = True) -> dict:
    """Stays in a phase that ended in the period (by a phase change or by closing the
    case): {(region, phase): (count, average days)}. One query over the precomputed stays
    (how each stay is found: ``case_figure_rows``)."""
    if refresh:
        figures_up_to_date()
    rows = (
        _figures(scope, Figure.STAY)
        .annotate(m_region=_region_text(FIGURE_REGION, scope))
        .values("m_region", "category")
        .annotate(n=Sum("n"), total=Sum("duration"))
        .order_by()
    )
    return {
        (row["m_region"] or "", row["category"]): (row["n"], _days(row["total"]) / row["n"])
        for row in rows
    }


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86400 / 1_000_000  # SQLite: microseconds


# -- results ---------------------------------------------------------------------------------


@batched
def closures(scope: Scope) -> Counted:
    """Cases closed in the period by outcome and, for drop-out, the phase it happened in:
    {(region, "outcome|dropout_phase"): n}. One grouped count feeds both tables."""
    return Counted([_summed(scope, Figure.CLOSURE, "category")], _only)


# -- medians ---------------------------------------------------------------------------------


def medians(rows, group) -> dict:
    """{(figure, group value): median, (figure, None): median over all groups} of
    precomputed figure rows (each ``n`` times the value ``duration``) in ONE query, on SQLite
    and PostgreSQL alike; every figure among ``rows`` apart.

    Window sums number the values inside each group and over all rows of a figure (a row
    holds the positions from its running total minus ``n`` plus one up to its running
    total); only the rows holding the middle position(s) come back, and their mean is the
    median. The database sorts and picks, whatever the number of rows: at most two rows per
    group (plus two per figure) reach Python. Reported in days.
    """
    order = [F("duration").asc(), F("pk").asc()]
    running = RowRange(start=None, end=0)

    def middle(last, size):
        return Q(
            **{f"{last}__gte": (F(size) + 1) / 2, f"{last}__lte": (F(size) + 2) / 2 + F("n") - 1}
        )

    picked = (
        rows.filter(duration__isnull=False)
        .annotate(m_group=group)
        .annotate(
            last=Window(
                Sum("n"), partition_by=["figure", "m_group"], order_by=order, frame=running
            ),
            group_size=Window(Sum("n"), partition_by=["figure", "m_group"]),
            last_all=Window(Sum("n"), partition_by=["figure"], order_by=order, frame=running),
            size_all=Window(Sum("n"), partition_by=["figure"]),
        )
        .annotate(
            in_group=Case(When(middle("last", "group_size"), then=Value(1)), default=Value(0)),
            in_all=Case(When(middle("last_all", "size_all"), then=Value(1)), default=Value(0)),
        )
        .annotate(either=F("in_group") + F("in_all"))
        .filter(either__gt=0)
        .values_list("figure", "m_group", "duration", "in_group", "in_all")
    )
    found: dict = {}
    for figure, key, number, in_group, in_all in picked:
        if in_group:
            found.setdefault((figure, key or ""), []).append(_number(number))
        if in_all:
            found.setdefault((figure, None), []).append(_number(number))
    return {key: sum(values) / len(values) for key, values in found.items()}


def _number(value) -> float:
    """Days for a duration (PostgreSQL: timedelta; SQLite: timedelta or microseconds)."""
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value)


# -- needs per life domain -------------------------------------------------------------------


@batched
def needs_by_domain(scope: Scope) -> Counted:
    """Needs identified in the period, per life domain, by what has become of them, and the
    reasons for the ones not met: {(region, "domain|measure"): n} with the measures
    identified, met, not_met, helped (got first concrete help) and reason_<reason>.

    One grouped sum by (domain, status, reason, helped); the measures are sums over those
    few groups (at most domains x statuses x reasons x 2, never a row per need)."""
    return Counted(
        [_summed(scope, Figure.NEED, "category")], lambda found: _need_measures(found[0])
    )


def _need_measures(found: dict) -> dict:
    result: dict = {}

    def add(region, domain, measure, n):
        key = (region, f"{domain}|{measure}")
        result[key] = result.get(key, 0) + n

    for (region, key), n in found.items():
        domain, status, reason, helped = key.split("|")
        add(region, domain, "identified", n)
        if status in (NeedStatus.MET, NeedStatus.NOT_MET):
            add(region, domain, status, n)
        if status == NeedStatus.NOT_MET:
            add(region, domain, f"reason_{reason}", n)
        if helped == "1":
            add(region, domain, "helped", n)
    return result


def waiting_medians(scope: Scope, *, refresh: bool = True) -> dict:
    """Median days waited, in one query: {Figure.FIRST_HELP: {domain code: days},
    Figure.WAITED: {partner type: days}}, each with None for the median over all.

    First help: from a need being identified to the first concrete help, for needs
    identified in the period that got help. Waited: from a referral's request to its
    acceptance, for referrals requested in the period and accepted. On the national page
    both per region (the key is then the region code).
    """
    if refresh:
        figures_up_to_date()
    if scope.national:
        group = _text(FIGURE_REGION)
    else:
        group = Case(
            When(figure=Figure.WAITED, then=F("partner__type")),
            default=F("category"),
            output_field=CharField(),
        )
    found: dict = {Figure.FIRST_HELP: {}, Figure.WAITED: {}}
    rows = _figures(scope, Figure.FIRST_HELP, Figure.WAITED)
    for (figure, key), days in medians(rows, group).items():
        found[figure][key] = days
    return found


# -- referrals -------------------------------------------------------------------------------


def referral_answer_expression():
    """What became of a referral, one answer each (so the answers add up to the total):
    declined, on the waiting list, accepted (the partner said yes at some point), or
    other (not answered yet, or cancelled before an answer)."""
    return Case(
        When(status=ReferralStatus.DECLINED, then=Value("declined")),
        When(status=ReferralStatus.WAITLISTED, then=Value("waitlisted")),
        When(accepted_at__isnull=False, then=Value("accepted")),
        default=Value("other"),
        output_field=CharField(),
    )


@batched
def referrals_by_partner_type(scope: Scope) -> Counted:
    """Referrals requested in the period: {(region, "type|answer"): n}."""
    category = Concat("partner__type", Value("|"), "category", output_field=CharField())
    return Counted([_summed(scope, Figure.REFERRAL, category)], _only)


# -- durable results and self-sufficiency ----------------------------------------------------


@batched
def follow_ups_by_situation(scope: Scope) -> Counted:
    """Follow-ups recorded in the period: {(region, "months|situation"): n}."""
    return Counted([_summed(scope, Figure.FOLLOW_UP, "category")], _only)


@batched
def self_sufficiency_change(scope: Scope) -> Counted:
    """Per assessment domain (by code): cases with a score at an exit assessment in the
    period and a score on the same domain at their first intake, the mean change (exit
    minus intake) and the domain's name: {(region, code): (n, mean change, name)}.

    Sums over the precomputed pairs (how they are found: ``_score_changes``): cases (a case
    with two exit assessments in the period counts once), pairs and their summed change.
    The name is that of the domain version added last (a few rows, counted alongside).
    """
    rows = _figures(scope, Figure.SCORE_CHANGE)
    measures = (Count("case", distinct=True), Sum("n"), Sum("change"))
    named = Concat("code", Value("|"), "name", output_field=CharField())
    parts = [
        _part(rows, scope, FIGURE_REGION, "category", *measures),
        Part(AssessmentDomain.objects.all(), Value(""), named, (Max("id"),)),
    ]

    def shape(found: list[dict]) -> dict:
        cases, pairs, total, names = found
        latest: dict = {}
        for (_region, key), added in names.items():
            code, _sep, name = key.partition("|")
            if added >= latest.get(code, (0, ""))[0]:
                latest[code] = (added, name)
        return {
            (region, code): (n, total[(region, code)] / pairs[(region, code)], latest[code][1])
            for (region, code), n in cases.items()
        }

    return Counted(parts, shape)


# -- aftercare -------------------------------------------------------------------------------


class DayNumber(Func):
    """A date as a whole number of days, for day arithmetic that is the same on both
    databases (SQLite: julianday; PostgreSQL: days since 2000-01-01)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '2000-01-01')")


PLAN_REGION = "case__" + CASE_REGION


def aftercare_plans(scope: Scope) -> dict:
    """Aftercare plans running in the period, by intensity, with the check-ins due (the
    plan's days inside the period divided by its interval, rounded down) and done (check-ins
    in the period, not counting attempts that did not reach the person):
    {(region, "intensity|measure"): n}. One query of its own: in the page's union it was
    three, each joining the plans with the cases again. Counted live: plans running in a
    period do not add up over months."""
    period_start = Value(scope.start, output_field=DateField())
    period_end = Value(scope.end, output_field=DateField())
    first = Greatest(DayNumber("starts_on"), DayNumber(period_start))
    last = Least(DayNumber(Coalesce("planned_end_on", period_end)), DayNumber(period_end))
    done = (
        CheckIn.objects.filter(plan=OuterRef("pk"), on__gte=scope.start, on__lte=scope.end)
        .exclude(kind=CheckInKind.NOT_REACHED)
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A region's cases as a list of ids (from the index on municipality and id), not a
    # join: PostgreSQL otherwise scanned every case to find the region's. Nationally the
    # join the region code needs anyway (the list would be every case: ~130 -> ~100 ms).
    if scope.national:
        in_scope = _case_q(scope, "case__")
    else:
        in_scope = Q(case__in=CaseModel.objects.filter(_case_q(scope)).values("pk"))
    plans = (
        AftercarePlan.objects.filter(in_scope, starts_on__lte=scope.end)
        .filter(Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=scope.start))
        .annotate(
            due_here=Case(
                When(
                    check_in_interval_days__isnull=False,
                    then=(last - first + 1) / F("check_in_interval_days"),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            done_here=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
        )
    )
    measures = {"plans": Count("pk"), "due": Sum("due_here"), "done": Sum("done_here")}
    rows = (
        plans.annotate(m_region=_region_text(PLAN_REGION, scope))
        .values("m_region", "intensity")
        .annotate(**measures)
        .order_by()
    )
    return {
        (row["m_region"] or "", f"{row['intensity']}|{measure}"): row[measure] or 0
        for row in rows
        for measure in measures
    }


@batched
def signals_by_kind(scope: Scope) -> Counted:
    """Signals noted in the period, by kind; one query."""
    return Counted([_summed(scope, Figure.SIGNAL, "category")], _only)


# -- precomputed figures ---------------------------------------------------------------------
#
# The counts that add up over months (new cases, intakes, moves, stays, closures, needs,
# referrals, follow-ups, signals) are read from ``CaseFigure`` rows: each case's part in each
# month's counts, computed from the case's facts by the queries below and kept up to date by
# ``monitoring.services.figures_refresh``. What does not add up over months (the phase at the
# end of a period, plans running in it, medians, the self-sufficiency change) is counted live.

FIGURE_COLUMNS = tuple(f"f_{name}" for name in CaseFigure.FIELDS)


def _month(field: str):
    """The first day of the (local) month of a date or a moment."""
    return TruncMonth(field, output_field=DateField())


def _figure_rows(  # noqa: PLR0913 — a row has these columns
    queryset,
    case: str,
    month,
    figure: str,
    category,
    *,
    partner=None,
    n=None,
    duration=None,
    change=None,
) -> QuerySet:
    """A queryset of facts as ``CaseFigure`` rows (``FIGURE_COLUMNS``), grouped per case,
    month and category. Every figure query has these columns in this order, so the queries
    can be put together in one UNION ALL."""
    prefix = f"{case}__" if case else ""
    return (
        queryset.filter(**{f"{prefix}municipality__isnull": False})
        .annotate(
            f_case=F(f"{prefix}id"),
            f_municipality=F(f"{prefix}municipality_id"),
            f_organisation=F(f"{prefix}organisation_id"),
            f_month=month,
            f_figure=Value(figure, output_field=CharField()),
            f_category=Coalesce(category, Value(""), output_field=CharField()),
            f_partner=partner if partner is not None else Cast(Value(None), IntegerField()),
        )
        .values(*FIGURE_COLUMNS[:7])
        .annotate(
            f_n=n if n is not None else Count("pk"),
            # Typed NULLs: PostgreSQL takes an untyped one in a UNION for text.
            f_duration=duration if duration is not None else Cast(Value(None), DurationField()),
            f_change=change if change is not None else Cast(Value(None), IntegerField()),
        )
        .order_by()
    )


def new_case_category():
    """The characteristics of a new case counted on the pages, in ``NEW_CASE_DIMENSIONS``
    order, joined by "|"."""
    fields = []
    for dimension in NEW_CASE_DIMENSIONS:
        fields += [F(NEW_CASE_FIELDS[dimension]), Value("|")]
    return Concat(*fields[:-1], output_field=CharField())


def case_figure_rows_sql(case_ids=None) -> tuple[str, list]:
    """The SQL and parameters of ``case_figure_rows``, compiled once per size of the list
    of cases: building and compiling the ORM query takes ~100 ms of Python (on a slow
    machine), more than running it for a few cases, and every page after a change needs it.

    The cached SQL was compiled for placeholder ids (negative: no case has one), which are
    replaced by the real ones; lists are padded (repeating an id) to a power of two, so at
    most a dozen sizes are ever compiled.
    """
    if case_ids is None:
        return case_figure_rows().query.sql_with_params()
    case_ids = list(case_ids)
    size = 1 << (len(case_ids) - 1).bit_length()
    padded = case_ids + case_ids[:1] * (size - len(case_ids))
    sql, params = _case_figure_rows_sql_for(size, connection.vendor)
    placeholders = {-(i + 1): case_id for i, case_id in enumerate(padded)}
    return sql, [placeholders.get(p, p) if type(p) is int else p for p in params]


@functools.lru_cache(maxsize=32)
def _case_figure_rows_sql_for(size: int, vendor: str) -> tuple[str, tuple]:
    sql, params = case_figure_rows([-(i + 1) for i in range(size)]).query.sql_with_params()
    return sql, tuple(params)


def case_figure_rows(case_ids=None) -> QuerySet:
    """The ``CaseFigure`` rows of the given cases (all cases: None), computed from their
    facts: one query (UNION ALL of one grouped query per figure)."""

    def of(queryset, case: str = "case"):
        if case_ids is None:
            return queryset
        return queryset.filter(**{f"{case}__in" if case else "id__in": case_ids})

    cases = of(CaseModel.objects.all(), "")
    beyond_contact = PhaseChange.objects.filter(case=OuterRef("pk")).exclude(to_phase=Phase.CONTACT)
    earlier = PhaseChange.objects.filter(case=OuterRef("case"), at__lt=OuterRef("at")).order_by(
        "-at", "-id"
    )
    last = PhaseChange.objects.filter(case=OuterRef("pk")).order_by("-at", "-id")
    moves = of(PhaseChange.objects.exclude(from_phase=""))
    need_category = Concat(
        "domain__code",
        Value("|"),
        "status",
        Value("|"),
        "not_met_reason",
        Value("|"),
        Case(When(first_help_on__isnull=True, then=Value("0")), default=Value("1")),
        output_field=CharField(),
    )
    queries = [
        _figure_rows(
            _with_age(cases.filter(opened_on__isnull=False)),
            "",
            _month("opened_on"),
            Figure.NEW_CASE,
            new_case_category(),
        ),
        _figure_rows(cases, "", _month("opened_on"), Figure.SECTOR, F("client__sectors__sector")),
        _figure_rows(
            cases.annotate(
                first_beyond=Subquery(beyond_contact.order_by("at", "id").values("at")[:1])
            ).filter(first_beyond__isnull=False),
            "",
            _month("first_beyond"),
            Figure.INTAKE,
            Value(""),
        ),
        _figure_rows(
            moves,
            "case",
            _month("at"),
            Figure.MOVE,
            Concat("from_phase", Value(">"), "to_phase", output_field=CharField()),
        ),
        _figure_rows(
            moves.annotate(began_at=Subquery(earlier.values("at")[:1])).filter(
                began_at__isnull=False
            ),
            "case",
            _month("at"),
            Figure.STAY,
            F("from_phase"),
            duration=Sum(ExpressionWrapper(F("at") - F("began_at"), output_field=DurationField())),
        ),
        _figure_rows(
            cases.filter(closed_on__isnull=False)
            .annotate(
                began_at=Subquery(last.values("at")[:1]),
                last_phase=Subquery(last.values("to_phase")[:1]),
            )
            .filter(began_at__isnull=False),
            "",
            _month("closed_on"),
            Figure.STAY,
            F("last_phase"),
            duration=Sum(
                ExpressionWrapper(
                    Cast("closed_on", DateTimeField()) - F("began_at"),
                    output_field=DurationField(),
                )
            ),
        ),
        _figure_rows(
            cases.filter(closed_on__isnull=False),
            "",
            _month("closed_on"),
            Figure.CLOSURE,
            Concat("outcome", Value("|"), "dropout_phase", output_field=CharField()),
        ),
        _figure_rows(
            of(Need.objects.all()), "case", _month("identified_on"), Figure.NEED, need_category
        ),
        _figure_rows(
            of(Referral.objects.all()),
            "case",
            _month("requested_at"),
            Figure.REFERRAL,
            referral_answer_expression(),
            partner=F("partner_id"),
        ),
        _figure_rows(
            of(FollowUp.objects.exclude(situation="").filter(recorded_on__isnull=False)),
            "case",
            _month("recorded_on"),
            Figure.FOLLOW_UP,
            Concat(Cast("months", CharField()), Value("|"), "situation", output_field=CharField()),
        ),
        _figure_rows(
            of(Signal.objects.all(), "plan__case"),
            "plan__case",
            _month("noted_on"),
            Figure.SIGNAL,
            F("kind"),
        ),
        _score_changes(case_ids),
        _figure_rows(
            of(Need.objects.filter(first_help_on__isnull=False)),
            "case",
            _month("identified_on"),
            Figure.FIRST_HELP,
            F("domain__code"),
            duration=ExpressionWrapper(
                F("first_help_on") - F("identified_on"), output_field=DurationField()
            ),
        ),
        _figure_rows(
            of(Referral.objects.filter(accepted_at__isnull=False)),
            "case",
            _month("requested_at"),
            Figure.WAITED,
            Value(""),
            partner=F("partner_id"),
            duration=ExpressionWrapper(
                F("accepted_at") - F("requested_at"), output_field=DurationField()
            ),
        ),
    ]
    return queries[0].union(*queries[1:], all=True)


def _score_changes(case_ids) -> QuerySet:
    """Every exit score with the score on the same domain code at the case's first intake
    (domains are versioned, codes are not), as ``CaseFigure`` rows by the exit's month."""
    first_intake = Assessment.objects.filter(
        case=OuterRef(OuterRef("assessment__case")), kind=AssessmentKind.INTAKE
    ).order_by("assessed_on", "id")
    intake_score = AssessmentScore.objects.filter(
        assessment=Subquery(first_intake.values("id")[:1]),
        domain__code=OuterRef("domain__code"),
        score__isnull=False,
    ).values("score")[:1]
    scores = AssessmentScore.objects.filter(
        assessment__kind=AssessmentKind.EXIT, score__isnull=False
    )
    if case_ids is not None:
        scores = scores.filter(assessment__case__in=case_ids)
    paired = scores.annotate(intake=Subquery(intake_score)).filter(intake__isnull=False)
    return _figure_rows(
        paired,
        "assessment__case",
        _month("assessment__assessed_on"),
        Figure.SCORE_CHANGE,
        F("domain__code"),
        change=Sum(F("score") - F("intake")),
    )
