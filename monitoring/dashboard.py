"""The monitoring pages as sections of suppressed tables.

A section is a function ``(scope, ctx) -> Section``: it asks selectors for counts and
registers tables with the page's one ``Disclosure``. ``SECTIONS`` lists them in page order;
a new indicator (needs, referrals, aftercare, time to first help, durable results) is a new
selector plus a new section function appended here and, if it needs a picture, a partial.
The page and every CSV file are built by ``build_dashboard``, so they always show the same,
equally suppressed numbers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from cases.models import PHASE_ORDER, ContactRoute, Outcome, Phase
from monitoring import selectors
from monitoring.disclosure import TOTAL, Disclosure, Table
from monitoring.models import DIMENSION_CATEGORIES, Dimension, OutreachKind
from pmw.models import Municipality, Region
from profiles.models import Gender, Licensing, LivingSituation, WorkSector

N = "n"


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    partial: str = ""  # an extra template (a picture) shown above the tables
    extra: dict = field(default_factory=dict)
    # Runs once the page's numbers are protected: what a picture shows must be suppressed too.
    finish: Callable[[], None] | None = None


@dataclass
class Context:
    """What every section gets: the scope, the page's disclosure, the rows to show."""

    scope: selectors.Scope
    disclosure: Disclosure
    regions: list[tuple[str, str]]  # national page: (code, name) of every region
    municipalities: list[tuple[str, str]]  # regional page: (name, label) in the region
    tables: dict[str, Table] = field(default_factory=dict)

    def breakdown(
        self,
        key: str,
        title: str,
        counts: dict,
        categories,
        *,
        total: str | None = None,
        additive: bool = True,
        chart: bool = True,
        description: str = "",
        row_heading: str = "",
    ) -> Table:
        """Counts by one characteristic: a column of categories on a regional page, a
        region-by-category grid on the national page. ``total`` names the shared total."""
        categories = [(str(c), str(label)) for c, label in categories]
        d = self.disclosure
        if not self.scope.national:
            aliases = {(TOTAL, N): total} if total and additive else {}
            table = d.table(
                key,
                title,
                categories,
                [(N, _("Aantal"))],
                {(c, N): counts.get(("", c), 0) for c, _label in categories},
                additive=additive,
                percentages=additive,
                aliases=aliases,
                chart=chart,
                description=description,
                row_heading=row_heading,
                total_label=_("Totaal"),
            )
        else:
            aliases = {}
            if total and additive:
                aliases[(TOTAL, TOTAL)] = total
                aliases.update({(code, TOTAL): f"{total}@{code}" for code, _n in self.regions})
            table = d.table(
                key,
                title,
                self.regions,
                categories,
                {
                    (code, c): counts.get((code, c), 0)
                    for code, _name in self.regions
                    for c, _label in categories
                },
                row_totals=additive,
                column_totals=additive,
                additive=additive,
                aliases=aliases,
                description=description,
                row_heading=_("Regio"),
                total_label=_("Totaal"),
            )
        self.tables[key] = table
        return table

    def cell(self, table: Table, category: str, region_code: str = "") -> str:
        """The variable of one category in a breakdown (for a region on the national page)."""
        if self.scope.national:
            return table.var(region_code, category)
        return table.var(category, N)


# -- sections --------------------------------------------------------------------------------


def outreach_section(scope, ctx: Context) -> Section:
    section = Section(
        "outreach",
        _("Bereik: outreach"),
        _(
            "Veldwerk, online veldwerk, inloop en huiskamer: hoe vaak, en hoeveel mensen "
            "gesproken. Anonieme aantallen; er wordt geen persoon vastgelegd."
        ),
    )
    by_kind = selectors.outreach_by_kind(scope)
    kinds = OutreachKind.choices
    section.tables.append(
        ctx.breakdown(
            "outreach_sessions",
            _("Outreach-bijeenkomsten per soort"),
            by_kind["sessions"],
            kinds,
            total="outreach_sessions",
        )
    )
    section.tables.append(
        ctx.breakdown(
            "outreach_people",
            _("Gesproken personen per soort outreach"),
            by_kind["people"],
            kinds,
            total="outreach_people",
        )
    )
    online = OutreachKind.FIELD_ONLINE.value
    licensed = OutreachKind.FIELD_LICENSED.value
    section.tables.append(
        ctx.breakdown(
            "outreach_activity",
            _("Online berichten en veldwerk met de GGD"),
            {
                **{(r, "messages"): n for (r, k), n in by_kind["messages"].items() if k == online},
                **{(r, "replies"): n for (r, k), n in by_kind["replies"].items() if k == online},
                **{
                    (r, "with_ggd"): n for (r, k), n in by_kind["with_ggd"].items() if k == licensed
                },
            },
            [
                ("messages", _("Verstuurde berichten (online)")),
                ("replies", _("Reacties (online)")),
                ("with_ggd", _("Veldwerkbezoeken samen met de GGD")),
            ],
            additive=False,
            chart=False,
        )
    )
    if not scope.national:
        by_municipality = selectors.outreach_by_municipality(scope)
        rows = [*ctx.municipalities, ("", _("Gemeente niet vastgelegd"))]
        table = ctx.disclosure.table(
            "outreach_municipality",
            _("Outreach per gemeente"),
            rows,
            [("sessions", _("Bijeenkomsten")), ("people", _("Gesproken personen"))],
            {
                **{(m, "sessions"): n for (_r, m), n in by_municipality["sessions"].items()},
                **{(m, "people"): n for (_r, m), n in by_municipality["people"].items()},
            },
            aliases={
                (TOTAL, "sessions"): "outreach_sessions",
                (TOTAL, "people"): "outreach_people",
            },
            row_heading=_("Gemeente"),
            total_label=_("Totaal"),
        )
        ctx.tables[table.key] = table
        section.tables.append(table)
    groups = selectors.outreach_people_by_group(scope)
    titles = {
        Dimension.GENDER: _("Gesproken personen naar gender"),
        Dimension.SECTOR: _("Gesproken personen naar sector"),
        Dimension.LANGUAGE: _("Gesproken personen naar taalgroep"),
    }
    for dimension in Dimension.values:
        section.tables.append(
            ctx.breakdown(
                f"outreach_{dimension}",
                titles[dimension],
                groups.get(dimension, {}),
                DIMENSION_CATEGORIES[dimension],
                total="outreach_people",
            )
        )
    return section


UNDER_REACHED = [
    ("male", _("Mannen")),
    ("transgender", _("Transgender personen")),
    ("unlicensed", _("Onvergunde sector")),
    ("escort_agency", _("Escort via bureau")),
    ("massage", _("(Thaise) massagesalon")),
    ("minor", _("Minderjarig bij start")),
    ("azc", _("Wonend in een azc")),
]

AGE_BAND_LABELS = [
    ("minor", _("Jonger dan 18")),
    ("18_22", _("18 tot en met 22")),
    ("23_29", _("23 tot en met 29")),
    ("30_39", _("30 tot en met 39")),
    ("40_49", _("40 tot en met 49")),
    ("50_plus", _("50 of ouder")),
    ("unknown", _("Onbekend")),
]


def reach_section(scope, ctx: Context) -> Section:
    section = Section(
        "reach",
        _("Bereik: nieuwe trajecten"),
        _(
            "Nieuwe trajecten (gestart in de periode) en intakes, naar kenmerken van de "
            "cliënt bij de start. Geteld in de regio van de woonplaats van de cliënt."
        ),
    )
    d = ctx.disclosure
    if not scope.national:
        new = selectors.new_cases_by(scope, "municipality")
        intakes = selectors.intakes_by_municipality(scope)
        table = d.table(
            "new_by_municipality",
            _("Nieuwe trajecten en intakes per gemeente"),
            ctx.municipalities,
            [("new", _("Nieuwe trajecten")), ("intakes", _("Intakes"))],
            {
                **{(m, "new"): n for (_r, m), n in new.items()},
                **{(m, "intakes"): n for (_r, m), n in intakes.items()},
            },
            aliases={(TOTAL, "new"): "new_cases", (TOTAL, "intakes"): "intakes"},
            row_heading=_("Gemeente"),
            total_label=_("Totaal"),
            description=_("Worden de omliggende gemeenten bereikt, of vooral de centrumgemeente?"),
        )
        ctx.tables[table.key] = table
        section.tables.append(table)
    else:
        new_totals = selectors.intakes_by_municipality(scope)
        section.tables.append(
            ctx.breakdown(
                "intakes",
                _("Intakes per regio"),
                new_totals,
                [("intakes", _("Intakes"))],
                total="intakes",
                chart=False,
            )
        )
    route = ctx.breakdown(
        "new_by_route",
        _("Nieuwe trajecten naar contactroute"),
        selectors.new_cases_by(scope, "contact_route"),
        ContactRoute.choices,
        total="new_cases",
    )
    gender = ctx.breakdown(
        "new_by_gender",
        _("Nieuwe trajecten naar gender"),
        selectors.new_cases_by(scope, "gender"),
        Gender.choices,
        total="new_cases",
    )
    age = ctx.breakdown(
        "new_by_age",
        _("Nieuwe trajecten naar leeftijd bij de start"),
        selectors.new_cases_by(scope, "age_band"),
        AGE_BAND_LABELS,
        total="new_cases",
    )
    licensing = ctx.breakdown(
        "new_by_licensing",
        _("Nieuwe trajecten: vergunde of onvergunde sector"),
        selectors.new_cases_by(scope, "licensing"),
        Licensing.choices,
        total="new_cases",
    )
    sector = ctx.breakdown(
        "new_by_sector",
        _("Nieuwe trajecten naar werksector"),
        selectors.new_cases_by(scope, "sector"),
        WorkSector.choices,
        additive=False,
        description=_("Iemand kan in meer sectoren werken: de rijen tellen niet op."),
    )
    living = ctx.breakdown(
        "new_by_living",
        _("Nieuwe trajecten naar woonsituatie"),
        selectors.new_cases_by(scope, "living_situation"),
        LivingSituation.choices,
        total="new_cases",
        chart=False,
    )
    section.tables += [route, gender, age, licensing, sector, living]
    section.tables.append(_under_reached(ctx, gender, licensing, sector, age, living))
    return section


def _under_reached(ctx: Context, gender, licensing, sector, age, living) -> Table:
    """The groups the report calls under-reached: the same numbers as the tables above
    (shared variables), so a number hidden there is hidden here too."""
    d = ctx.disclosure
    regions = ctx.regions if ctx.scope.national else [("", "")]
    aliases = {}
    values = {}
    for code, _name in regions:
        trans_parts = [ctx.cell(gender, g, code) for g in (Gender.TRANS_WOMAN, Gender.TRANS_MAN)]
        transgender = d.add(f"transgender@{code}", sum(d.values[part] for part in trans_parts))
        d.equation(transgender, trans_parts)
        sources = {
            "male": ctx.cell(gender, Gender.MAN, code),
            "transgender": transgender,
            "unlicensed": ctx.cell(licensing, Licensing.UNLICENSED, code),
            "escort_agency": ctx.cell(sector, WorkSector.ESCORT_AGENCY, code),
            "massage": ctx.cell(sector, WorkSector.MASSAGE, code),
            "minor": ctx.cell(age, "minor", code),
            "azc": ctx.cell(living, LivingSituation.AZC, code),
        }
        for group, var in sources.items():
            position = (group, N) if not ctx.scope.national else (code, group)
            aliases[position] = var
            values[position] = d.values[var]
    if ctx.scope.national:
        rows, columns = ctx.regions, [(k, str(v)) for k, v in UNDER_REACHED]
    else:
        rows, columns = [(k, str(v)) for k, v in UNDER_REACHED], [(N, _("Aantal"))]
    table = d.table(
        "under_reached",
        _("Groepen die het rapport ondervertegenwoordigd noemt"),
        rows,
        columns,
        values,
        additive=False,
        aliases=aliases,
        chart=not ctx.scope.national,
        row_heading=_("Regio") if ctx.scope.national else "",
        description=_("Overlappende groepen: de rijen tellen niet op."),
    )
    ctx.tables[table.key] = table
    return table


PHASE_LABELS = [(p.value, p.label) for p in PHASE_ORDER]


def flow_section(scope, ctx: Context) -> Section:
    section = Section(
        "flow",
        _("Doorstroom"),
        _(
            "Fasen volgens de fasegeschiedenis van elk traject: waar stonden lopende "
            "trajecten aan het eind van de periode, en welke overgangen waren er, ook terug."
        ),
    )
    d = ctx.disclosure
    at_end = ctx.breakdown(
        "phase_at_end",
        _("Lopende trajecten per fase aan het eind van de periode"),
        selectors.cases_by_phase_at_end(scope),
        PHASE_LABELS,
        total="open_at_end",
    )
    section.tables.append(at_end)
    moves = selectors.phase_moves(scope)
    if not scope.national:
        matrix = d.table(
            "phase_moves",
            _("Faseovergangen in de periode (van rij naar kolom)"),
            [(p, str(label)) for p, label in PHASE_LABELS],
            [(p, str(label)) for p, label in PHASE_LABELS],
            {
                (f, t): moves.get(("", f"{f}>{t}"), 0)
                for f, _l in PHASE_LABELS
                for t, _l2 in PHASE_LABELS
            },
            row_totals=True,
            aliases={(TOTAL, TOTAL): "moves"},
            row_heading=_("Van \\ naar"),
            total_label=_("Totaal"),
            description=_("Onder de diagonaal: terug naar een eerdere fase."),
        )
        ctx.tables[matrix.key] = matrix
        section.tables.append(matrix)
        section.partial = "monitoring/_phase_flow.html"
        section.finish = lambda: section.extra.update(flow=_flow_picture(d, at_end, matrix))
        stays = selectors.time_per_phase(scope)
        table = d.table(
            "time_per_phase",
            _("Gemiddelde tijd per fase"),
            [(p, str(label)) for p, label in PHASE_LABELS],
            [(N, _("Afgeronde verblijven"))],
            {(p, N): stays.get(("", p), (0, None))[0] for p, _l in PHASE_LABELS},
            extra_columns=[("days", _("Gemiddeld aantal dagen"), N)],
            extra_values={
                (p, "days"): f"{stays[('', p)][1]:.0f}"
                for p, _l in PHASE_LABELS
                if ("", p) in stays and stays[("", p)][1] is not None
            },
            total_label=_("Totaal"),
            description=_(
                "Verblijven in een fase die in de periode eindigden; het gemiddelde staat er "
                "alleen bij als het aantal verblijven zichtbaar is."
            ),
        )
        ctx.tables[table.key] = table
        section.tables.append(table)
    else:
        section.tables.append(
            ctx.breakdown(
                "phase_moves",
                _("Faseovergangen in de periode"),
                moves,
                [("forward", _("Vooruit")), ("backward", _("Terug"))],
                total="moves",
            )
        )
        stays = selectors.time_per_phase(scope)
        table = d.table(
            "time_per_phase",
            _("Gemiddelde tijd per fase (dagen), met het aantal afgeronde verblijven"),
            ctx.regions,
            [(p, str(label)) for p, label in PHASE_LABELS],
            {(code, p): n for (code, p), (n, _avg) in stays.items()},
            row_totals=True,
            extra_columns=[
                (f"days_{p}", _("Dagen: %(phase)s") % {"phase": label}, p)
                for p, label in PHASE_LABELS
            ],
            extra_values={
                (code, f"days_{p}"): f"{average:.0f}"
                for (code, p), (_n, average) in stays.items()
                if average is not None
            },
            row_heading=_("Regio"),
            total_label=_("Totaal"),
        )
        ctx.tables[table.key] = table
        section.tables.append(table)
    return section


def _flow_picture(d: Disclosure, at_end: Table, matrix: Table) -> dict:
    """Boxes for the phases with the numbers at the end, arrows between neighbours."""
    boxes = []
    for index, (phase, label) in enumerate(PHASE_LABELS):
        boxes.append(
            {
                "x": 10 + index * 180,
                "label": str(label),
                "shown": d.show(at_end.var(phase, N)),
            }
        )
    arrows = []
    for index in range(len(PHASE_LABELS) - 1):
        here, there = PHASE_LABELS[index][0], PHASE_LABELS[index + 1][0]
        x = 10 + index * 180 + 140
        arrows.append(
            {"x1": x, "x2": x + 40, "forward": True, "shown": d.show(matrix.var(here, there))}
        )
        arrows.append(
            {"x1": x + 40, "x2": x, "forward": False, "shown": d.show(matrix.var(there, here))}
        )
    return {"boxes": boxes, "arrows": arrows}


def results_section(scope, ctx: Context) -> Section:
    section = Section(
        "results",
        _("Resultaat bij afsluiten en uitval"),
        _("Trajecten die in de periode zijn afgesloten, naar resultaat; uitval naar fase."),
    )
    rows = selectors.closures(scope)
    outcomes: dict = {}
    dropouts: dict = {}
    for (region, key), n in rows.items():
        outcome, dropout_phase = key.split("|")
        outcomes[(region, outcome)] = outcomes.get((region, outcome), 0) + n
        if outcome == Outcome.DROPPED_OUT:
            dropouts[(region, dropout_phase)] = dropouts.get((region, dropout_phase), 0) + n
    outcome_table = ctx.breakdown(
        "outcomes",
        _("Resultaat bij afsluiten"),
        outcomes,
        Outcome.choices,
        total="closed",
    )
    section.tables.append(outcome_table)
    dropout_total = (
        ctx.cell(outcome_table, Outcome.DROPPED_OUT) if not scope.national else "dropouts"
    )
    dropout_table = ctx.breakdown(
        "dropout_phase",
        _("Uitval: in welke fase"),
        dropouts,
        [*PHASE_LABELS, ("", _("Fase niet vastgelegd"))],
        total=dropout_total,
    )
    if scope.national:
        # Each region's drop-outs are the same number as in the outcome table.
        for code, _name in ctx.regions:
            d = ctx.disclosure
            d.equation(
                ctx.cell(outcome_table, Outcome.DROPPED_OUT, code), [dropout_table.var(code, TOTAL)]
            )
    section.tables.append(dropout_table)
    return section


SECTIONS: list[Callable[[selectors.Scope, Context], Section]] = [
    outreach_section,
    reach_section,
    flow_section,
    results_section,
]


@dataclass
class Dashboard:
    scope: selectors.Scope
    disclosure: Disclosure
    sections: list[Section]
    tables: dict[str, Table]


def build_dashboard(scope: selectors.Scope) -> Dashboard:
    """Every number of the page, suppressed together. A bounded number of queries, all
    read from one snapshot so numbers shared between tables agree."""
    # Inside an outer transaction (tests, ATOMIC_REQUESTS) the snapshot is that of the outer
    # transaction's isolation level; on its own, ask PostgreSQL for one snapshot.
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and own_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        if scope.national:
            regions = [(r.code, r.name) for r in Region.objects.all()]
            municipalities = []
        else:
            regions = []
            municipalities = [
                (m.name, f"{m.name} ({_('centrumgemeente')})" if m.is_central else m.name)
                for m in Municipality.objects.filter(region=scope.region).order_by(
                    "-is_central", "name"
                )
            ]
        ctx = Context(scope, Disclosure(), regions, municipalities)
        sections = [section(scope, ctx) for section in SECTIONS]
    ctx.disclosure.protect()
    for section in sections:
        if section.finish:
            section.finish()
    return Dashboard(scope, ctx.disclosure, sections, ctx.tables)


def phase_label(phase: str) -> str:
    return Phase(phase).label if phase in Phase.values else phase
