"""Delivery of the ledger's reminders: the bell in the same transaction as the claim, then
the e-mail (at most once; see ``ledger``), and the periodic run with its heartbeat."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.models import Notification, Reminder, ReminderRun, ReminderStatus
from aftercare.reminders.ledger import reminders_collect

logger = logging.getLogger(__name__)

DELIVERY_BATCH_SIZE = 100


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
