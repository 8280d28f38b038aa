"""Outreach registration: the reach that never becomes a case.

A session records where and how workers reached people and how many, in anonymous counts
per target group. No person is recorded and there is no free-text field, so nobody can
write a name or a description of a person into it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from partners.models import Partner
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


class Figure(models.TextChoices):
    """What a ``CaseFigure`` row counts (each one a count on the monitoring pages)."""

    NEW_CASE = "new_case"  # category: the case's characteristics, "route|gender|..."
    SECTOR = "sector"  # a new case, once per work sector of the client ("" for none)
    INTAKE = "intake"  # the case's first move beyond the contact phase
    MOVE = "move"  # a phase change, "from>to"
    STAY = "stay"  # a stay in a phase that ended (``duration``), category: the phase
    CLOSURE = "closure"  # "outcome|dropout phase"
    NEED = "need"  # "domain|status|not met reason|helped" by the month it was identified
    REFERRAL = "referral"  # the answer, with ``partner``, by the month it was requested
    FOLLOW_UP = "follow_up"  # "months|situation"
    SIGNAL = "signal"  # the kind of signal
    # Exit scores paired with the first intake's score on the same domain code: ``n`` pairs,
    # ``change`` the summed difference (exit minus intake), category: the domain code.
    SCORE_CHANGE = "change"
    # Values whose median is shown: ``n`` times the time waited (``duration``).
    FIRST_HELP = "first_help"  # a need that got help, by the month it was identified: domain
    WAITED = "waited"  # an accepted referral, with ``partner``, by the month it was requested


class CaseFigure(models.Model):
    """One case's part in the monitoring counts of one month: a precomputed, grouped row.

    The monitoring pages add these up instead of counting the cases' facts again on every
    view. The rows of a case are computed from its facts by ``monitoring.services`` (all of a
    case's rows at once), which every page runs first, in its snapshot, for the cases marked
    ``figures_stale``; so a page never shows a figure older than the facts. The case's
    municipality and organisation are copied here because every count is by region or
    organisation.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    # Both are read together with the figure and month (indexes below), never on their own.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    month = models.DateField()  # the first day of the month
    figure = models.CharField(max_length=10, choices=Figure.choices)
    category = models.CharField(max_length=200, blank=True)
    # Referrals count by the partner's type, which can be edited: kept as the partner.
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    n = models.PositiveIntegerField()
    duration = models.DurationField(null=True)  # stays: summed; time waited: the value
    change = models.IntegerField(null=True)  # score changes: summed

    # The columns of a row, in the order the figure queries give them.
    FIELDS = (
        "case",
        "municipality",
        "organisation",
        "month",
        "figure",
        "category",
        "partner",
        "n",
        "duration",
        "change",
    )

    class Meta:
        indexes = [
            # A national page: one figure over a period; a regional page: in its
            # municipalities; an organisation's page: in its own rows.
            models.Index(fields=["figure", "month"], name="casefigure_figure_month"),
            models.Index(
                fields=["municipality", "figure", "month"], name="casefigure_municipality"
            ),
            models.Index(
                fields=["organisation", "figure", "month"], name="casefigure_organisation"
            ),
        ]
