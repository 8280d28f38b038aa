"""Outreach registration: the reach that never becomes a case.

A session records where and how workers reached people and how many, in anonymous counts
per target group. No person is recorded and there is no free-text field, so nobody can
write a name or a description of a person into it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmw.models import Municipality, Organisation, Region
from profiles.models import Gender, WorkSector


class OutreachKind(models.TextChoices):
    FIELD_LICENSED = "field_licensed", _("Veldwerk op vergunde locaties")
    FIELD_ONLINE = "field_online", _("Online veldwerk")
    WALK_IN = "walk_in", _("Inloopspreekuur")
    LIVING_ROOM = "living_room", _("Huiskamer")


class LanguageGroup(models.TextChoices):
    DUTCH = "dutch", _("Nederlands")
    ENGLISH = "english", _("Engels")
    CENTRAL_EASTERN_EUROPEAN = "cee", _("Midden- en Oost-Europees (bijv. Roemeens, Bulgaars)")
    SPANISH_PORTUGUESE = "spanish_portuguese", _("Spaans of Portugees")
    THAI_ASIAN = "asian", _("Thai of andere Aziatische taal")
    OTHER = "other", _("Andere taal")
    UNKNOWN = "unknown", _("Onbekend")


class Dimension(models.TextChoices):
    GENDER = "gender", _("Gender")
    SECTOR = "sector", _("Sector")
    LANGUAGE = "language", _("Taalgroep")


UNKNOWN = "unknown"

# The categories counted per dimension; every dimension has an "unknown" category that
# takes whoever was not counted, so each dimension adds up to the people spoken to.
SECTOR_CATEGORIES = [*WorkSector.choices, (UNKNOWN, _("Onbekend"))]
DIMENSION_CATEGORIES = {
    Dimension.GENDER: Gender.choices,
    Dimension.SECTOR: SECTOR_CATEGORIES,
    Dimension.LANGUAGE: LanguageGroup.choices,
}


def new_session_reference() -> str:
    return secrets.token_hex(6)


class OutreachSession(models.Model):
    reference = models.CharField(
        max_length=16, unique=True, default=new_session_reference, editable=False
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="outreach_sessions",
        verbose_name=_("organisatie"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="outreach_sessions", verbose_name=_("regio")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_sessions",
        verbose_name=_("gemeente"),
    )
    held_on = models.DateField(_("datum"))
    kind = models.CharField(_("soort"), max_length=20, choices=OutreachKind.choices)
    with_ggd = models.BooleanField(_("samen met de GGD"), default=False)
    venues_visited = models.PositiveSmallIntegerField(
        _("bezochte locaties"), default=0, help_text=_("Bij veldwerk op vergunde locaties.")
    )
    messages_sent = models.PositiveIntegerField(
        _("verstuurde berichten"), default=0, help_text=_("Bij online veldwerk.")
    )
    replies = models.PositiveIntegerField(
        _("reacties"), default=0, help_text=_("Bij online veldwerk.")
    )
    people_spoken = models.PositiveIntegerField(_("aantal gesproken personen"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("outreach-bijeenkomst")
        verbose_name_plural = _("outreach-bijeenkomsten")
        indexes = [
            models.Index(fields=["organisation", "-held_on"], name="outreach_org_held_on"),
            models.Index(fields=["region", "held_on"], name="outreach_region_held_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(replies__lte=models.F("messages_sent")),
                name="outreach_replies_not_above_messages",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.held_on}"


class OutreachCount(models.Model):
    """How many of the people spoken to in a session fall in one category of one dimension."""

    session = models.ForeignKey(OutreachSession, on_delete=models.CASCADE, related_name="counts")
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    category = models.CharField(max_length=30)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dimension", "category"], name="unique_outreach_count"
            )
        ]
