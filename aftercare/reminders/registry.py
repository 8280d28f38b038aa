"""The registry of reminder sources and what every source shares (see the package's docstring)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pmw.hooks import Hook

ROW_KEYS = ("pk", "r_due", "r_recipient", "r_org", "r_number", "r_case", "r_ref")


@dataclass(frozen=True)
class ReminderSource:
    kind: str
    label: str | Promise
    rows: Callable[[datetime.date, datetime.date], QuerySet]
    url_name: str
    url_args: tuple[str, ...] = ("r_ref",)
    lead_days: int | None = None  # None: settings.REMINDER_LEAD_DAYS
    escalates: bool = True  # overdue past REMINDER_ESCALATE_AFTER_DAYS -> coordinators


REMINDER_SOURCES: Hook[ReminderSource] = Hook(
    "reminder sources",
    """Dates that need watching. The engine (``ledger.reminders_collect``) asks every source
    for its due rows on each run; ``kind`` names a source and must be unique.""",
)


def source_for(kind: str) -> ReminderSource | None:
    return next((source for source in REMINDER_SOURCES if source.kind == kind), None)


def url_expression(source: ReminderSource):
    """The link of a row, in SQL: the URL reversed once with stand-in arguments (numbers,
    which every path converter here accepts), each stand-in then replaced by its row value."""
    stand_ins = [str(987_654_321 + i) for i in range(len(source.url_args))]
    pieces: list = []
    rest = reverse(source.url_name, args=stand_ins)
    for stand_in, key in zip(stand_ins, source.url_args, strict=True):
        before, found, rest = rest.partition(stand_in)
        if not found:
            raise ValueError(f"{source.url_name}: argument {key} is not in the path")
        pieces += [Value(before), Cast(F(key), CharField())]
    return Concat(*pieces, Value(rest), output_field=CharField())


def source_label(kind: str):
    source = source_for(kind)
    return source.label if source else _("Herinnering")
