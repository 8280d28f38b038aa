import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pmw.fields import EncryptedTextField
from pmw.models import Organisation
from profiles.models import Client


class LifeDomain(models.Model):
    """Reference data. Analytics group on ``code`` for years: a code never changes meaning."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("naam (Nederlands)"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100)
    description_nl = models.TextField(_("omschrijving (Nederlands)"), blank=True)
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("leefdomein")
        verbose_name_plural = _("leefdomeinen")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class Phase(models.TextChoices):
    CONTACT = "contact", _("Contactfase")
    ORIENTATION = "orientation", _("Oriëntatiefase")
    EXECUTION = "execution", _("Uitvoeringsfase")
    AFTERCARE = "aftercare", _("Nazorgfase")


PHASE_ORDER = [Phase.CONTACT, Phase.ORIENTATION, Phase.EXECUTION, Phase.AFTERCARE]


class ContactRoute(models.TextChoices):
    GGD = "ggd", _("Via de GGD (soa-poli)")
    POLICE = "police", _("Via politie of handhaving (boa) na een controle")
    CARE_ORG = "care_org", _("Via een andere zorg- of hulporganisatie")
    FIELD_OFFLINE = "field_offline", _("Veldwerk op vergunde locaties")
    FIELD_ONLINE = "field_online", _("Online veldwerk")
    PEERS = "peers", _("Via andere sekswerkers of vrienden")
    WALK_IN = "walk_in", _("Inloopspreekuur of huiskamer")
    SELF = "self", _("Zelf aangemeld")
    OTHER = "other", _("Anders")


class StopReason(models.TextChoices):
    FALLING_INCOME = "falling_income", _("Teruglopende inkomsten")
    DEBTS = "debts", _("Financiële problemen en schulden")
    NO_PERSPECTIVE = "no_perspective", _("Gebrek aan toekomstperspectief")
    GOALS_REACHED = "goals_reached", _("Doelen bereikt")
    MENTAL = "mental", _("Toenemende psychische klachten")
    PHYSICAL = "physical", _("Toenemende lichamelijke klachten")
    ADDICTION = "addiction", _("Middelengebruik of verslaving")
    AFTER_EXPLOITATION = "after_exploitation", _("Na een uitbuitingssituatie (aangifte)")
    RELATIONSHIP = "relationship", _("Een relatie")
    PREGNANCY = "pregnancy", _("Zwangerschap")
    BAD_EXPERIENCE = "bad_experience", _("Een slechte ervaring met een klant")
    CONTROL = "control", _("Een controle door politie of gemeente")
    SECTOR_CLOSED = "sector_closed", _("Sluiting van de branche")
    OTHER = "other", _("Anders")


DIRECT_TRIGGERS = (
    StopReason.RELATIONSHIP,
    StopReason.PREGNANCY,
    StopReason.BAD_EXPERIENCE,
    StopReason.CONTROL,
    StopReason.SECTOR_CLOSED,
)


class Outcome(models.TextChoices):
    FULLY_STOPPED = "fully_stopped", _("Andere dagbesteding: volledig gestopt")
    COMBINATION = "combination", _("Andere dagbesteding: minder sekswerk en ander inkomen")
    CONTINUES = "continues", _("Gaat door met sekswerk")
    DROPPED_OUT = "dropped_out", _("Uitgevallen")
    TRANSFERRED = "transferred", _("Overgedragen")
    MOVED_AWAY = "moved_away", _("Verhuisd")
    OTHER = "other", _("Anders")


ANOTHER_DAY_STRUCTURE = (Outcome.FULLY_STOPPED, Outcome.COMBINATION)


def new_case_reference() -> str:
    # Not derived from the id: a reference in a URL says nothing about how many cases exist.
    return secrets.token_hex(6)


class Case(models.Model):
    """A trajectory (traject) of one client with one PMW organisation."""

    reference = models.CharField(
        max_length=16, unique=True, default=new_case_reference, editable=False
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="cases", verbose_name=_("cliënt")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisatie")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("vaste hulpverlener"),
    )
    contact_route = models.CharField(
        _("hoe in contact gekomen"), max_length=20, choices=ContactRoute.choices
    )
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices, default=Phase.CONTACT)
    # The client's municipality, kept with the case (the client services keep it in step):
    # the monitoring counts find a case's region here instead of through every client.
    municipality = models.ForeignKey(
        "pmw.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,  # the index below starts with it
    )
    opened_on = models.DateField(_("gestart op"))
    # Set by every write to what the monitoring counts (the case, its client, its phase
    # history, needs, referrals, follow-ups, signals); cleared when the monitoring figures of
    # the case have been computed again. A new case has none yet.
    figures_stale = models.BooleanField(default=True, editable=False)
    last_contact_at = models.DateTimeField(_("laatste contact"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    outcome = models.CharField(_("resultaat"), max_length=20, choices=Outcome.choices, blank=True)
    dropout_phase = models.CharField(
        _("uitgevallen in fase"), max_length=20, choices=Phase.choices, blank=True
    )
    closing_note = models.TextField(_("toelichting bij afsluiten"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        indexes = [
            # The caseload: a worker's (or an organisation's) open cases by last contact.
            models.Index(
                fields=["worker", "closed_on", "-last_contact_at"], name="case_worker_caseload"
            ),
            models.Index(
                fields=["organisation", "closed_on", "-last_contact_at"], name="case_org_caseload"
            ),
            # Monitoring: cases opened or closed in a period.
            models.Index(fields=["opened_on"], name="case_opened_on"),
            models.Index(fields=["closed_on"], name="case_closed_on"),
            # Monitoring: a region's cases, read from the index alone when joined by id.
            models.Index(fields=["municipality", "id"], name="case_municipality"),
            # Monitoring: the few cases whose figures must be computed again.
            models.Index(
                fields=["id"], condition=models.Q(figures_stale=True), name="case_figures_stale"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, outcome="")
                | models.Q(closed_on__isnull=False) & ~models.Q(outcome=""),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.client.working_name} · {self.get_phase_display()}"

    PHASE_CHOICES = Phase.choices

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseStopReason(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stop_reasons")
    reason = models.CharField(max_length=30, choices=StopReason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "reason"], name="unique_case_stop_reason")
        ]


class PhaseChange(models.Model):
    """The full phase history; the first row of a case has no ``from_phase``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(_("van"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("naar"), max_length=20, choices=Phase.choices)
    at = models.DateTimeField(_("wanneer"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="phasechange_case_at"),
            models.Index(fields=["at"], name="phasechange_at"),  # monitoring: moves in a period
        ]

    @property
    def is_backward(self) -> bool:
        return bool(self.from_phase) and (
            PHASE_ORDER.index(self.to_phase) < PHASE_ORDER.index(self.from_phase)
        )


class WorkerChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="worker_changes")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)

    class Meta:
        ordering = ["at", "id"]


class ContactKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Persoonlijk gesprek")
    PHONE = "phone", _("Telefonisch")
    CHAT = "chat", _("WhatsApp / chat")
    HOME_VISIT = "home_visit", _("Huisbezoek")
    ACCOMPANYING = "accompanying", _("Begeleiding naar afspraak")
    OUTREACH = "outreach", _("Veldwerk")
    WALK_IN = "walk_in", _("Inloop")


class ContactMoment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_moments")
    at = models.DateTimeField(_("datum en tijd"))
    kind = models.CharField(_("soort contact"), max_length=20, choices=ContactKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duur (minuten)"), validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    note = EncryptedTextField(_("verslag"), max_length=5000, blank=True)
    domains = models.ManyToManyField(
        LifeDomain, blank=True, related_name="+", verbose_name=_("besproken leefdomeinen")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "-at"], name="contactmoment_case_at")]


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Mee bezig")
    MET = "met", _("Beantwoord")
    NOT_MET = "not_met", _("Niet beantwoord")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("Niet meer van toepassing")


CLOSED_NEED_STATUSES = (NeedStatus.MET, NeedStatus.NOT_MET, NeedStatus.NO_LONGER_RELEVANT)


class NotMetReason(models.TextChoices):
    NO_PARTNER = "no_partner", _("Geen partner in de regio")
    WAITING_LIST = "waiting_list", _("Wachtlijst")
    NO_FUNDING = "no_funding", _("Geen financiering")
    CLIENT_WITHDREW = "client_withdrew", _("Cliënt zag ervan af")
    OTHER = "other", _("Anders")


class NeedPriority(models.TextChoices):
    HIGH = "high", _("Hoog")
    NORMAL = "normal", _("Normaal")
    LOW = "low", _("Laag")


class AnsweredBy(models.TextChoices):
    PMW = "pmw", _("De PMW'er zelf")
    PARTNER = "partner", _("Een partner (via verwijzing)")


class Need(models.Model):
    """One need in the support plan, in one life domain."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, related_name="needs", verbose_name=_("leefdomein")
    )
    description = models.TextField(
        _("hulpvraag in eigen woorden"),
        max_length=2000,
        help_text=_("Zoveel mogelijk in de woorden van de cliënt."),
    )
    priority = models.CharField(
        _("prioriteit"), max_length=10, choices=NeedPriority.choices, default=NeedPriority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    not_met_reason = models.CharField(
        _("reden niet beantwoord"), max_length=20, choices=NotMetReason.choices, blank=True
    )
    answered_by = models.CharField(
        _("wie pakt het op"), max_length=10, choices=AnsweredBy.choices, default=AnsweredBy.PMW
    )
    identified_on = models.DateField(_("vastgesteld op"))
    first_help_on = models.DateField(_("eerste concrete hulp op"), null=True, blank=True)
    closed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["status", "-identified_on", "id"]
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        indexes = [models.Index(fields=["case", "status"], name="need_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="not_met") | ~models.Q(not_met_reason=""),
                name="need_not_met_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.domain}: {self.description[:40]}"

    @property
    def days_to_first_help(self) -> int | None:
        if self.first_help_on is None:
            return None
        return (self.first_help_on - self.identified_on).days


class CaseShare(models.Model):
    """A case shared with a colleague for a while, e.g. to cover a holiday.

    A small model instead of a django-guardian object permission: the grant needs an end
    date and a read/write distinction, and the scoping query needs both in one ``Exists``
    subquery. With guardian the expiry would live in a second table that must be kept in
    step with guardian's own rows.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_shares",
        verbose_name=_("collega"),
    )
    can_write = models.BooleanField(_("mag ook vastleggen en wijzigen"), default=False)
    expires_on = models.DateField(_("gedeeld tot en met"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["expires_on"]
        verbose_name = _("gedeeld traject")
        verbose_name_plural = _("gedeelde trajecten")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_share")]
        indexes = [models.Index(fields=["user", "expires_on"], name="caseshare_user_expires")]

    @property
    def is_active(self) -> bool:
        return self.expires_on >= timezone.localdate()


class MatrixVersion(models.Model):
    """A version of the self-sufficiency matrix; every assessment keeps the version it used."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    is_current = models.BooleanField(
        _("standaard voor nieuwe metingen"),
        default=False,
        help_text=_("Nieuwe metingen gebruiken deze versie."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("versie zelfredzaamheidsmatrix")
        verbose_name_plural = _("versies zelfredzaamheidsmatrix")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_matrix_version",
            )
        ]

    def __str__(self):
        return self.name


class AssessmentDomain(models.Model):
    """One domain of one matrix version, with its own short description (editable in admin)."""

    version = models.ForeignKey(
        MatrixVersion, on_delete=models.PROTECT, related_name="domains", verbose_name=_("versie")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True, max_length=1000)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("domein zelfredzaamheid")
        verbose_name_plural = _("domeinen zelfredzaamheid")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="unique_assessment_domain_code"
            )
        ]

    def __str__(self):
        return self.name


class AssessmentKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    REVIEW = "review", _("Tussenevaluatie")
    EXIT = "exit", _("Afsluiting")
    FOLLOW_UP = "follow_up", _("Vervolgmeting na afsluiting")


class Score(models.IntegerChoices):
    ACUTE = 1, _("1 · acute problematiek")
    NOT_SELF_SUFFICIENT = 2, _("2 · niet zelfredzaam")
    PARTLY = 3, _("3 · beperkt zelfredzaam")
    SUFFICIENT = 4, _("4 · voldoende zelfredzaam")
    FULLY = 5, _("5 · volledig zelfredzaam")


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("soort meting"), max_length=20, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("datum"))
    version = models.ForeignKey(
        MatrixVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("versie")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("zelfredzaamheidsmeting")
        verbose_name_plural = _("zelfredzaamheidsmetingen")
        indexes = [
            models.Index(fields=["case", "assessed_on"], name="assessment_case_on"),
            # Monitoring: the exit assessments of a period.
            models.Index(fields=["kind", "assessed_on"], name="assessment_kind_on"),
        ]


class AssessmentScore(models.Model):
    """A score 1-5; no row (or a null score) means the domain was not discussed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.ForeignKey(AssessmentDomain, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="unique_assessment_score_domain"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="assessment_score_1_to_5",
            ),
        ]
