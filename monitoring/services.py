from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from monitoring.models import (
    DIMENSION_CATEGORIES,
    UNKNOWN,
    CaseFigure,
    Dimension,
    OutreachCount,
    OutreachKind,
    OutreachSession,
)
from monitoring.selectors import case_figure_rows_sql

SESSION_FIELDS = (
    "region",
    "municipality",
    "held_on",
    "kind",
    "with_ggd",
    "venues_visited",
    "messages_sent",
    "replies",
    "people_spoken",
)


def count_field_name(dimension: str, category: str) -> str:
    return f"count_{dimension}_{category}"


def _validate(*, organisation, data: dict, counts: dict) -> None:
    errors = {}
    if data["held_on"] > timezone.localdate():
        errors["held_on"] = _("Deze datum ligt in de toekomst.")
    region = data["region"]
    if not organisation.regions.filter(pk=region.pk).exists():
        errors["region"] = _("Uw organisatie werkt niet in deze regio.")
    municipality = data.get("municipality")
    if municipality is not None and municipality.region_id != region.pk:
        errors["municipality"] = _("Deze gemeente hoort niet bij de gekozen regio.")
    if data["kind"] != OutreachKind.FIELD_ONLINE and (data["messages_sent"] or data["replies"]):
        errors["messages_sent"] = _("Berichten en reacties horen bij online veldwerk.")
    if data["replies"] > data["messages_sent"]:
        errors["replies"] = _("Er kunnen niet meer reacties zijn dan verstuurde berichten.")
    for dimension, label in Dimension.choices:
        counted = sum(counts.get(dimension, {}).values())
        if counted > data["people_spoken"]:
            errors.setdefault("people_spoken", []).append(
                _(
                    "De aantallen per %(dimension)s (%(counted)s) zijn samen meer dan het "
                    "aantal gesproken personen."
                )
                % {"dimension": str(label).lower(), "counted": counted}
            )
    if errors:
        raise ValidationError(errors)


def _save_counts(session: OutreachSession, counts: dict) -> None:
    session.counts.all().delete()
    rows = []
    for dimension in Dimension.values:
        given = {
            category: int(counts.get(dimension, {}).get(category) or 0)
            for category, _label in DIMENSION_CATEGORIES[dimension]
            if category != UNKNOWN
        }
        given[UNKNOWN] = session.people_spoken - sum(given.values())
        rows += [
            OutreachCount(session=session, dimension=dimension, category=category, count=n)
            for category, n in given.items()
            if n
        ]
    OutreachCount.objects.bulk_create(rows)


@transaction.atomic
def outreach_session_create(*, by, counts: dict, **data) -> OutreachSession:
    """Log an outreach session with anonymous counts: ``counts[dimension][category] = n``.

    Whoever was not counted in a dimension is counted as "unknown" there, so every
    dimension adds up to the people spoken to.
    """
    _validate(organisation=by.organisation, data=data, counts=counts)
    session = OutreachSession.objects.create(
        organisation=by.organisation,
        created_by=by,
        **{name: data.get(name) for name in SESSION_FIELDS},
    )
    _save_counts(session, counts)
    return session


@transaction.atomic
def outreach_session_update(*, session: OutreachSession, counts: dict, **data) -> OutreachSession:
    _validate(organisation=session.organisation, data=data, counts=counts)
    for name in SESSION_FIELDS:
        setattr(session, name, data.get(name))
    session.save()
    _save_counts(session, counts)
    return session


@transaction.atomic
def outreach_session_delete(*, session: OutreachSession) -> None:
    session.delete()


# -- precomputed figures ---------------------------------------------------------------------

# Cases whose figures are computed in one go; bounded so that a first run over every case
# (after a migration) is a series of modest transactions, and so that the statement's
# parameters (the list of cases, padded to 1,024, in each of the 14 figure queries) stay
# within SQLite's limit of 32,766 and PostgreSQL's of 65,535.
FIGURES_BATCH = 1000


def figures_refresh() -> int:
    """Compute again the ``CaseFigure`` rows of every case marked ``figures_stale``; how many.

    For the periodic task and a selector called on its own (READ COMMITTED): asked first
    outside a transaction, so that when nothing changed that one query is all; then batch by
    batch, each in a transaction of its own. The dashboard does the same inside its snapshot
    (``figures_refresh_in_snapshot``).
    """
    refreshed = 0
    while Case.objects.filter(figures_stale=True).exists():
        with transaction.atomic(savepoint=False):
            claimed = _refresh_batch()
        refreshed += claimed
        if claimed < FIGURES_BATCH:  # the last batch (or another refresh took them)
            return refreshed
    return refreshed


def figures_refresh_in_snapshot() -> int:
    """``figures_refresh`` as the first statements of the caller's REPEATABLE READ
    transaction, so that the figures the caller then reads are those of every write up to
    its snapshot: one statement when nothing changed; when something did, one more per batch
    on PostgreSQL (two on SQLite).

    Safe in one snapshot because a write to a case always updates the case's row (its mark),
    in its own transaction: a case marked after the snapshot is not claimed (its mark stays
    for the next refresh), and a case whose row changed between the snapshot and the claim
    makes the claim fail with a serialization failure (the caller starts again) instead of
    computing from facts older than the mark.
    """
    refreshed = 0
    while (claimed := _refresh_batch()) == FIGURES_BATCH:
        refreshed += claimed
    return refreshed + claimed


def _refresh_batch() -> int:
    """Claim up to ``FIGURES_BATCH`` marked cases and replace their figures, in the
    caller's transaction; how many. Claiming (clearing the mark) locks the case's row until
    the transaction ends, so two refreshes never compute the same case at once, and a write
    to the case in the meantime waits and marks it again. The facts are read by a later
    statement than the claim: under READ COMMITTED that statement's snapshot comes after
    the lock, so it sees every write the claim waited for."""
    cases = Case._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {cases} SET figures_stale = %s "  # noqa: S608 — the model's own table
            f"WHERE figures_stale AND id IN "
            f"(SELECT id FROM {cases} WHERE figures_stale ORDER BY id LIMIT %s) "
            "RETURNING id",
            [False, FIGURES_BATCH],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            _replace_figures(cursor, ids)
    return len(ids)


def figures_rebuild() -> int:
    """Every case's figures from scratch, in one statement: for bulk loads of data, not
    while the site is in use (a case written meanwhile could lose its mark)."""
    with transaction.atomic(), connection.cursor() as cursor:
        CaseFigure.objects.all().delete()
        sql, params = case_figure_rows_sql()
        cursor.execute(f"{_insert_into_figures()} {sql}", params)
        return Case.objects.filter(figures_stale=True).update(figures_stale=False)


def _replace_figures(cursor, case_ids: list[int]) -> None:
    sql, params = case_figure_rows_sql(case_ids)
    if connection.vendor == "postgresql":
        # One statement instead of two: its DELETE and INSERT read the same snapshot, so the
        # DELETE sees only the old rows.
        cursor.execute(
            f"WITH old AS (DELETE FROM {CaseFigure._meta.db_table} "  # noqa: S608
            f"WHERE case_id = ANY(%s)) {_insert_into_figures()} {sql}",
            [case_ids, *params],
        )
    else:
        CaseFigure.objects.filter(case_id__in=case_ids).delete()
        cursor.execute(f"{_insert_into_figures()} {sql}", params)


def _insert_into_figures() -> str:
    columns = ", ".join(CaseFigure._meta.get_field(name).column for name in CaseFigure.FIELDS)
    return f"INSERT INTO {CaseFigure._meta.db_table} ({columns})"  # noqa: S608
