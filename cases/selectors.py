import statistics

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import CLOSED_NEED_STATUSES, AssessmentScore, Case, Need
from pmw.audit import Action, log_access
from pmw.models import Role


def cases_visible_to(user) -> QuerySet[Case]:
    """A coordinator sees the organisation's cases, a worker their own caseload."""
    if not user.is_authenticated or user.organisation_id is None:
        return Case.objects.none()
    in_org = Case.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return in_org
    if user.role == Role.WORKER:
        return in_org.filter(worker=user)
    return Case.objects.none()


def get_case_for_request(
    request, reference: str, *, write: bool = False, coordinator_only: bool = False
) -> Case:
    """The one way a view reaches a case: 404 for outsiders, 403 for those who may only read.

    Every call is one access-log entry (a read for GET, a write otherwise, a denial).
    """
    user = request.user
    case = (
        cases_visible_to(user)
        .select_related("client", "worker", "organisation")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        log_access(user=user, action=Action.DENIED, record_type="case", record_ref=reference)
        raise Http404
    allowed = user.does_casework and (not coordinator_only or user.role == Role.COORDINATOR)
    if (write or coordinator_only) and not allowed:
        log_access(
            user=user,
            action=Action.DENIED,
            record_type="case",
            record_ref=reference,
            client_number=case.client.number,
        )
        raise PermissionDenied
    action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(
        user=user,
        action=action,
        record_type="case",
        record_ref=case.reference,
        client_number=case.client.number,
    )
    return case


def caseload(
    user, *, phase: str = "", query: str = "", status: str = "open", everyone: bool = False
) -> QuerySet[Case]:
    """The cases list: most recent contact first, cases never contacted at the end."""
    cases = cases_visible_to(user)
    if not everyone:
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
