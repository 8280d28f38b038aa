import datetime
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from pmw.fields import EncryptedTextField
from pmw.models import Municipality, Organisation


class Gender(models.TextChoices):
    WOMAN = "woman", _("Vrouw")
    MAN = "man", _("Man")
    TRANS_WOMAN = "trans_woman", _("Transgender vrouw")
    TRANS_MAN = "trans_man", _("Transgender man")
    NON_BINARY = "non_binary", _("Non-binair")
    OTHER = "other", _("Anders")
    UNKNOWN = "unknown", _("Onbekend / niet gezegd")


TRANSGENDER = (Gender.TRANS_WOMAN, Gender.TRANS_MAN)


class WorkSector(models.TextChoices):
    WINDOW = "window", _("Raamprostitutie")
    CLUB = "club", _("Club")
    PRIVATE_HOUSE = "private_house", _("Privéhuis")
    ESCORT_AGENCY = "escort_agency", _("Escort via bureau")
    ESCORT_INDEPENDENT = "escort_independent", _("Zelfstandig escort")
    HOME = "home", _("Thuiswerk")
    MASSAGE = "massage", _("(Thaise) massagesalon")
    ONLINE = "online", _("Online / onvergund")
    STREET = "street", _("Straat")
    OTHER = "other", _("Anders")


class Licensing(models.TextChoices):
    LICENSED = "licensed", _("Vergunde sector")
    UNLICENSED = "unlicensed", _("Onvergunde sector")
    BOTH = "both", _("Beide")
    UNKNOWN = "unknown", _("Onbekend")


class HowStarted(models.TextChoices):
    OWN_CHOICE = "own_choice", _("Eigen keuze")
    FINANCIAL = "financial", _("Financiële noodzaak")
    PRESSURE = "pressure", _("Druk van anderen")
    UNKNOWN = "unknown", _("Onbekend / niet besproken")


class Profile(models.TextChoices):
    """The report's three profiles (chapter 4): guidance for the worker, never a label."""

    AUTONOMOUS = "autonomous", _("Praktische vragen bij werkverandering")
    MULTIPLE_NEEDS = "multiple_needs", _("Meervoudige ondersteuningsvraag")
    EXPLOITATION = "exploitation", _("Signalen van uitbuiting — veiligheid voorop")
    UNKNOWN = "unknown", _("Nog niet bekend")


class LivingSituation(models.TextChoices):
    OWN_HOME = "own_home", _("Eigen woning")
    WITH_OTHERS = "with_others", _("Bij partner, familie of vrienden")
    AT_WORK = "at_work", _("Op de werkplek")
    NO_FIXED_ADDRESS = "no_fixed_address", _("Geen vaste woon- of verblijfplaats")
    SHELTER = "shelter", _("Opvang")
    AZC = "azc", _("Azc (asielzoekerscentrum)")
    OTHER = "other", _("Anders")
    UNKNOWN = "unknown", _("Onbekend")


class Talent(models.TextChoices):
    SOCIAL = "social", _("Sociaal")
    NEGOTIATING = "negotiating", _("Onderhandelen")
    SALES = "sales", _("Verkopen")
    SERVICE = "service", _("Servicegericht")
    PERSEVERANCE = "perseverance", _("Doorzettingsvermogen")
    PEOPLE_SKILLS = "people_skills", _("Mensenkennis")
    LANGUAGES = "languages", _("Talen")
    OTHER = "other", _("Anders")


def name_key(name: str) -> str:
    """A working name folded for comparison: no accents, case, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def phone_key(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    # +31 6..., 0031 6... and 06... are the same Dutch number.
    for prefix in ("0031", "31"):
        if digits.startswith(prefix) and len(digits) > 9:
            return "0" + digits[len(prefix) :]
    return digits


class Client(models.Model):
    number = models.CharField(_("cliëntnummer"), max_length=20, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("organisatie"),
    )
    working_name = models.CharField(
        _("werknaam of roepnaam"),
        max_length=100,
        help_text=_("De naam waarmee de persoon aangesproken wil worden."),
    )
    working_name_key = models.CharField(max_length=100, editable=False, db_index=True)
    legal_name = EncryptedTextField(
        _("officiële naam"),
        max_length=150,
        blank=True,
        help_text=_("Alleen als de persoon die wil geven en het werk die nodig heeft."),
    )
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.UNKNOWN
    )
    country_of_origin = CountryField(_("land van herkomst"), blank=True)
    languages = models.CharField(
        _("talen"), max_length=200, blank=True, help_text=_("Bijvoorbeeld: Roemeens, Engels.")
    )
    interpreter_needed = models.BooleanField(_("tolk nodig"), default=False)
    licensing = models.CharField(
        _("vergund of onvergund"),
        max_length=20,
        choices=Licensing.choices,
        default=Licensing.UNKNOWN,
    )
    how_started = models.CharField(
        _("hoe begonnen in het werk"),
        max_length=20,
        choices=HowStarted.choices,
        default=HowStarted.UNKNOWN,
    )
    profile = models.CharField(
        _("werkprofiel (richtlijn voor de PMW'er)"),
        max_length=20,
        choices=Profile.choices,
        default=Profile.UNKNOWN,
    )
    living_situation = models.CharField(
        _("woonsituatie"),
        max_length=20,
        choices=LivingSituation.choices,
        default=LivingSituation.UNKNOWN,
    )
    talents_note = models.TextField(
        _("talenten en krachten (toelichting)"), blank=True, max_length=2000
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("woonplaats (gemeente)"),
    )
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    phone_key = models.CharField(max_length=30, editable=False, blank=True, db_index=True)
    safe_channels = models.CharField(
        _("veilige kanalen"),
        max_length=200,
        blank=True,
        help_text=_("Hoe de persoon veilig bereikt kan worden, bijv. WhatsApp op eigen nummer."),
    )
    safe_times = models.CharField(
        _("veilige momenten"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: doordeweeks tussen 10 en 14 uur."),
    )
    never_use = models.CharField(
        _("nooit gebruiken"),
        max_length=200,
        blank=True,
        help_text=_("Kanalen die niet veilig zijn, bijv. geen post naar het huisadres."),
    )
    safety_flag = models.BooleanField(
        _("veiligheidsmarkering"),
        default=False,
        help_text=_(
            "Extra voorzichtigheid: minderjarig, signalen van uitbuiting of andere "
            "veiligheidszorgen."
        ),
    )
    shelter_location = EncryptedTextField(
        _("verblijfplaats of opvanglocatie"),
        max_length=500,
        blank=True,
        help_text=_(
            "Bij een veiligheidsmarkering alleen zichtbaar voor de vaste hulpverlener en de "
            "coördinator."
        ),
    )
    safety_details = EncryptedTextField(
        _("veiligheidsafspraken"),
        max_length=2000,
        blank=True,
        help_text=_("Bijvoorbeeld: wie niet mag weten waar de persoon verblijft."),
    )
    reflection_period_ends_on = models.DateField(
        _("einde bedenktijd (B8/3)"),
        null=True,
        blank=True,
        help_text=_("Einde van de bedenktijd van maximaal drie maanden, als die is toegekend."),
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    anonymised_at = models.DateTimeField(
        _("geanonimiseerd op"),
        null=True,
        blank=True,
        help_text=_("Identificerende gegevens gewist; gecodeerde velden blijven voor de cijfers."),
    )

    class Meta:
        ordering = ["working_name"]
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        indexes = [
            models.Index(fields=["organisation", "working_name_key"], name="client_org_namekey")
        ]

    def __str__(self):
        return f"{self.working_name} ({self.number})"

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.birth_year:
            # With only a year, assume the birthday is still to come: a person is treated
            # as a minor until they are certainly 18.
            return day.year - self.birth_year - 1
        return None

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_minor(self) -> bool:
        age = self.age
        return age is not None and age < 18

    @property
    def needs_extra_care(self) -> bool:
        """Changes of worker must be avoided for these clients (report, chapter 4)."""
        return self.safety_flag or self.is_minor or self.profile == Profile.EXPLOITATION


class ClientSector(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sectors")
    sector = models.CharField(max_length=30, choices=WorkSector.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "sector"], name="unique_client_sector")
        ]


class ClientTalent(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="talents")
    talent = models.CharField(max_length=30, choices=Talent.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "talent"], name="unique_client_talent")
        ]


class ClientNumberSequence(models.Model):
    """The last client number handed out per year; rows are locked while numbering."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class AccessBlock(models.Model):
    """A named user barred from one client, e.g. a worker who knows the person privately.

    A block overrides every other grant: the fixed-worker role, a share, the coordinator's
    organisation-wide view. The scoping queries exclude blocked clients in SQL.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="access_blocks", verbose_name=_("cliënt")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_blocks",
        verbose_name=_("medewerker"),
    )
    reason = models.CharField(_("reden"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("toegangsblokkade")
        verbose_name_plural = _("toegangsblokkades")
        constraints = [
            models.UniqueConstraint(fields=["client", "user"], name="unique_access_block")
        ]
