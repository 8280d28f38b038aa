"""Delivery of the ledger's reminders: first the bell, then the e-mail, one row at a time.

1. Every pending reminder gets its in-app notification (the bell) first, in batches, with
   the reminder as its unique key: two runs at once insert it once, and a mail server that
   is down never holds the bell back.
2. Then each e-mail on its own: the row is claimed (pending -> sending, with the time) and
   committed right before its send, and marked sent right after. A process that dies
   (``kill -9``, a lost database) strands at most the one e-mail it had in flight. A claim
   older than ``REMINDER_CLAIM_TIMEOUT_SECONDS`` is taken to be such a loss and is sent
   again: that one e-mail may then arrive twice, if the dead process had already handed it
   over. Nothing else is ever sent twice.
3. A send that proves the message did not leave (the connection, the greeting or the login
   failed: everything up to ``connection.open()``) is tried again later, with a growing
   pause, up to ``REMINDER_MAIL_ATTEMPTS`` times; the run then stops e-mailing, since the
   server is down for the rows after it too. A failure once the message was being handed
   over is final (``failed``): it may have arrived.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.models import Notification, Reminder, ReminderRun, ReminderStatus, stale_before
from aftercare.reminders.ledger import reminders_collect

logger = logging.getLogger(__name__)

NOTIFY_BATCH_SIZE = 500
MAX_RETRY_PAUSE = datetime.timedelta(hours=6)


class MailServerUnavailable(Exception):
    """The message never left: no connection, no greeting or no login."""


def _notify_pending() -> None:
    """The bell for every pending reminder that has none yet."""
    while True:
        batch = list(
            Reminder.objects.filter(
                status=ReminderStatus.PENDING, notification__isnull=True
            ).order_by("id")[:NOTIFY_BATCH_SIZE]
        )
        if not batch:
            return
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=r.recipient_id,
                    reminder=r,
                    source=r.source,
                    level=r.level,
                    client_number=r.client_number,
                    case_id=r.case_id,
                    due_on=r.due_on,
                    url=r.url,
                )
                for r in batch
            ],
            ignore_conflicts=True,  # another run at the same moment made it already
        )


def _claimable(now):
    pending = Reminder.objects.filter(status=ReminderStatus.PENDING).exclude(
        next_attempt_at__gt=now
    )
    stale = Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=stale_before(now))
    return pending, stale


def _claim_next() -> Reminder | None:
    """The next e-mail to send, claimed and committed; None when there is nothing to send.

    SKIP LOCKED lets two runs share the work; the compare-and-set UPDATE makes the claim
    safe where row locks do not exist (SQLite)."""
    while True:
        with transaction.atomic():
            now = timezone.now()
            candidate = None
            for rows in _claimable(now):  # two plain index scans instead of one OR
                candidate = (
                    rows.select_for_update(skip_locked=True)
                    .order_by("id")
                    .values("pk", "status", "claimed_at")
                    .first()
                )
                if candidate:
                    break
            if candidate is None:
                return None
            if candidate["status"] == ReminderStatus.SENDING:
                logger.warning("Reminder %s: claim went stale; sending again", candidate["pk"])
            claimed = Reminder.objects.filter(
                pk=candidate["pk"], status=candidate["status"], claimed_at=candidate["claimed_at"]
            ).update(status=ReminderStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if claimed:
            return Reminder.objects.select_related("recipient").get(pk=candidate["pk"])


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


def _send(reminder: Reminder) -> None:
    subject, body = _email_text(reminder)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 — whatever it was, nothing was handed over
        raise MailServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
    try:
        EmailMessage(subject, body, None, [reminder.recipient.email], connection=connection).send()
    finally:
        connection.close()


def _record(reminder: Reminder, **fields) -> None:
    Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENDING).update(**fields)


def _defer(reminder: Reminder, error: str) -> bool:
    """Try again later; False when the attempts are used up (then it failed for good)."""
    if reminder.attempts >= settings.REMINDER_MAIL_ATTEMPTS:
        _record(reminder, status=ReminderStatus.FAILED, error=error[:255])
        return False
    pause = datetime.timedelta(seconds=settings.REMINDER_MAIL_RETRY_SECONDS)
    pause = min(pause * 2 ** (reminder.attempts - 1), MAX_RETRY_PAUSE)
    _record(
        reminder,
        status=ReminderStatus.PENDING,
        next_attempt_at=timezone.now() + pause,
        error=error[:255],
    )
    return True


def reminders_deliver() -> dict[str, int]:
    """The bell for everything pending, then each e-mail on its own (see the module)."""
    counts = {"delivered": 0, "failed": 0, "deferred": 0}
    _notify_pending()
    while (reminder := _claim_next()) is not None:
        recipient = reminder.recipient
        if not recipient.email or not recipient.is_active:
            _record(reminder, status=ReminderStatus.NO_EMAIL)
            counts["delivered"] += 1
            continue
        try:
            _send(reminder)
        except MailServerUnavailable as exc:
            logger.warning("Reminder %s: mail server unavailable: %s", reminder.pk, exc)
            counts["deferred" if _defer(reminder, str(exc)) else "failed"] += 1
            break  # the server is down for the next rows as well: they wait for a later run
        except Exception as exc:  # noqa: BLE001 — handed over (partly): never resend
            logger.warning("Reminder %s: e-mail failed: %s", reminder.pk, type(exc).__name__)
            _record(
                reminder, status=ReminderStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:255]
            )
            counts["failed"] += 1
        else:
            _record(reminder, status=ReminderStatus.SENT, sent_at=timezone.now(), error="")
            counts["delivered"] += 1
    return counts


def _mark_abandoned_runs(now) -> None:
    """A run still unfinished after Celery's hard time limit was killed with its worker."""
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    ReminderRun.objects.filter(
        finished_at__isnull=True, abandoned_at__isnull=True, started_at__lt=now - limit
    ).update(abandoned_at=now)


def reminders_run(*, today: datetime.date | None = None) -> ReminderRun:
    """The periodic job: find what is due, deliver each reminder, leave a heartbeat."""
    run = ReminderRun.objects.create(started_at=timezone.now())
    _mark_abandoned_runs(run.started_at)
    run.created = reminders_collect(today=today or timezone.localdate())
    counts = reminders_deliver()
    run.delivered, run.failed, run.deferred = (
        counts["delivered"],
        counts["failed"],
        counts["deferred"],
    )
    run.finished_at = timezone.now()
    run.save()
    ReminderRun.objects.filter(
        started_at__lt=run.started_at - datetime.timedelta(days=settings.REMINDER_RUNS_KEEP_DAYS)
    ).delete()
    return run
