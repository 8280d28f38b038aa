"""The built-in reminder sources; ``aftercare.apps`` registers them."""

import datetime

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import Exists, F, IntegerField, OuterRef, Subquery, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from aftercare.models import AftercarePlan, FollowUp, Intensity, check_in_recipient
from aftercare.reminders.registry import ROW_KEYS, ReminderSource
from cases.models import Case, Phase
from partners.models import AWAITING_ANSWER_STATUSES, Referral
from partners.selectors import valid_consents
from profiles.models import AccessBlock


def _check_ins(today, horizon):
    # NULL next_check_in_on (no aftercare wish, or past the planned end) never matches.
    return (
        AftercarePlan.objects.filter(
            next_check_in_on__lte=horizon,
            case__closed_on__isnull=True,
            case__phase=Phase.AFTERCARE,
        )
        .annotate(
            r_due=F("next_check_in_on"),
            r_recipient=check_in_recipient(),
            r_org=F("case__organisation_id"),
            r_number=F("case__client__number"),
            r_case=F("case_id"),
            r_ref=F("case__reference"),
        )
        .values(*ROW_KEYS)
    )


def _follow_up_recipient():
    """The closed case's worker while they can still open it. After a transfer the client's
    closed cases belong to the receiving organisation, and a block bars the worker: then
    nobody at the worker's level (the escalation to the coordinators still comes)."""
    barred = AccessBlock.objects.filter(
        client=OuterRef("case__client"), user=OuterRef("case__worker")
    )
    return SqlCase(
        When(
            ~Exists(barred),
            case__worker__organisation_id=F("case__organisation_id"),
            then=F("case__worker_id"),
        ),
        default=None,
        output_field=IntegerField(),
    )


def _follow_ups(today, horizon):
    # A client who asked for no aftercare is not approached for a follow-up either.
    return (
        FollowUp.objects.filter(recorded_on__isnull=True, due_on__lte=horizon)
        .exclude(case__aftercare_plan__intensity=Intensity.NONE)
        .annotate(
            r_due=F("due_on"),
            r_recipient=_follow_up_recipient(),
            r_org=F("case__organisation_id"),
            r_number=F("case__client__number"),
            r_case=F("case_id"),
            r_ref=F("case__reference"),
        )
        .values(*ROW_KEYS, "months")
    )


def _reflection_periods(today, horizon):
    # One reminder before the B8/3 reflection period ends; once it has ended there is
    # nothing left to do in time, so no escalation either.
    return (
        Case.objects.filter(
            closed_on__isnull=True,
            client__reflection_period_ends_on__gte=today,
            client__reflection_period_ends_on__lte=horizon,
        )
        .annotate(
            r_due=F("client__reflection_period_ends_on"),
            r_recipient=F("worker_id"),
            r_org=F("organisation_id"),
            r_number=F("client__number"),
            r_case=F("pk"),
            r_ref=F("reference"),
        )
        .values(*ROW_KEYS)
    )


def _referrals_unanswered(today, horizon):
    # Due when the partner's answer is REFERRAL_ANSWER_DAYS late; from then the worker is
    # reminded, and the coordinator after REMINDER_ESCALATE_AFTER_DAYS more.
    answer_due = TruncDate(F("sent_at") + datetime.timedelta(days=settings.REFERRAL_ANSWER_DAYS))
    return (
        Referral.objects.filter(status__in=AWAITING_ANSWER_STATUSES, case__closed_on__isnull=True)
        .annotate(
            r_due=answer_due,
            r_recipient=F("case__worker_id"),
            r_org=F("case__organisation_id"),
            r_number=F("case__client__number"),
            r_case=F("case_id"),
            r_ref=F("reference"),
        )
        .filter(r_due__lte=horizon)
        .values(*ROW_KEYS)
    )


def _consents_expiring(today, horizon):
    # Consent is per client; the worker of the client's open case asks for a renewal.
    open_case = Case.objects.filter(client=OuterRef("client"), closed_on__isnull=True).order_by(
        "-opened_on", "-id"
    )
    return (
        valid_consents(today)
        .filter(expires_on__lte=horizon)
        .annotate(
            r_due=F("expires_on"),
            r_recipient=Subquery(open_case.values("worker_id")[:1]),
            r_org=F("client__organisation_id"),
            r_number=F("client__number"),
            r_case=Subquery(open_case.values("pk")[:1]),
            r_ref=Subquery(open_case.values("reference")[:1]),
        )
        .filter(r_recipient__isnull=False)
        .values(*ROW_KEYS)
    )


BUILT_IN_SOURCES = [
    ReminderSource(
        kind="check_in",
        label=_("Contactmoment nazorg"),
        rows=_check_ins,
        url_name="aftercare:plan",
    ),
    ReminderSource(
        kind="follow_up",
        label=_("Vervolgmeting na afsluiten"),
        rows=_follow_ups,
        url_name="aftercare:follow_up",
        url_args=("r_ref", "months"),
    ),
    ReminderSource(
        kind="reflection_period",
        label=_("Einde bedenktijd (B8/3)"),
        rows=_reflection_periods,
        url_name="cases:detail",
        lead_days=14,
        escalates=False,
    ),
    ReminderSource(
        kind="referral_unanswered",
        label=_("Verwijzing zonder antwoord van de partner"),
        rows=_referrals_unanswered,
        url_name="partners:referral",
        lead_days=0,
    ),
    ReminderSource(
        kind="consent_expiring",
        label=_("Toestemming verloopt"),
        rows=_consents_expiring,
        url_name="cases:detail",
        lead_days=14,
        escalates=False,
    ),
]
