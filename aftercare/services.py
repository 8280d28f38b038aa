import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, Exists, F, IntegerField, OuterRef, Value
from django.db.models.constants import OnConflict
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.models import (
    DEFAULT_INTERVAL_DAYS,
    SIGNAL_LIFE_DOMAIN,
    AftercarePlan,
    CheckIn,
    FollowUp,
    Intensity,
    Notification,
    Reminder,
    ReminderRun,
    ReminderStatus,
    Severity,
    Signal,
    SignalKind,
    suggested_intensity,
)
from aftercare.reminders import SOURCES, url_expression
from aftercare.selectors import responsible_choices
from cases.models import ANOTHER_DAY_STRUCTURE, Case, LifeDomain, NeedPriority, Phase
from cases.services import case_change_phase, case_figures_changed, need_create
from pmw.models import Role, User
from profiles.models import AccessBlock, Client

logger = logging.getLogger(__name__)

# Steps run when a follow-up is recorded, in the same transaction. The self-sufficiency
# assessments (issue 3) add theirs here from AppConfig.ready(): called as
# ``step(follow_up=..., by=...)`` and expected to act only when ``follow_up.scores_consent``.
FOLLOW_UP_RECORDED_STEPS = []

DELIVERY_BATCH_SIZE = 100


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
    for step in FOLLOW_UP_RECORDED_STEPS:
        step(follow_up=follow_up, by=by)
    return follow_up


# --- notifications --------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- the reminder engine --------------------------------------------------------------------
#
# Exactly once, in two steps:
#
# 1. reminders_collect: every due item becomes one Reminder row per recipient and level,
#    inserted with ON CONFLICT DO NOTHING against the unique constraint
#    (source, object_id, due_on, recipient, level). Two runs at once, or a rerun, insert
#    nothing new: the database decides, not the code.
# 2. reminders_deliver: pending rows are locked (SELECT ... FOR UPDATE SKIP LOCKED, so two
#    runs split the work instead of waiting) and moved pending -> sending with a
#    compare-and-set UPDATE, in the same transaction that creates the in-app Notification.
#    That commit happens BEFORE the e-mail is sent; the row is marked sent after.
#
# The e-mail is therefore AT MOST ONCE: a crash after the commit and before (or during) the
# send leaves the row in "sending" and no later run sends it again; such rows show up in
# the admin. We chose this over at-least-once because a second e-mail about a client is a
# needless copy of special-category context in mailboxes, while the in-app notification,
# committed atomically with the claim, is never lost. A crash before the commit rolls the
# claim back, so the retried task delivers it.


def _not_yet_reminded(source, rows, level: int):
    """Only the rows still owed a reminder at this level for their due date. Without this,
    every run would offer the whole overdue backlog to the ledger again, to be refused row
    by row."""
    reminded = Reminder.objects.filter(
        source=source.kind, object_id=OuterRef("pk"), due_on=OuterRef("r_due"), level=level
    )
    return rows.filter(~Exists(reminded))


# The ledger's columns, and what each is in the select of ``_as_reminders`` (alias r).
LEDGER = {
    "source": "r.i_source",
    "object_id": "r.i_object",
    "due_on": "r.r_due",
    "recipient": None,  # the worker (r.r_recipient), or a coordinator
    "level": "r.i_level",
    "client_number": "r.i_number",
    "url": "r.i_url",
    "status": "r.i_status",
    "created_at": "r.i_created",
    "error": "r.i_error",
}


def _as_reminders(source, rows, level: int) -> tuple[str, tuple]:
    """SQL for the rows as the ledger's columns (``LEDGER``), with the worker and the
    organisation for the escalation's join."""
    rows = rows.annotate(
        i_source=Value(source.kind, output_field=CharField()),
        i_object=F("pk"),
        i_level=Value(level, output_field=IntegerField()),
        i_number=Coalesce("r_number", Value(""), output_field=CharField()),
        i_url=url_expression(source),
        i_status=Value(ReminderStatus.PENDING, output_field=CharField()),
        i_created=Value(timezone.now(), output_field=DateTimeField()),
        i_error=Value("", output_field=CharField()),
    )
    selected = [column.removeprefix("r.") for column in LEDGER.values() if column]
    return rows.values(*selected, "r_recipient", "r_org").query.sql_with_params()


def _insert_reminders(rows_sql: str, params, recipient: str, join: str = "") -> None:
    """INSERT ... SELECT into the ledger; a row it holds already is left alone (the unique
    constraint decides, also between two runs at once)."""
    ops = connection.ops
    fields = [Reminder._meta.get_field(name) for name in LEDGER]
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    values = ", ".join(value or recipient for value in LEDGER.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} "  # noqa: S608 — our own SQL
            f"{ops.quote_name(Reminder._meta.db_table)} ({columns}) "
            f"SELECT {values} FROM ({rows_sql}) r {join} "
            f"{ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)}",
            params,
        )


def reminders_collect(*, today: datetime.date) -> None:
    """Insert a Reminder row for everything due soon or overdue (idempotent).

    Per source one INSERT ... SELECT for the responsible workers and, for items overdue past
    REMINDER_ESCALATE_AFTER_DAYS, one for the coordinators of the organisation (those there
    are when it escalates; not the one who is the worker already). The rows never pass
    through Python, so a run's memory does not grow with them."""
    escalate_from = today - datetime.timedelta(days=settings.REMINDER_ESCALATE_AFTER_DAYS)
    for source in SOURCES.values():
        lead = settings.REMINDER_LEAD_DAYS if source.lead_days is None else source.lead_days
        rows = source.rows(today, today + datetime.timedelta(days=lead))
        # A row without a recipient (nobody who may still open the case) only escalates.
        owed = _not_yet_reminded(source, rows, Reminder.LEVEL_WORKER).filter(
            r_recipient__isnull=False
        )
        _insert_reminders(*_as_reminders(source, owed, Reminder.LEVEL_WORKER), "r.r_recipient")
        if not source.escalates:
            continue
        overdue = rows.filter(r_due__lt=escalate_from)
        sql, params = _as_reminders(
            source,
            _not_yet_reminded(source, overdue, Reminder.LEVEL_COORDINATOR),
            Reminder.LEVEL_COORDINATOR,
        )
        ops = connection.ops
        coordinators = (
            f"JOIN {ops.quote_name(User._meta.db_table)} u "  # noqa: S608 — our own SQL
            "ON u.organisation_id = r.r_org AND u.role = %s AND u.is_active "
            "AND (r.r_recipient IS NULL OR u.id <> r.r_recipient) "
            # Not those barred from the client: the reminder names the client.
            f"AND NOT EXISTS (SELECT 1 FROM {ops.quote_name(AccessBlock._meta.db_table)} b "
            f"JOIN {ops.quote_name(Client._meta.db_table)} c ON c.id = b.client_id "
            "WHERE b.user_id = u.id AND c.number = r.i_number)"
        )
        _insert_reminders(sql, (*params, Role.COORDINATOR), "u.id", coordinators)


def _claim_batch() -> tuple[bool, list[int]]:
    """(were there pending rows, the ids this run claimed)."""
    with transaction.atomic():
        batch = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=ReminderStatus.PENDING)
            .order_by("id")[:DELIVERY_BATCH_SIZE]
        )
        if not batch:
            return False, []
        now = timezone.now()
        claimed = [
            reminder
            for reminder in batch
            if Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.PENDING).update(
                status=ReminderStatus.SENDING, claimed_at=now
            )
        ]
        Notification.objects.bulk_create(
            Notification(
                recipient_id=r.recipient_id,
                reminder=r,
                source=r.source,
                level=r.level,
                client_number=r.client_number,
                due_on=r.due_on,
                url=r.url,
            )
            for r in claimed
        )
    return True, [r.pk for r in claimed]


def _email_text(reminder: Reminder) -> tuple[str, str]:
    # Only the client number and a link: e-mail is not a safe channel for client details,
    # not even the kind of reminder (a reflection period says "exploitation").
    link = f"{settings.SITE_URL.rstrip('/')}{reminder.url}"
    with translation.override(settings.LANGUAGE_CODE):
        if reminder.level == Reminder.LEVEL_COORDINATOR:
            subject = _("PMW Casemanagement: herinnering staat al langer open")
            intro = _(
                "Een herinnering voor cliënt %(number)s staat al langer dan %(days)s dagen "
                "open bij de vaste hulpverlener."
            ) % {"number": reminder.client_number, "days": settings.REMINDER_ESCALATE_AFTER_DAYS}
        else:
            subject = _("PMW Casemanagement: herinnering")
            intro = _("Er staat een herinnering voor cliënt %(number)s voor je klaar.") % {
                "number": reminder.client_number
            }
        body = "\n\n".join(
            [
                intro,
                _("Bekijk hem na inloggen: %(link)s") % {"link": link},
                _("Deze e-mail bevat bewust geen verdere gegevens."),
            ]
        )
    return subject, body


def _deliver(reminder: Reminder) -> bool:
    email = reminder.recipient.email
    if not email or not reminder.recipient.is_active:
        Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.NO_EMAIL)
        return True
    subject, body = _email_text(reminder)
    try:
        send_mail(subject, body, None, [email])
    except Exception as exc:  # noqa: BLE001 — any failure: keep it visible, never resend
        logger.warning("Reminder %s: e-mail failed: %s", reminder.pk, type(exc).__name__)
        Reminder.objects.filter(pk=reminder.pk).update(
            status=ReminderStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:255]
        )
        return False
    Reminder.objects.filter(pk=reminder.pk).update(
        status=ReminderStatus.SENT, sent_at=timezone.now()
    )
    return True


def reminders_deliver() -> tuple[int, int]:
    """Claim pending reminders in batches, notify in the app, then e-mail (at most once)."""
    delivered = failed = 0
    while True:
        found, pks = _claim_batch()
        if not found:
            return delivered, failed
        for reminder in Reminder.objects.filter(pk__in=pks).select_related("recipient"):
            if _deliver(reminder):
                delivered += 1
            else:
                failed += 1


def reminders_run(*, today: datetime.date | None = None) -> ReminderRun:
    """The periodic job: find what is due, deliver each reminder once, leave a heartbeat."""
    run = ReminderRun.objects.create(started_at=timezone.now())
    reminders_collect(today=today or timezone.localdate())
    delivered, failed = reminders_deliver()
    run.created = Reminder.objects.filter(created_at__gte=run.started_at).count()
    run.delivered, run.failed = delivered, failed
    run.finished_at = timezone.now()
    run.save()
    ReminderRun.objects.filter(
        started_at__lt=run.started_at - datetime.timedelta(days=settings.REMINDER_RUNS_KEEP_DAYS)
    ).delete()
    return run


def aftercare_texts_anonymise(*, client) -> None:
    """A step of ``profiles.services.client_anonymise`` (GDPR erasure): blank the free text
    of this client's aftercare; intensities, dates and outcomes stay for the figures."""
    plans = AftercarePlan.objects.filter(case__client=client)
    plans.update(intensity_reason="")
    CheckIn.objects.filter(plan__in=plans).update(note="")
    Signal.objects.filter(plan__in=plans).update(note="")
    FollowUp.objects.filter(case__client=client).update(note="")
