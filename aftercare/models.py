import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Exists, F, OuterRef, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.reminders import source_label
from cases.models import Case, Need
from pmw.models import Role
from profiles.models import AccessBlock, Profile


class Intensity(models.TextChoices):
    NONE = "none", _("Geen nazorg (wens van de cliënt)")
    PASSIVE = "passive", _("Passief: de deur staat open")
    ACTIVE = "active", _("Actief: regelmatig contact zoeken")
    INTENSIVE = "intensive", _("Intensief: vinger aan de pols")


# Days between check-ins suggested per intensity; the worker can choose another interval.
DEFAULT_INTERVAL_DAYS = {
    Intensity.PASSIVE: 90,
    Intensity.ACTIVE: 30,
    Intensity.INTENSIVE: 14,
}

# The report's guidance (chapter 4): autonomous -> passive, multiple needs -> active,
# signs of exploitation -> the most active; unknown profile -> active, to be safe.
SUGGESTED_INTENSITY = {
    Profile.AUTONOMOUS: Intensity.PASSIVE,
    Profile.MULTIPLE_NEEDS: Intensity.ACTIVE,
    Profile.EXPLOITATION: Intensity.INTENSIVE,
    Profile.UNKNOWN: Intensity.ACTIVE,
}


def suggested_intensity(profile: str) -> str:
    return SUGGESTED_INTENSITY.get(profile, Intensity.ACTIVE)


class AftercarePlan(models.Model):
    """One per case, made when the case enters the aftercare phase (``aftercare_start``)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="aftercare_plan", verbose_name=_("traject")
    )
    intensity = models.CharField(_("vorm van nazorg"), max_length=20, choices=Intensity.choices)
    suggested_intensity = models.CharField(
        _("voorgestelde vorm"), max_length=20, choices=Intensity.choices
    )
    intensity_reason = models.TextField(
        _("reden voor een andere vorm dan voorgesteld"), blank=True, max_length=2000
    )
    check_in_interval_days = models.PositiveSmallIntegerField(
        _("dagen tussen contactmomenten"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aftercare_plans",
        verbose_name=_("verantwoordelijke PMW'er"),
    )
    starts_on = models.DateField(_("start nazorg"))
    planned_end_on = models.DateField(_("geplande einddatum"), null=True, blank=True)
    last_check_in_on = models.DateField(_("laatste contactmoment"), null=True, blank=True)
    # Kept by the services (like Case.last_contact_at): the reminder engine filters 50,000
    # plans on it. NULL means "no check-ins expected" (no aftercare wish, or past the end).
    next_check_in_on = models.DateField(
        _("volgend contactmoment"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("nazorgplan")
        verbose_name_plural = _("nazorgplannen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intensity="none", check_in_interval_days__isnull=True)
                | (~models.Q(intensity="none") & models.Q(check_in_interval_days__isnull=False)),
                name="aftercare_interval_matches_intensity",
            ),
        ]

    def __str__(self):
        return f"{self.case.client.number} · {self.get_intensity_display()}"

    @property
    def wants_no_aftercare(self) -> bool:
        return self.intensity == Intensity.NONE

    @property
    def current_responsible(self):
        """Who acts on the plan now; see ``check_in_recipient`` for why it may be the worker."""
        responsible = self.responsible
        if responsible.pk == self.case.worker_id or (
            responsible.role == Role.COORDINATOR
            and responsible.organisation_id == self.case.organisation_id
        ):
            return responsible
        return self.case.worker

    def compute_next_check_in(self) -> datetime.date | None:
        """The next check-in: the interval after the last one (or after a (re)start)."""
        if self.wants_no_aftercare or not self.check_in_interval_days:
            return None
        base = max(filter(None, [self.last_check_in_on, self.starts_on]))
        due = base + datetime.timedelta(days=self.check_in_interval_days)
        if self.planned_end_on and due > self.planned_end_on:
            return None
        return due

    def check_in_state(self, today: datetime.date | None = None) -> str:
        """``overdue``, ``due`` (within the reminder lead time), ``later`` or ``none``."""
        if self.next_check_in_on is None:
            return "none"
        today = today or timezone.localdate()
        if self.next_check_in_on < today:
            return "overdue"
        if self.next_check_in_on <= today + datetime.timedelta(days=settings.REMINDER_LEAD_DAYS):
            return "due"
        return "later"


def check_in_recipient():
    """SQL for who gets a plan's check-in reminders: the responsible person while they can
    open the case (its fixed worker, or a coordinator of the organisation not barred from the
    client), else the case's fixed worker. After a change of worker (cases.case_reassign,
    which knows nothing of aftercare) or a block, reminders follow the case instead of going
    to someone who lost access."""
    barred = AccessBlock.objects.filter(
        client=OuterRef("case__client"), user=OuterRef("responsible")
    )
    return SqlCase(
        When(responsible_id=F("case__worker_id"), then=F("responsible_id")),
        When(
            ~Exists(barred),
            responsible__role=Role.COORDINATOR,
            responsible__organisation_id=F("case__organisation_id"),
            then=F("responsible_id"),
        ),
        default=F("case__worker_id"),
    )


class CheckInKind(models.TextChoices):
    PHONE = "phone", _("Telefonisch")
    CHAT = "chat", _("WhatsApp / chat")
    FACE_TO_FACE = "face_to_face", _("Persoonlijk gesprek")
    HOME_VISIT = "home_visit", _("Huisbezoek")
    CLIENT_CAME_BY = "client_came_by", _("Cliënt kwam zelf langs of belde")
    NOT_REACHED = "not_reached", _("Geprobeerd, niet bereikt")


class CheckInResult(models.TextChoices):
    GOOD = "good", _("Gaat goed")
    SOME_WORRIES = "some_worries", _("Gaat redelijk, wat zorgen")
    WORRYING = "worrying", _("Zorgelijk")
    UNKNOWN = "unknown", _("Niet te zeggen")


class CheckIn(models.Model):
    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="check_ins")
    on = models.DateField(_("datum"))
    kind = models.CharField(_("soort contact"), max_length=20, choices=CheckInKind.choices)
    result = models.CharField(_("hoe gaat het"), max_length=20, choices=CheckInResult.choices)
    note = models.TextField(_("verslag"), blank=True, max_length=5000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["plan", "-on"], name="checkin_plan_on")]


class SignalKind(models.TextChoices):
    LOST_JOB = "lost_job", _("Nieuwe baan kwijtgeraakt")
    MENTAL = "mental", _("Psychische klachten komen terug")
    DEBTS = "debts", _("Oplopende schulden")
    OLD_NETWORK = "old_network", _("Contact door het oude netwerk of een uitbuiter")
    BACK_IN_SEX_WORK = "back_in_sex_work", _("Weer aan het werk in de branche")
    RELATIONSHIP_ENDED = "relationship_ended", _("Relatie verbroken")
    ADDICTION = "addiction", _("Verslaving komt terug")
    OTHER = "other", _("Anders")


# The life domain (cases.LifeDomain.code) in which a signal's need belongs.
SIGNAL_LIFE_DOMAIN = {
    SignalKind.LOST_JOB: "work_income",
    SignalKind.MENTAL: "care_mental",
    SignalKind.DEBTS: "debt",
    SignalKind.OLD_NETWORK: "safety",
    SignalKind.BACK_IN_SEX_WORK: "work_income",
    SignalKind.RELATIONSHIP_ENDED: "norms_network",
    SignalKind.ADDICTION: "care_addiction",
}


class Severity(models.TextChoices):
    LOW = "low", _("Licht: in de gaten houden")
    MEDIUM = "medium", _("Serieus: actie nodig")
    HIGH = "high", _("Ernstig: direct handelen")


class Signal(models.Model):
    plan = models.ForeignKey(AftercarePlan, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(_("signaal"), max_length=30, choices=SignalKind.choices)
    severity = models.CharField(_("ernst"), max_length=10, choices=Severity.choices)
    noted_on = models.DateField(_("opgemerkt op"))
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)
    reopened_case = models.BooleanField(_("traject heropend"), default=False)
    need = models.ForeignKey(
        Need,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hulpvraag"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]
        indexes = [models.Index(fields=["plan", "-noted_on"], name="signal_plan_noted")]


class Situation(models.TextChoices):
    FULLY = "fully", _("Andere dagbesteding: volledig")
    COMBINATION = "combination", _("Andere dagbesteding: combinatie met minder sekswerk")
    BACK_IN_SEX_WORK = "back_in_sex_work", _("Weer (volledig) in de branche")
    UNKNOWN = "unknown", _("Onbekend")
    NOT_REACHABLE = "not_reachable", _("Niet bereikbaar")


class FollowUp(models.Model):
    """A follow-up measurement of the durable result, some months after a case closed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("maanden na afsluiten"))
    due_on = models.DateField(_("gepland op"), db_index=True)
    situation = models.CharField(
        _("situatie nu"), max_length=20, choices=Situation.choices, blank=True
    )
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)
    # Hook for the self-sufficiency scores (issue 3): an assessment may only be taken at a
    # follow-up when the client agrees; see aftercare.services.FOLLOW_UP_RECORDED_STEPS.
    scores_consent = models.BooleanField(
        _("cliënt wil meedoen aan een zelfredzaamheidsmeting"), default=False
    )
    recorded_on = models.DateField(_("vastgelegd op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "months"], name="unique_followup_case_months"),
            models.CheckConstraint(
                condition=models.Q(recorded_on__isnull=True, situation="")
                | (models.Q(recorded_on__isnull=False) & ~models.Q(situation="")),
                name="followup_recorded_has_situation",
            ),
        ]

    @property
    def is_recorded(self) -> bool:
        return self.recorded_on is not None


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Klaar om te versturen")
    SENDING = "sending", _("Wordt verstuurd")
    SENT = "sent", _("Verstuurd")
    NO_EMAIL = "no_email", _("Geen e-mailadres; alleen in de app")
    FAILED = "failed", _("E-mail mislukt; alleen in de app")


class Reminder(models.Model):
    """The delivery ledger: one row per (due item, recipient, level), never two.

    The unique constraint is the exactly-once guarantee for creating reminders; the status
    walk pending -> sending -> sent/failed is the e-mail's (``aftercare.reminders.delivery``).
    """

    LEVEL_WORKER = 0
    LEVEL_COORDINATOR = 1

    source = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    due_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    level = models.PositiveSmallIntegerField(default=LEVEL_WORKER)
    client_number = models.CharField(max_length=20, blank=True)
    # What the link opens; the bell hides the reminder once the recipient cannot open it.
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Tries to hand the e-mail to the mail server; a try that proved the message did not
    # leave (no connection, no greeting, no login) waits until next_attempt_at.
    # A database default: the ledger inserts its rows in SQL (INSERT ... SELECT).
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id", "due_on", "recipient", "level"],
                name="reminder_exactly_once",
            )
        ]
        indexes = [models.Index(fields=["status", "id"], name="reminder_status")]

    def is_stale_claim(self, now=None) -> bool:
        """Claimed for sending longer ago than a send can take: the process that claimed it
        died (or lost its database) before it could record the outcome."""
        return self.status == ReminderStatus.SENDING and self.claimed_at < stale_before(now)


def stale_before(now=None):
    return (now or timezone.now()) - datetime.timedelta(
        seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS
    )


class Notification(models.Model):
    """In-app message (the bell). Text is rendered from ``source`` so it follows the language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.OneToOneField(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )
    source = models.CharField(max_length=40)
    level = models.PositiveSmallIntegerField(default=0)
    client_number = models.CharField(max_length=20, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    @property
    def label(self):
        return source_label(self.source)


class ReminderRun(models.Model):
    """Heartbeat of the reminder task: one row per run (old rows are pruned)."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    deferred = models.PositiveIntegerField(default=0)
    # A run that never finished (its worker was killed) is marked by a later run once it
    # has been running longer than Celery would ever let it.
    abandoned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("herinneringsronde")
        verbose_name_plural = _("herinneringsrondes")
