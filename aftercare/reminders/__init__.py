"""The reminder engine: dates that need watching, and exactly one reminder for each.

A source says which rows are due on or before a horizon and who is responsible; the engine
(``aftercare.reminders.delivery.reminders_run``) turns each row into exactly one reminder per
recipient and level. Adding a source is one ``REMINDER_SOURCES.register(ReminderSource(...))``
call in an app's ``AppConfig.ready()``. Its ``rows`` returns a ``values()`` queryset with
these keys:

- ``pk``           a stable id of the watched object (with ``kind`` and ``r_due`` the key);
- ``r_due``        the date it is due;
- ``r_recipient``  the user id of the responsible worker;
- ``r_org``        the organisation id (its coordinators get the escalation);
- ``r_number``     the client number (the only client detail an e-mail carries);
- ``r_case``       the case it is about (None if none): the bell hides a reminder once its
                   recipient can no longer open that case;
- ``r_ref``        whatever the link needs (e.g. a case reference).

The link is the URL named ``url_name`` with the row's ``url_args`` as its arguments. The
engine never loads the rows: it builds the link in SQL (``url_expression``) and inserts the
reminders with one statement per source and level.

Modules: ``registry`` (the source type and the hook), ``sources`` (the built-in sources,
registered by ``aftercare.apps``), ``ledger`` (due items -> ``Reminder`` rows, exactly once),
``delivery`` (the bell and the e-mail, and the periodic run), ``notifications`` (the bell's
reads and writes).
"""

from aftercare.reminders.registry import (
    REMINDER_SOURCES,
    ROW_KEYS,
    ReminderSource,
    source_for,
    source_label,
    url_expression,
)

__all__ = [
    "REMINDER_SOURCES",
    "ROW_KEYS",
    "ReminderSource",
    "source_for",
    "source_label",
    "url_expression",
]
