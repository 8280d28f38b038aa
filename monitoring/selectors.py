"""Reads with rules: who may see which figures, and the indicators, each one SQL query.

Every indicator returns counts keyed by (region code, category). On a regional page the
region code is "" (one region); on the national page it is the region's code, so the same
function feeds both pages. Nothing here returns a person: only grouped counts.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.http import Http404
from django.utils import timezone

from cases.models import PHASE_ORDER, Phase, PhaseChange
from cases.models import Case as CaseModel
from monitoring.models import OutreachCount, OutreachSession
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
    start: datetime.date
    end: datetime.date
    region: Region | None = None  # None: every region, side by side
    organisation: Organisation | None = None  # None: every organisation

    @property
    def national(self) -> bool:
        return self.region is None

    @property
    def start_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_before(self) -> datetime.datetime:
        day_after = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


CASE_REGION = "client__municipality__region__code"


def _case_q(scope: Scope, prefix: str = "") -> Q:
    """Cases count for the region of the client's municipality (see the definitions page)."""
    q = Q(**{f"{prefix}client__municipality__isnull": False})
    if scope.region is not None:
        q &= Q(**{f"{prefix}client__municipality__region": scope.region})
    if scope.organisation is not None:
        q &= Q(**{f"{prefix}organisation": scope.organisation})
    return q


def _grouped(queryset, scope: Scope, region_field: str, category: str, *, n="n") -> dict:
    """{(region code or "", category): n} from one grouped query."""
    fields = [category] if not scope.national else [region_field, category]
    rows = queryset.values(*fields).annotate(**{n: Count("pk", distinct=True)}).order_by()
    return _keyed(rows, scope, region_field, category, n)


def _keyed(rows, scope, region_field, category, n="n") -> dict:
    return {
        ("" if not scope.national else row[region_field], row[category] or ""): row[n] or 0
        for row in rows
    }


# -- outreach --------------------------------------------------------------------------------


def _sessions(scope: Scope):
    sessions = OutreachSession.objects.filter(held_on__gte=scope.start, held_on__lte=scope.end)
    if scope.region is not None:
        sessions = sessions.filter(region=scope.region)
    if scope.organisation is not None:
        sessions = sessions.filter(organisation=scope.organisation)
    return sessions


def outreach_by_kind(scope: Scope) -> dict:
    """Sessions, people spoken to, messages and replies per kind of outreach."""
    fields = ["kind"] if not scope.national else ["region__code", "kind"]
    rows = (
        _sessions(scope)
        .values(*fields)
        .annotate(
            sessions=Count("pk"),
            people=Sum("people_spoken"),
            messages=Sum("messages_sent"),
            replies=Sum("replies"),
            with_ggd=Count("pk", filter=Q(with_ggd=True)),
        )
        .order_by()
    )
    return {
        measure: _keyed(rows, scope, "region__code", "kind", measure)
        for measure in ("sessions", "people", "messages", "replies", "with_ggd")
    }


def outreach_by_municipality(scope: Scope) -> dict:
    rows = (
        _sessions(scope)
        .values("municipality__name")
        .annotate(sessions=Count("pk"), people=Sum("people_spoken"))
        .order_by()
    )
    return {
        measure: {("", row["municipality__name"] or ""): row[measure] or 0 for row in rows}
        for measure in ("sessions", "people")
    }


def outreach_people_by_group(scope: Scope) -> dict:
    """{dimension: {(region, category): people}} from the anonymous counts."""
    counts = OutreachCount.objects.filter(session__in=_sessions(scope))
    fields = ["dimension", "category"]
    if scope.national:
        fields.insert(0, "session__region__code")
    rows = counts.values(*fields).annotate(n=Sum("count")).order_by()
    result: dict = {}
    for row in rows:
        region = row.get("session__region__code", "") if scope.national else ""
        result.setdefault(row["dimension"], {})[(region, row["category"])] = row["n"]
    return result


# -- new cases -------------------------------------------------------------------------------


def _new_cases(scope: Scope):
    return CaseModel.objects.filter(
        _case_q(scope), opened_on__gte=scope.start, opened_on__lte=scope.end
    )


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


def new_cases_by(scope: Scope, dimension: str) -> dict:
    """New cases (opened in the period) by one characteristic of the client or the case."""
    queryset = _new_cases(scope)
    field = {
        "municipality": "client__municipality__name",
        "contact_route": "contact_route",
        "gender": "client__gender",
        "licensing": "client__licensing",
        "living_situation": "client__living_situation",
        "sector": "client__sectors__sector",
        "age_band": "age_band",
    }[dimension]
    if dimension == "age_band":
        queryset = _with_age(queryset)
    return _grouped(queryset, scope, CASE_REGION, field)


def intakes_by_municipality(scope: Scope) -> dict:
    """Intakes: cases that first moved beyond the contact phase within the period."""
    first_beyond_contact = (
        PhaseChange.objects.filter(case=OuterRef("pk"))
        .exclude(to_phase=Phase.CONTACT)
        .order_by("at", "id")
        .values("at")[:1]
    )
    queryset = (
        CaseModel.objects.filter(_case_q(scope))
        .annotate(intake_at=Subquery(first_beyond_contact))
        .filter(intake_at__gte=scope.start_at, intake_at__lt=scope.end_before)
    )
    field = "client__municipality__name" if not scope.national else "intake"
    if scope.national:
        queryset = queryset.annotate(intake=Value("intakes", output_field=CharField()))
    return _grouped(queryset, scope, CASE_REGION, field)


# -- flow ------------------------------------------------------------------------------------


def cases_by_phase_at_end(scope: Scope) -> dict:
    """Open cases at the end of the period, by the phase they were in then (from the
    phase history, not the current phase)."""
    last_change = (
        PhaseChange.objects.filter(case=OuterRef("pk"), at__lt=scope.end_before)
        .order_by("-at", "-id")
        .values("to_phase")[:1]
    )
    queryset = (
        CaseModel.objects.filter(_case_q(scope), opened_on__lte=scope.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=scope.end))
        .annotate(
            phase_at_end=Coalesce(
                Subquery(last_change), Value(Phase.CONTACT.value), output_field=CharField()
            )
        )
    )
    return _grouped(queryset, scope, CASE_REGION, "phase_at_end")


BACKWARD_PAIRS = [
    (earlier, later) for i, later in enumerate(PHASE_ORDER) for earlier in PHASE_ORDER[:i]
]  # to_phase earlier than from_phase


def _moves(scope: Scope):
    return PhaseChange.objects.filter(
        _case_q(scope, "case__"),
        at__gte=scope.start_at,
        at__lt=scope.end_before,
    ).exclude(from_phase="")


def phase_moves(scope: Scope) -> dict:
    """Moves in the period: {(region, "from>to"): n} regionally, {(region, direction): n}
    nationally (direction "forward" or "backward")."""
    if not scope.national:
        rows = _moves(scope).values("from_phase", "to_phase").annotate(n=Count("pk")).order_by()
        return {("", f"{r['from_phase']}>{r['to_phase']}"): r["n"] for r in rows}
    backward = Q(pk__in=[])
    for to_phase, from_phase in BACKWARD_PAIRS:
        backward |= Q(from_phase=from_phase, to_phase=to_phase)
    queryset = _moves(scope).annotate(
        direction=Case(
            When(backward, then=Value("backward")),
            default=Value("forward"),
            output_field=CharField(),
        )
    )
    return _grouped(queryset, scope, "case__" + CASE_REGION, "direction")


def time_per_phase(scope: Scope) -> dict:
    """Stays in a phase that ended in the period (by a phase change or by closing the
    case): {(region, phase): (count, average days)}."""
    next_change = (
        PhaseChange.objects.filter(case=OuterRef("case"), at__gt=OuterRef("at"))
        .order_by("at", "id")
        .values("at")[:1]
    )
    rows = (
        PhaseChange.objects.filter(_case_q(scope, "case__"))
        .annotate(
            ended_at=Coalesce(
                Subquery(next_change),
                Cast("case__closed_on", DateTimeField()),
                output_field=DateTimeField(),
            )
        )
        .filter(ended_at__gte=scope.start_at, ended_at__lt=scope.end_before)
        .annotate(duration=ExpressionWrapper(F("ended_at") - F("at"), output_field=DurationField()))
        .values(*(["case__" + CASE_REGION] if scope.national else []), "to_phase")
        .annotate(n=Count("pk"), average=Avg("duration"))
        .order_by()
    )
    return {
        (row.get("case__" + CASE_REGION, "") if scope.national else "", row["to_phase"]): (
            row["n"],
            _days(row["average"]),
        )
        for row in rows
    }


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86400 / 1_000_000  # SQLite: microseconds


# -- results ---------------------------------------------------------------------------------


def closures(scope: Scope) -> dict:
    """Cases closed in the period by outcome and, for drop-out, the phase it happened in:
    {(region, "outcome|dropout_phase"): n}. One query feeds both tables, so they agree."""
    queryset = CaseModel.objects.filter(
        _case_q(scope), closed_on__gte=scope.start, closed_on__lte=scope.end
    )
    fields = ["outcome", "dropout_phase"]
    if scope.national:
        fields.insert(0, CASE_REGION)
    rows = queryset.values(*fields).annotate(n=Count("pk")).order_by()
    return {
        (
            row.get(CASE_REGION, "") if scope.national else "",
            f"{row['outcome']}|{row['dropout_phase']}",
        ): row["n"]
        for row in rows
    }
