import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from aftercare.models import (
    AftercarePlan,
    FollowUp,
    Reminder,
    ReminderRun,
    ReminderStatus,
    Signal,
    check_in_recipient,
    stale_before,
)
from cases.models import Phase
from cases.selectors import assignable_workers, cases_visible_to, get_case_for_request
from partners.selectors import referrals_awaiting_answer
from pmw.models import Role
from profiles.models import AccessBlock


def get_plan_for_request(request, reference: str, *, write: bool = False) -> AftercarePlan:
    """The one way a view reaches an aftercare plan: through its case's access helper.

    So the rules (404 to outsiders, 403 to read-only) and the one access-log entry are the
    case's; a case without a plan is a 404 too.
    """
    case = get_case_for_request(request, reference, write=write)
    plan = AftercarePlan.objects.select_related("responsible").filter(case=case).first()
    if plan is None:
        raise Http404
    plan.case = case
    return plan


def get_follow_up_for_request(request, reference: str, months: int, *, write=False) -> FollowUp:
    case = get_case_for_request(request, reference, write=write)
    follow_up = FollowUp.objects.filter(case=case, months=months).first()
    if follow_up is None:
        raise Http404
    follow_up.case = case
    return follow_up


def responsible_choices(case):
    """Who can hold an aftercare plan: people who can open the case (its worker, coordinators
    not barred from the client)."""
    return assignable_workers(case.organisation).filter(
        Q(pk=case.worker_id) | Q(role=Role.COORDINATOR),
        ~Exists(AccessBlock.objects.filter(client_id=case.client_id, user=OuterRef("pk"))),
    )


def plan_check_ins(plan: AftercarePlan):
    return plan.check_ins.select_related("by")


def plan_signals(plan: AftercarePlan):
    return plan.signals.select_related("by", "need__domain")


def my_week(user, *, today: datetime.date | None = None) -> dict:
    """The worker's week: due and overdue check-ins, follow-ups due, recent signals and
    referrals waiting for the partner's answer.

    One query per section, whatever the caseload: each is a scoped queryset.
    """
    today = today or timezone.localdate()
    week_end = today + datetime.timedelta(days=7)
    own_cases = cases_visible_to(user).filter(worker=user)
    check_ins = (
        AftercarePlan.objects.filter(
            next_check_in_on__lte=week_end,
            case__closed_on__isnull=True,
            case__phase=Phase.AFTERCARE,
        )
        .annotate(recipient=check_in_recipient())
        .filter(case__in=cases_visible_to(user), recipient=user.pk)
        .select_related("case__client")
        .order_by("next_check_in_on", "id")
    )
    if user.role == Role.WORKER:
        # Only a coordinator receives check-ins of cases not their own (check_in_recipient).
        # Said outright, PostgreSQL starts from the worker's cases instead of every plan due
        # this week joined to every case the worker may see (~30 ms -> ~5 ms on a large
        # organisation).
        check_ins = check_ins.filter(case__worker=user)
    follow_ups = (
        FollowUp.objects.filter(case__in=own_cases, recorded_on__isnull=True, due_on__lte=week_end)
        .select_related("case__client")
        .order_by("due_on", "id")
    )
    # All sent referrals still waiting for the partner; the late ones stand out.
    # Also filtered on the joined case's worker: PostgreSQL then starts from the worker's
    # cases instead of joining every referral in the country that awaits an answer.
    referrals = referrals_awaiting_answer(older_than_days=0).filter(
        case__in=own_cases, case__worker=user
    )
    signals = (
        Signal.objects.filter(
            plan__case__in=own_cases, noted_on__gte=today - datetime.timedelta(days=14)
        )
        .select_related("plan__case__client", "by")
        .order_by("-noted_on", "-id")
    )
    return {
        "today": today,
        "check_ins": list(check_ins[:100]),
        "follow_ups": list(follow_ups[:100]),
        "signals": list(signals[:50]),
        "referrals": list(referrals[:100]),
        "answer_late_before": timezone.now()
        - datetime.timedelta(days=settings.REFERRAL_ANSWER_DAYS),
    }


def last_reminder_run() -> ReminderRun | None:
    return ReminderRun.objects.filter(finished_at__isnull=False).first()


def reminders_health() -> dict:
    """A pmw.hooks.HEALTH_REPORTS report: is the reminder task running, and are e-mails
    stranded by a process that died (they are sent again after the claim timeout)?"""
    run = last_reminder_run()
    return {
        "reminders": {
            "alive": reminders_alive(run),
            "last_run": run.finished_at.isoformat() if run else None,
            "stale_claims": Reminder.objects.filter(
                status=ReminderStatus.SENDING, claimed_at__lt=stale_before()
            ).count(),
            "waiting_for_mail_server": Reminder.objects.filter(
                status=ReminderStatus.PENDING, next_attempt_at__isnull=False
            ).count(),
        }
    }


def reminders_alive(run: ReminderRun | None) -> bool:
    if run is None:
        return False
    stale = datetime.timedelta(minutes=3 * settings.REMINDER_INTERVAL_MINUTES)
    return timezone.now() - run.finished_at < stale


def client_export_aftercare(client) -> tuple[str, list]:
    """The aftercare part of a client's GDPR export: plans, check-ins, signals, follow-ups."""
    plans = AftercarePlan.objects.filter(case__client=client).select_related("case")
    plans = plans.prefetch_related("check_ins", "signals")
    follow_ups = FollowUp.objects.filter(case__client=client).select_related("case")
    return "aftercare", {
        "plans": [
            {
                "case": plan.case.reference,
                "intensity": plan.get_intensity_display(),
                "intensity_reason": plan.intensity_reason,
                "check_in_interval_days": plan.check_in_interval_days,
                "starts_on": plan.starts_on,
                "planned_end_on": plan.planned_end_on,
                "check_ins": [
                    {
                        "on": c.on,
                        "kind": c.get_kind_display(),
                        "result": c.get_result_display(),
                        "note": c.note,
                    }
                    for c in plan.check_ins.all()
                ],
                "signals": [
                    {
                        "noted_on": s.noted_on,
                        "kind": s.get_kind_display(),
                        "severity": s.get_severity_display(),
                        "note": s.note,
                    }
                    for s in plan.signals.all()
                ],
            }
            for plan in plans
        ],
        "follow_ups": [
            {
                "case": f.case.reference,
                "months": f.months,
                "due_on": f.due_on,
                "situation": f.get_situation_display(),
                "note": f.note,
                "recorded_on": f.recorded_on,
            }
            for f in follow_ups
        ],
    }
