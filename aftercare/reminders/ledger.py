"""Due items -> ``Reminder`` rows: the ledger that makes every reminder exactly once.

Every due item becomes one Reminder row per recipient and level, inserted with ON CONFLICT
DO NOTHING against the unique constraint (source, object_id, due_on, recipient, level). Two
runs at once, or a rerun, insert nothing new: the database decides, not the code. What
happens to a row then (the bell, the e-mail) is ``delivery``'s.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import CharField, DateTimeField, Exists, F, IntegerField, OuterRef, Value
from django.db.models.constants import OnConflict
from django.db.models.functions import Coalesce
from django.utils import timezone

from aftercare.models import Reminder, ReminderStatus
from aftercare.reminders.registry import REMINDER_SOURCES, url_expression
from pmw.models import Role, User
from profiles.models import AccessBlock, Client


def _not_yet_reminded(source, rows, level: int):
    """Only the rows still owed a reminder at this level for their due date. Without this,
    every run would offer the whole overdue backlog to the ledger again, to be refused row
    by row."""
    reminded = Reminder.objects.filter(
        source=source.kind, object_id=OuterRef("pk"), due_on=OuterRef("r_due"), level=level
    )
    return rows.filter(~Exists(reminded))


# The ledger's columns, and what each is in the select of ``_as_reminders`` (alias r).
LEDGER = {
    "source": "r.i_source",
    "object_id": "r.i_object",
    "due_on": "r.r_due",
    "recipient": None,  # the worker (r.r_recipient), or a coordinator
    "level": "r.i_level",
    "client_number": "r.i_number",
    "case": "r.r_case",
    "url": "r.i_url",
    "status": "r.i_status",
    "created_at": "r.i_created",
    "error": "r.i_error",
}


def _as_reminders(source, rows, level: int) -> tuple[str, tuple]:
    """SQL for the rows as the ledger's columns (``LEDGER``), with the worker and the
    organisation for the escalation's join."""
    rows = rows.annotate(
        i_source=Value(source.kind, output_field=CharField()),
        i_object=F("pk"),
        i_level=Value(level, output_field=IntegerField()),
        i_number=Coalesce("r_number", Value(""), output_field=CharField()),
        i_url=url_expression(source),
        i_status=Value(ReminderStatus.PENDING, output_field=CharField()),
        i_created=Value(timezone.now(), output_field=DateTimeField()),
        i_error=Value("", output_field=CharField()),
    )
    selected = [column.removeprefix("r.") for column in LEDGER.values() if column]
    return rows.values(*selected, "r_recipient", "r_org").query.sql_with_params()


def _insert_reminders(rows_sql: str, params, recipient: str, join: str = "") -> int:
    """INSERT ... SELECT into the ledger; a row it holds already is left alone (the unique
    constraint decides, also between two runs at once). Returns how many it inserted."""
    ops = connection.ops
    fields = [Reminder._meta.get_field(name) for name in LEDGER]
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    values = ", ".join(value or recipient for value in LEDGER.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} "  # noqa: S608 — our own SQL
            f"{ops.quote_name(Reminder._meta.db_table)} ({columns}) "
            f"SELECT {values} FROM ({rows_sql}) r {join} "
            f"{ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)}",
            params,
        )
        return cursor.rowcount


def reminders_collect(*, today: datetime.date) -> int:
    """Insert a Reminder row for everything due soon or overdue (idempotent); returns how
    many rows this call inserted (not those another run inserted at the same time).

    Per source one INSERT ... SELECT for the responsible workers and, for items overdue past
    REMINDER_ESCALATE_AFTER_DAYS, one for the coordinators of the organisation (those there
    are when it escalates; not the one who is the worker already). The rows never pass
    through Python, so a run's memory does not grow with them."""
    escalate_from = today - datetime.timedelta(days=settings.REMINDER_ESCALATE_AFTER_DAYS)
    created = 0
    for source in REMINDER_SOURCES:
        lead = settings.REMINDER_LEAD_DAYS if source.lead_days is None else source.lead_days
        rows = source.rows(today, today + datetime.timedelta(days=lead))
        # A row without a recipient (nobody who may still open the case) only escalates.
        owed = _not_yet_reminded(source, rows, Reminder.LEVEL_WORKER).filter(
            r_recipient__isnull=False
        )
        created += _insert_reminders(
            *_as_reminders(source, owed, Reminder.LEVEL_WORKER), "r.r_recipient"
        )
        if not source.escalates:
            continue
        overdue = rows.filter(r_due__lt=escalate_from)
        sql, params = _as_reminders(
            source,
            _not_yet_reminded(source, overdue, Reminder.LEVEL_COORDINATOR),
            Reminder.LEVEL_COORDINATOR,
        )
        ops = connection.ops
        coordinators = (
            f"JOIN {ops.quote_name(User._meta.db_table)} u "  # noqa: S608 — our own SQL
            "ON u.organisation_id = r.r_org AND u.role = %s AND u.is_active "
            "AND (r.r_recipient IS NULL OR u.id <> r.r_recipient) "
            # Not those barred from the client: the reminder names the client.
            f"AND NOT EXISTS (SELECT 1 FROM {ops.quote_name(AccessBlock._meta.db_table)} b "
            f"JOIN {ops.quote_name(Client._meta.db_table)} c ON c.id = b.client_id "
            "WHERE b.user_id = u.id AND c.number = r.i_number)"
        )
        created += _insert_reminders(sql, (*params, Role.COORDINATOR), "u.id", coordinators)
    return created
