import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, LifeDomain, Need
from pmw.models import Organisation, Region
from profiles.models import Client


def new_reference() -> str:
    # Not derived from the id: a reference in a URL says nothing about how many rows exist.
    return secrets.token_hex(6)


class PartnerType(models.TextChoices):
    HOUSING = "housing", _("Woningcorporatie")
    SOCIAL_SERVICES = "social_services", _("Gemeentelijke sociale dienst")
    REINTEGRATION = "reintegration", _("Re-integratie")
    DEBT = "debt", _("Schuldhulpverlening")
    MENTAL_HEALTH = "mental_health", _("GGZ")
    ADDICTION = "addiction", _("Verslavingszorg")
    GGD = "ggd", _("GGD")
    POLICE = "police", _("Politie")
    SHELTER = "shelter", _("Opvang")
    COMENSHA = "comensha", _("CoMensha")
    LANGUAGE_TRAINING = "language_training", _("Taal- of opleidingsaanbieder")
    EMPLOYER = "employer", _("Werkgever / werkervaringsplek")
    PEERS = "peers", _("Ervaringsdeskundigen / buddy's")
    MEANING = "meaning", _("Zingeving")
    RETURN = "return", _("Terugkeer / repatriëring")
    PMW = "pmw", _("Andere PMW-organisatie")
    OTHER = "other", _("Anders")


class Partner(models.Model):
    """A partner organisation: shared reference data for the whole installation."""

    name = models.CharField(_("naam"), max_length=150)
    type = models.CharField(_("soort"), max_length=30, choices=PartnerType.choices)
    regions = models.ManyToManyField(
        Region, related_name="partners", verbose_name=_("werkt in de regio's")
    )
    domains = models.ManyToManyField(
        LifeDomain, related_name="partners", verbose_name=_("leefdomeinen")
    )
    sex_work_expertise = models.BooleanField(
        _("heeft kennis van sekswerk"),
        default=False,
        help_text=_("Medewerkers kennen de leefwereld van sekswerkers (een succesfactor)."),
    )
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["is_active", "name"], name="partner_active_name")]

    def __str__(self):
        return self.name


class ContactPerson(models.Model):
    """A fixed contact person (vaste contactpersoon) at a partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("naam"), max_length=150)
    role = models.CharField(_("functie"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vaste contactpersoon")
        verbose_name_plural = _("vaste contactpersonen")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class AgreementKind(models.TextChoices):
    FAST_INCOME = "fast_income", _("Snelle inkomensvoorziening")
    HOUSING_URGENCY = "housing_urgency", _("Urgentieverklaring huisvesting")
    SHELTER_BEFORE_FUNDING = "shelter_before_funding", _("Opvangplek vóór de financiering")
    OTHER = "other", _("Anders")


class CooperationAgreement(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("soort afspraak"), max_length=30, choices=AgreementKind.choices)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)
    text = models.TextField(_("afspraak"), max_length=5000)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("samenwerkingsafspraak")
        verbose_name_plural = _("samenwerkingsafspraken")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="agreement_valid_to_after_from",
            )
        ]

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Consent(models.Model):
    """The client's consent to share data with one partner for one purpose."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="consents", verbose_name=_("ontvanger")
    )
    purpose = models.CharField(_("doel"), max_length=200)
    scope = models.TextField(
        _("welke gegevens"),
        max_length=1000,
        help_text=_(
            "Welke gegevens mogen gedeeld worden, bijvoorbeeld: naam, telefoon, hulpvraag."
        ),
    )
    given_on = models.DateField(_("gegeven op"))
    expires_on = models.DateField(_("geldig tot en met"))
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        indexes = [
            models.Index(fields=["client", "partner"], name="consent_client_partner"),
            models.Index(fields=["expires_on"], name="consent_expires_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given",
            )
        ]

    def is_valid_on(self, day) -> bool:
        return self.given_on <= day <= self.expires_on and (
            self.withdrawn_on is None or self.withdrawn_on > day
        )

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Aangevraagd")
    ASSIGNED = "assigned", _("Goedgekeurd")
    SENT = "sent", _("Verstuurd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    IN_PROGRESS = "in_progress", _("Loopt")
    COMPLETED = "completed", _("Afgerond")
    DECLINED = "declined", _("Afgewezen")
    WAITLISTED = "waitlisted", _("Wachtlijst")
    CANCELLED = "cancelled", _("Geannuleerd")


S = ReferralStatus
# The allowed moves. Everything else is refused with a message.
REFERRAL_TRANSITIONS = {
    S.REQUESTED: (S.ASSIGNED, S.CANCELLED),
    S.ASSIGNED: (S.SENT, S.CANCELLED),
    S.SENT: (S.ACCEPTED, S.DECLINED, S.WAITLISTED, S.CANCELLED),
    S.WAITLISTED: (S.ACCEPTED, S.DECLINED, S.CANCELLED),
    S.ACCEPTED: (S.IN_PROGRESS, S.CANCELLED),
    S.IN_PROGRESS: (S.COMPLETED, S.CANCELLED),
    S.COMPLETED: (),
    S.DECLINED: (),
    S.CANCELLED: (),
}
OPEN_REFERRAL_STATUSES = tuple(s for s, moves in REFERRAL_TRANSITIONS.items() if moves)
# Sent to the partner, no answer yet: the partner's turn.
AWAITING_ANSWER_STATUSES = (S.SENT,)


class Referral(models.Model):
    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("hulpvraag")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner")
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("vaste contactpersoon"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=S.REQUESTED
    )
    warm_handover = models.BooleanField(
        _("warme overdracht"),
        default=False,
        help_text=_("De PMW'er gaat mee naar het eerste gesprek."),
    )
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)
    decline_reason = models.TextField(_("reden van afwijzing"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(_("aangevraagd op"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When the partner got it: the start of "awaiting the partner's answer".
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        indexes = [
            models.Index(fields=["status", "requested_at"], name="referral_status_requested"),
            models.Index(fields=["status", "sent_at"], name="referral_status_sent"),
        ]

    def __str__(self):
        return f"{self.partner} · {self.get_status_display()}"

    @property
    def awaiting_answer_since(self):
        """When the partner got it, while their answer is still outstanding; else None."""
        return self.sent_at if self.status in AWAITING_ANSWER_STATUSES else None

    @property
    def waiting_days(self) -> int:
        """Requested until accepted, or until now while not accepted yet."""
        end = self.accepted_at or self.closed_at or timezone.now()
        return (end - self.requested_at).days

    @property
    def allowed_moves(self):
        return REFERRAL_TRANSITIONS[self.status]


class ReferralEvent(models.Model):
    """Every status change of a referral: who, when, from, to."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referralevent_referral_at")]


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")


class Transfer(models.Model):
    """Overdracht: a case moves to another PMW organisation once that one accepts."""

    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outgoing_transfers"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
        verbose_name=_("naar organisatie"),
    )
    reason = models.TextField(_("reden van overdracht"), max_length=2000)
    consent_given_on = models.DateField(_("toestemming van de cliënt gegeven op"))
    status = models.CharField(
        max_length=20, choices=TransferStatus.choices, default=TransferStatus.PROPOSED
    )
    proposed_at = models.DateTimeField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="proposed"),
                name="one_open_transfer_per_case",
            )
        ]
