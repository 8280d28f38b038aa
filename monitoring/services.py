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

    Claiming a case (clearing its mark) locks its row until the new rows are in, so two
    refreshes never compute the same case at once, and a write to the case in the meantime
    waits and marks it again. Every monitoring page runs this before it reads; it costs one
    query when nothing changed, four when something did.
    """
    cases = Case._meta.db_table
    refreshed = 0
    # Asked first outside a transaction: when nothing changed (most page views) that is all.
    while Case.objects.filter(figures_stale=True).exists():
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {cases} SET figures_stale = %s "  # noqa: S608 — the model's own table
                f"WHERE figures_stale AND id IN "
                f"(SELECT id FROM {cases} WHERE figures_stale ORDER BY id LIMIT %s) "
                "RETURNING id",
                [False, FIGURES_BATCH],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:  # another refresh claimed them in the meantime
                return refreshed
            CaseFigure.objects.filter(case_id__in=ids).delete()
            _insert_figures(cursor, case_figure_rows_sql(ids))
        refreshed += len(ids)
        if len(ids) < FIGURES_BATCH:
            return refreshed
    return refreshed


def figures_rebuild() -> int:
    """Every case's figures from scratch, in one statement: for bulk loads of data, not
    while the site is in use (a case written meanwhile could lose its mark)."""
    with transaction.atomic(), connection.cursor() as cursor:
        CaseFigure.objects.all().delete()
        _insert_figures(cursor, case_figure_rows_sql())
        return Case.objects.filter(figures_stale=True).update(figures_stale=False)


def _insert_figures(cursor, rows_sql) -> None:
    sql, params = rows_sql
    columns = ", ".join(CaseFigure._meta.get_field(name).column for name in CaseFigure.FIELDS)
    cursor.execute(f"INSERT INTO {CaseFigure._meta.db_table} ({columns}) {sql}", params)  # noqa: S608
