import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.models import (
    DEFAULT_INTERVAL_DAYS,
    SIGNAL_LIFE_DOMAIN,
    AftercarePlan,
    CheckIn,
    FollowUp,
    Intensity,
    Severity,
    Signal,
    SignalKind,
    suggested_intensity,
)
from aftercare.selectors import responsible_choices
from cases.models import ANOTHER_DAY_STRUCTURE, Case, LifeDomain, NeedPriority, Phase
from cases.services import case_change_phase, case_figures_changed, need_create

logger = logging.getLogger(__name__)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("Dit traject is afgesloten en kan niet meer worden gewijzigd."))


# --- the plan ----------------------------------------------------------------------------


def _check_plan_choices(case, intensity, intensity_reason, check_in_interval_days, responsible):
    """Rules shared by starting and changing a plan; returns the cleaned values."""
    suggested = suggested_intensity(case.client.profile)
    intensity_reason = intensity_reason.strip()
    if intensity != suggested and not intensity_reason:
        raise ValidationError(
            {"intensity_reason": _("Geef aan waarom je een andere vorm kiest dan voorgesteld.")}
        )
    if intensity == Intensity.NONE:
        check_in_interval_days = None
    elif not check_in_interval_days:
        check_in_interval_days = DEFAULT_INTERVAL_DAYS[intensity]
    if not responsible_choices(case).filter(pk=responsible.pk).exists():
        raise ValidationError(
            {
                "responsible": _(
                    "Kies de vaste hulpverlener of een coördinator van deze organisatie."
                )
            }
        )
    return suggested, intensity_reason, check_in_interval_days


@transaction.atomic
def aftercare_start(
    *,
    case: Case,
    intensity: str,
    responsible,
    starts_on: datetime.date,
    by,
    check_in_interval_days: int | None = None,
    planned_end_on: datetime.date | None = None,
    intensity_reason: str = "",
    note: str = "",
) -> AftercarePlan:
    """Move the case into the aftercare phase and make (or renew) its plan, in one step.

    A case that went back to execution after a signal comes back through here too, so the
    plan is looked at again instead of silently resuming old reminders.
    """
    case = Case.objects.select_for_update().select_related("client").get(pk=case.pk)
    _require_open(case)
    plan = AftercarePlan.objects.select_for_update().filter(case=case).first()
    # A case moved to aftercare before plans existed gets its plan without a phase change.
    if case.phase == Phase.AFTERCARE and plan is not None:
        raise ValidationError(_("Het traject is al in de nazorgfase."))
    suggested, intensity_reason, check_in_interval_days = _check_plan_choices(
        case, intensity, intensity_reason, check_in_interval_days, responsible
    )
    today = timezone.localdate()
    if starts_on > today:
        raise ValidationError({"starts_on": _("Deze datum ligt in de toekomst.")})
    if starts_on < case.opened_on:
        raise ValidationError(
            {"starts_on": _("De nazorg kan niet vóór de start van het traject beginnen.")}
        )
    if planned_end_on and planned_end_on <= starts_on:
        raise ValidationError(
            {"planned_end_on": _("De einddatum moet na de startdatum van de nazorg liggen.")}
        )
    if case.phase != Phase.AFTERCARE:
        case_change_phase(case=case, to=Phase.AFTERCARE, by=by, note=note)
    if plan is None:
        plan = AftercarePlan(case=case, created_by=by)
    plan.intensity = intensity
    plan.suggested_intensity = suggested
    plan.intensity_reason = intensity_reason if intensity != suggested else ""
    plan.check_in_interval_days = check_in_interval_days
    plan.responsible = responsible
    plan.starts_on = starts_on
    plan.planned_end_on = planned_end_on
    plan.next_check_in_on = plan.compute_next_check_in()
    plan.save()
    return plan


@transaction.atomic
def aftercare_plan_update(
    *,
    plan: AftercarePlan,
    intensity: str,
    responsible,
    by,
    check_in_interval_days: int | None = None,
    planned_end_on: datetime.date | None = None,
    intensity_reason: str = "",
) -> AftercarePlan:
    """Change a running plan, e.g. when the client now asks for no (or more) aftercare."""
    plan = AftercarePlan.objects.select_for_update().select_related("case__client").get(pk=plan.pk)
    case = plan.case
    _require_open(case)
    suggested, intensity_reason, check_in_interval_days = _check_plan_choices(
        case, intensity, intensity_reason, check_in_interval_days, responsible
    )
    if planned_end_on and planned_end_on <= plan.starts_on:
        raise ValidationError(
            {"planned_end_on": _("De einddatum moet na de startdatum van de nazorg liggen.")}
        )
    plan.intensity = intensity
    plan.suggested_intensity = suggested
    plan.intensity_reason = intensity_reason if intensity != suggested else ""
    plan.check_in_interval_days = check_in_interval_days
    plan.responsible = responsible
    plan.planned_end_on = planned_end_on
    plan.next_check_in_on = plan.compute_next_check_in()
    plan.save()
    return plan


@transaction.atomic
def check_in_log(*, plan: AftercarePlan, on: datetime.date, kind: str, result: str, note, by):
    plan = AftercarePlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    _require_open(plan.case)
    if on > timezone.localdate():
        raise ValidationError({"on": _("Deze datum ligt in de toekomst.")})
    if on < plan.starts_on:
        raise ValidationError({"on": _("Een contactmoment kan niet vóór de start van de nazorg.")})
    check_in = CheckIn.objects.create(plan=plan, on=on, kind=kind, result=result, note=note, by=by)
    if plan.last_check_in_on is None or on > plan.last_check_in_on:
        plan.last_check_in_on = on
    plan.next_check_in_on = plan.compute_next_check_in()
    plan.save(update_fields=["last_check_in_on", "next_check_in_on"])
    return check_in


@transaction.atomic
def signal_record(
    *,
    plan: AftercarePlan,
    kind: str,
    severity: str,
    noted_on: datetime.date,
    by,
    note: str = "",
    reopen: bool = False,
    create_need: bool = False,
    need_domain: LifeDomain | None = None,
) -> Signal:
    """Record a signal; optionally reopen the case into execution and/or add a need."""
    plan = AftercarePlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    case = plan.case
    _require_open(case)
    if noted_on > timezone.localdate():
        raise ValidationError({"noted_on": _("Deze datum ligt in de toekomst.")})
    label = SignalKind(kind).label
    if reopen:
        if case.phase != Phase.AFTERCARE:
            raise ValidationError({"reopen": _("Het traject is niet meer in de nazorgfase.")})
        case_change_phase(
            case=case,
            to=Phase.EXECUTION,
            by=by,
            note=_("Heropend na een signaal: %(signal)s") % {"signal": label},
        )
    need = None
    if create_need:
        if need_domain is None and kind in SIGNAL_LIFE_DOMAIN:
            need_domain = LifeDomain.objects.get(code=SIGNAL_LIFE_DOMAIN[kind])
        if need_domain is None:
            raise ValidationError({"need_domain": _("Kies het leefdomein van de hulpvraag.")})
        need = need_create(
            case=case,
            domain=need_domain,
            description=note.strip() or str(label),
            priority=NeedPriority.HIGH if severity == Severity.HIGH else NeedPriority.NORMAL,
            identified_on=max(noted_on, case.opened_on),
            by=by,
        )
    signal = Signal.objects.create(
        plan=plan,
        kind=kind,
        severity=severity,
        noted_on=noted_on,
        note=note,
        reopened_case=reopen,
        need=need,
        by=by,
    )
    case_figures_changed(case.pk)
    return signal


# --- follow-ups of the durable result ---------------------------------------------------


def follow_ups_schedule(*, case: Case, by) -> list[FollowUp]:
    """A CASE_CLOSE_STEPS step: plan the follow-up measurements, end the check-ins.

    Only a case closed with another day structure has a durable result to follow up.
    """
    AftercarePlan.objects.filter(case=case).update(next_check_in_on=None)
    if case.outcome not in ANOTHER_DAY_STRUCTURE:
        return []
    follow_ups = [
        FollowUp(case=case, months=months, due_on=add_months(case.closed_on, months))
        for months in settings.FOLLOW_UP_MONTHS
    ]
    FollowUp.objects.bulk_create(follow_ups)
    return follow_ups


@transaction.atomic
def follow_up_record(
    *, follow_up: FollowUp, situation: str, by, note: str = "", scores_consent: bool = False
) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.is_recorded:
        raise ValidationError(_("Deze vervolgmeting is al vastgelegd."))
    today = timezone.localdate()
    earliest = follow_up.due_on - datetime.timedelta(days=settings.FOLLOW_UP_EARLY_DAYS)
    if today < earliest:
        raise ValidationError(
            _("Deze vervolgmeting kan vanaf %(day)s worden vastgelegd.")
            % {"day": earliest.strftime("%d-%m-%Y")}
        )
    follow_up.situation = situation
    follow_up.note = note
    follow_up.scores_consent = scores_consent
    follow_up.recorded_on = today
    follow_up.recorded_by = by
    follow_up.save()
    case_figures_changed(follow_up.case_id)
    return follow_up


def aftercare_texts_anonymise(*, client) -> None:
    """A step of ``profiles.services.client_anonymise`` (GDPR erasure): blank the free text
    of this client's aftercare; intensities, dates and outcomes stay for the figures."""
    plans = AftercarePlan.objects.filter(case__client=client)
    plans.update(intensity_reason="")
    CheckIn.objects.filter(plan__in=plans).update(note="")
    Signal.objects.filter(plan__in=plans).update(note="")
    FollowUp.objects.filter(case__client=client).update(note="")
