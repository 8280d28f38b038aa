from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One of the 18 DUUP regions, led by a central municipality."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("regio")
    )
    is_central = models.BooleanField(_("centrumgemeente"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(is_central=True), name="one_central_per_region"
            )
        ]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A PMW organisation; it works in one or more regions."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    regions = models.ManyToManyField(
        Region, related_name="organisations", verbose_name=_("regio's")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    WORKER = "worker", _("PMW'er")
    COORDINATOR = "coordinator", _("Coördinator")
    ORG_ADMIN = "org_admin", _("Beheerder organisatie")
    MUNICIPAL = "municipal", _("Gemeente (beleid)")


ORGANISATION_ROLES = (Role.WORKER, Role.COORDINATOR, Role.ORG_ADMIN)
CASEWORK_ROLES = (Role.WORKER, Role.COORDINATOR)


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisatie"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipal_users",
        verbose_name=_("regio"),
        help_text=_("Alleen voor gemeentelijke medewerkers."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            # Staff of a PMW organisation belong to exactly one organisation, municipal
            # staff to exactly one region; a role without its anchor would see nothing or
            # everything, so the database refuses it.
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in ORGANISATION_ROLES])
                    & Q(organisation__isnull=False)
                    & Q(region__isnull=True)
                )
                | (Q(role=Role.MUNICIPAL) & Q(region__isnull=False) & Q(organisation__isnull=True))
                | (Q(role="") & Q(organisation__isnull=True) & Q(region__isnull=True)),
                name="user_role_matches_anchor",
            )
        ]

    @property
    def is_worker(self):
        return self.role == Role.WORKER

    @property
    def is_coordinator(self):
        return self.role == Role.COORDINATOR

    @property
    def is_municipal(self):
        return self.role == Role.MUNICIPAL

    @property
    def does_casework(self):
        return self.role in CASEWORK_ROLES

    def __str__(self):
        return self.get_full_name() or self.username


class AccessLog(models.Model):
    """Who touched which client record, when and how (NEN 7513 style). Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("inzien")
        SEARCH = "search", _("zoeken")
        CREATE = "create", _("aanmaken")
        UPDATE = "update", _("wijzigen")
        DELETE = "delete", _("verwijderen")
        EXPORT = "export", _("exporteren")
        TRANSFER = "transfer", _("overdragen")
        BREAK_GLASS = "break_glass", _("noodtoegang")
        DENIED = "denied", _("geweigerde toegang")

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("gebruiker")
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150)
    on_behalf_of = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("namens"),
        help_text=_("De vaste hulpverlener, als een collega via een gedeeld traject werkt."),
    )
    role = models.CharField(_("rol"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("handeling"), max_length=20, choices=Action.choices)
    record_type = models.CharField(_("soort gegeven"), max_length=40)
    record_ref = models.CharField(_("kenmerk"), max_length=64, blank=True)
    client_number = models.CharField(_("cliëntnummer"), max_length=20, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True)
    detail = models.CharField(_("toelichting"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        indexes = [
            models.Index(fields=["organisation", "-at"], name="accesslog_org_at"),
            models.Index(fields=["organisation", "username", "-at"], name="accesslog_org_user_at"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Access log entries cannot be deleted.")


class LoginEvent(models.Model):
    """Every login attempt and its outcome, with the factor used. Append-only like AccessLog."""

    class Factor(models.TextChoices):
        PASSWORD = "password", _("wachtwoord")
        TOTP = "totp", _("authenticator-app")
        BACKUP_CODE = "backup_code", _("back-upcode")

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("gebruiker")
    )
    username = models.CharField(_("opgegeven gebruikersnaam"), max_length=150)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    factor = models.CharField(_("factor"), max_length=20, choices=Factor.choices)
    success = models.BooleanField(_("gelukt"))
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True)
    detail = models.CharField(_("toelichting"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("inlogpoging")
        verbose_name_plural = _("inlogpogingen")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Login events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Login events cannot be deleted.")
