import statistics

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import CLOSED_NEED_STATUSES, AssessmentScore, Case, CaseShare, Need
from pmw.audit import Action, log_access
from pmw.models import Role
from profiles.models import AccessBlock


def active_shares(user) -> QuerySet[CaseShare]:
    """Shares with this user that have not expired (the end date itself still counts)."""
    return CaseShare.objects.filter(user=user, expires_on__gte=timezone.localdate())


def client_access_through_cases(user, *, write: bool) -> Q:
    """A profiles.hooks.CLIENT_ACCESS_PATHS path: a worker reaches the clients of their own
    cases and of the cases shared with them (for changes: shares that allow them)."""
    shares = active_shares(user).filter(case__client=OuterRef("pk"))
    if write:
        shares = shares.filter(can_write=True)
    own = Case.objects.filter(client=OuterRef("pk"), worker=user)
    return Q(Exists(own)) | Q(Exists(shares))


def client_page_cases(request, client) -> dict:
    """A profiles.hooks.CLIENT_PAGE_SECTIONS section: the client's cases this user may see."""
    cases = client.cases.select_related("worker").order_by("-opened_on")
    cases = list(cases.filter(pk__in=cases_visible_to(request.user).values("pk")))
    return {
        "template": "cases/_client_cases.html",
        "cases": cases,
        "has_running_case": any(case.closed_on is None for case in cases),
    }


def cases_visible_to(user) -> QuerySet[Case]:
    """The one scoping query for cases, as SQL: no permission check per row.

    A coordinator sees the organisation's cases, a worker their own caseload plus cases
    shared with them that have not expired. An access block on the client overrides all
    of it. Organisation admins, municipal staff and system admins see no case.
    """
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return Case.objects.none()
    in_org = Case.objects.filter(organisation_id=user.organisation_id)
    blocked = AccessBlock.objects.filter(client=OuterRef("client_id"), user=user)
    if user.role == Role.COORDINATOR:
        scoped = in_org
    elif user.role == Role.WORKER:
        shared = active_shares(user).filter(case=OuterRef("pk"))
        scoped = in_org.filter(Q(worker=user) | Q(Exists(shared)))
    else:
        return Case.objects.none()
    return scoped.filter(~Exists(blocked))


def _with_share_flags(cases: QuerySet[Case], user) -> QuerySet[Case]:
    shares = active_shares(user).filter(case=OuterRef("pk"))
    return cases.annotate(
        shared_with_user=Exists(shares), shared_for_writing=Exists(shares.filter(can_write=True))
    )


def may_write_case(user, case: Case) -> bool:
    """For a case from ``get_case_for_request``: fixed worker, coordinator or write share."""
    if user.role == Role.COORDINATOR or case.worker_id == user.pk:
        return True
    return bool(getattr(case, "shared_for_writing", False))


def get_case_for_request(
    request,
    reference: str,
    *,
    write: bool = False,
    coordinator_only: bool = False,
    manage: bool = False,
    action: str | None = None,
) -> Case:
    """The one way a view reaches a case: 404 for outsiders, 403 for those who may only read.

    Every call is one access-log entry (a read for GET, a write otherwise, a denial).
    """
    user = request.user
    case = (
        _with_share_flags(cases_visible_to(user), user)
        # The aftercare plan (one per case) comes along: the case page shows it.
        .select_related("client", "worker", "organisation", "aftercare_plan")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        log_access(user=user, action=Action.DENIED, record_type="case", record_ref=reference)
        raise Http404
    if coordinator_only:
        allowed = user.role == Role.COORDINATOR
    elif manage:  # sharing: the fixed worker or a coordinator, not somebody it was shared with
        allowed = user.role == Role.COORDINATOR or case.worker_id == user.pk
    else:
        allowed = not write or may_write_case(user, case)
    # Through a share a colleague acts for the fixed worker: the log says on whose behalf.
    on_behalf_of = case.worker if case.worker_id != user.pk and case.shared_with_user else None
    if not allowed:
        log_access(
            user=user,
            action=Action.DENIED,
            record_type="case",
            record_ref=reference,
            client_number=case.client.number,
            on_behalf_of=on_behalf_of,
        )
        raise PermissionDenied
    if action is None:
        action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(
        user=user,
        action=action,
        record_type="case",
        record_ref=case.reference,
        client_number=case.client.number,
        on_behalf_of=on_behalf_of,
    )
    return case


def caseload(
    user, *, phase: str = "", query: str = "", status: str = "open", everyone: bool = False
) -> QuerySet[Case]:
    """The cases list: most recent contact first, cases never contacted at the end."""
    cases = cases_visible_to(user)
    if not everyone and user.role == Role.COORDINATOR:
        cases = cases.filter(worker=user)
    if status == "open":
        cases = cases.filter(closed_on__isnull=True)
    elif status == "closed":
        cases = cases.filter(closed_on__isnull=False)
    if phase:
        cases = cases.filter(phase=phase)
    query = query.strip()
    if query:
        cases = cases.filter(
            Q(client__working_name__icontains=query) | Q(client__number__iexact=query)
        )
    return cases.select_related("client", "worker").order_by(
        F("last_contact_at").desc(nulls_last=True), "-opened_on", "-id"
    )


def case_timeline(case: Case) -> list[dict]:
    """Phase changes, contact moments and changes of worker, newest first."""
    entries = [
        {"kind": "phase", "at": change.at, "item": change}
        for change in case.phase_changes.select_related("by")
    ]
    entries += [
        {"kind": "contact", "at": moment.at, "item": moment}
        for moment in case.contact_moments.select_related("worker").prefetch_related("domains")
    ]
    entries += [
        {"kind": "worker", "at": change.at, "item": change}
        for change in case.worker_changes.select_related("from_worker", "to_worker", "by")
    ]
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)


def assignable_workers(organisation):
    from pmw.models import User

    return User.objects.filter(
        organisation=organisation, is_active=True, role__in=[Role.WORKER, Role.COORDINATOR]
    ).order_by("first_name", "last_name", "username")


def client_export_cases(client) -> tuple[str, list]:
    """The cases part of a client's GDPR export, in a handful of queries."""
    cases = client.cases.select_related("worker").prefetch_related(
        "phase_changes",
        "contact_moments__domains",
        "worker_changes",
        "needs__domain",
        "stop_reasons",
    )
    return "cases", [
        {
            "reference": case.reference,
            "organisation": case.organisation_id and str(case.organisation),
            "fixed_worker": str(case.worker),
            "contact_route": case.get_contact_route_display(),
            "opened_on": case.opened_on,
            "phase": case.get_phase_display(),
            "closed_on": case.closed_on,
            "outcome": case.get_outcome_display(),
            "closing_note": case.closing_note,
            "stop_reasons": [r.get_reason_display() for r in case.stop_reasons.all()],
            "phase_changes": [
                {"at": c.at, "from": c.from_phase, "to": c.to_phase, "note": c.note}
                for c in case.phase_changes.all()
            ],
            "contact_moments": [
                {
                    "at": m.at,
                    "kind": m.get_kind_display(),
                    "duration_minutes": m.duration_minutes,
                    "note": m.note,
                    "domains": [d.name for d in m.domains.all()],
                }
                for m in case.contact_moments.all()
            ],
            "worker_changes": [{"at": w.at, "reason": w.reason} for w in case.worker_changes.all()],
            "needs": [
                {
                    "domain": n.domain.name,
                    "description": n.description,
                    "status": n.get_status_display(),
                    "identified_on": n.identified_on,
                }
                for n in case.needs.all()
            ],
        }
        for case in cases
    ]


def needs_for_case(case: Case) -> list[Need]:
    return list(case.needs.select_related("domain"))


def first_help_summary(needs: list[Need]) -> dict:
    """ "Time to first concrete help" for a case: the median over its needs that got help
    (the median, because one need that waited months should not hide that most were quick),
    the quickest, and the needs still waiting with the longest wait so far."""
    today = timezone.localdate()
    helped = [n.days_to_first_help for n in needs if n.first_help_on is not None]
    waiting = [
        (today - n.identified_on).days
        for n in needs
        if n.first_help_on is None and n.status not in CLOSED_NEED_STATUSES
    ]
    return {
        "helped": len(helped),
        "median_days": statistics.median(helped) if helped else None,
        "quickest_days": min(helped) if helped else None,
        "waiting": len(waiting),
        "longest_waiting_days": max(waiting) if waiting else None,
    }


def assessment_overview(case: Case) -> dict:
    """Scores over time: one row per domain (by code, across matrix versions), one column
    per assessment, each cell with its score and the change since the domain's last score."""
    assessments = list(
        case.assessments.select_related("by", "version").prefetch_related(
            Prefetch("scores", queryset=AssessmentScore.objects.select_related("domain"))
        )
    )
    rows: dict[str, dict] = {}
    for column, assessment in enumerate(assessments):
        for score in sorted(assessment.scores.all(), key=lambda s: s.domain.position):
            row = rows.setdefault(
                score.domain.code,
                {"name": score.domain.name, "cells": [None] * len(assessments), "last": None},
            )
            change = ""
            if score.score is not None and row["last"] is not None:
                change = (
                    "up"
                    if score.score > row["last"]
                    else "down"
                    if score.score < row["last"]
                    else "same"
                )
            row["cells"][column] = {"score": score.score, "change": change, "previous": row["last"]}
            if score.score is not None:
                row["last"] = score.score
    return {"assessments": assessments, "rows": list(rows.values())}
