"""The monitoring pages as sections of suppressed tables.

A section is a function ``(scope, ctx) -> Section``: it asks selectors for counts and
registers tables with the page's one ``Disclosure``. ``SECTIONS`` lists them in page order;
a new indicator (needs, referrals, aftercare, time to first help, durable results) is a new
selector plus a new section function appended here and, if it needs a picture, a partial.
The page and every CSV file are built by ``build_dashboard``, so they always show the same,
equally suppressed numbers.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from aftercare.models import Intensity, SignalKind, Situation
from cases.models import PHASE_ORDER, ContactRoute, LifeDomain, NotMetReason, Outcome, Phase
from monitoring import selectors
from monitoring.disclosure import TOTAL, Disclosure, Table
from monitoring.models import DIMENSION_CATEGORIES, Dimension, Figure, OutreachKind
from monitoring.services import figures_refresh_in_snapshot
from partners.models import PartnerType
from partners.selectors import coverage_matrix
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
    domains: list[tuple[str, str]] = field(default_factory=list)  # life domains (code, name)
    tables: dict[str, Table] = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)

    def count(self, selector, *args):
        """A grouped count fetched beforehand with all others in one query (see
        ``COUNTS``); a section asking for one that is not listed there is a bug."""
        return self.counts[(selector.__name__, *args)]

    def waiting_medians(self) -> dict:
        """Both medians of waiting times, from one query shared by two sections."""
        if "waiting_medians" not in self.cache:
            self.cache["waiting_medians"] = selectors.waiting_medians(self.scope, refresh=False)
        return self.cache["waiting_medians"]

    def new_cases(self, dimension: str) -> dict:
        """New cases by one characteristic, from the page's grouped counts of them."""
        if dimension == "sector":
            return self.count(selectors.new_cases_by, "sector")
        return self.count(selectors.new_cases_by_each)[dimension]

    def needs(self) -> dict:
        return self.count(selectors.needs_by_domain)

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
    by_kind = ctx.count(selectors.outreach_by_kind)
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
        by_municipality = ctx.count(selectors.outreach_by_municipality)
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
    groups = ctx.count(selectors.outreach_people_by_group)
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
        new = ctx.new_cases("municipality")
        intakes = ctx.count(selectors.intakes_by_municipality)
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
        new_totals = ctx.count(selectors.intakes_by_municipality)
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
        ctx.new_cases("contact_route"),
        ContactRoute.choices,
        total="new_cases",
    )
    gender = ctx.breakdown(
        "new_by_gender",
        _("Nieuwe trajecten naar gender"),
        ctx.new_cases("gender"),
        Gender.choices,
        total="new_cases",
    )
    age = ctx.breakdown(
        "new_by_age",
        _("Nieuwe trajecten naar leeftijd bij de start"),
        ctx.new_cases("age_band"),
        AGE_BAND_LABELS,
        total="new_cases",
    )
    licensing = ctx.breakdown(
        "new_by_licensing",
        _("Nieuwe trajecten: vergunde of onvergunde sector"),
        ctx.new_cases("licensing"),
        Licensing.choices,
        total="new_cases",
    )
    sector = ctx.breakdown(
        "new_by_sector",
        _("Nieuwe trajecten naar werksector"),
        ctx.new_cases("sector"),
        WorkSector.choices,
        additive=False,
        description=_("Iemand kan in meer sectoren werken: de rijen tellen niet op."),
    )
    living = ctx.breakdown(
        "new_by_living",
        _("Nieuwe trajecten naar woonsituatie"),
        ctx.new_cases("living_situation"),
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
        ctx.count(selectors.cases_by_phase_at_end),
        PHASE_LABELS,
        total="open_at_end",
    )
    section.tables.append(at_end)
    moves = ctx.count(selectors.phase_moves)
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
        table = _time_per_phase(scope, ctx)
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
        table = _time_per_phase(scope, ctx)
        ctx.tables[table.key] = table
        section.tables.append(table)
    return section


def _time_per_phase(scope, ctx: Context) -> "PlainTable":
    """Average days per phase, only over at least as many stays as the threshold; no
    counts. Every stay ends in a move out of its phase or in closing the case, so counts of
    stays would add up with the moves and closures shown beside them, and a reader could
    work a hidden move or closure out of the three (interval reasoning misses such a chain).
    Nationally a row per region, a column per phase; regionally a row per phase."""
    threshold = ctx.disclosure.threshold
    stays = selectors.time_per_phase(scope, refresh=False)

    def days(row: str, phase: str) -> str:
        n, average = stays.get((row, phase), (0, None))
        return _days(average) if n >= threshold else ""

    if scope.national:
        header = [_("Regio"), *(str(label) for _p, label in PHASE_LABELS)]
        body = [[name, *(days(code, p) for p, _l in PHASE_LABELS)] for code, name in ctx.regions]
    else:
        header = [_("Fase"), _("Gemiddeld aantal dagen")]
        body = [[str(label), days("", p)] for p, label in PHASE_LABELS]
    return PlainTable(
        "time_per_phase",
        _("Gemiddelde tijd per fase (dagen)"),
        header,
        body,
        description=_(
            "Verblijven in een fase die in de periode eindigden (door een volgende "
            "fasewijziging of door afsluiten). Een gemiddelde staat er alleen als het over "
            "minstens %(n)s verblijven gaat; aantallen staan er niet bij, want die zijn op te "
            "tellen uit de overgangen en de afsluitingen ernaast."
        )
        % {"n": threshold},
    )


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
    rows = ctx.count(selectors.closures)
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


def _days(value) -> str:
    return f"{value:.0f}" if value is not None else ""


def _grid(ctx, key, title, counts, columns, *, extra=None, extra_title="", total=None, **kw):
    """A table of counts (rows: ``rows`` on a regional page, the regions on the national
    page) with, optionally, an extra column per row that is shown only when the row's count
    in ``extra[0]`` is visible: a median or a mean of a small group describes a person."""
    rows, row_heading = kw.pop("rows", None), kw.pop("row_heading", "")
    if ctx.scope.national:
        rows, row_heading = ctx.regions, _("Regio")
    aliases = kw.pop("aliases", {})
    if total:
        aliases[(TOTAL, TOTAL)] = total
    extra_columns, extra_values = [], {}
    if extra is not None:
        depends_on, values = extra
        extra_columns = [("extra", extra_title, depends_on)]
        extra_values = {(r, "extra"): v for r, v in values.items() if v}
    table = ctx.disclosure.table(
        key,
        title,
        rows,
        [(c, str(label)) for c, label in columns],
        counts,
        row_totals=kw.pop("row_totals", len(columns) > 1),
        aliases=aliases,
        extra_columns=extra_columns,
        extra_values=extra_values,
        row_heading=row_heading,
        total_label=_("Totaal"),
        **kw,
    )
    ctx.tables[key] = table
    return table


NEED_OUTCOMES = [
    ("met", _("Beantwoord")),
    ("not_met", _("Niet beantwoord")),
    ("other", _("Nog open of vervallen")),
]


def _rank_by_visible(d: Disclosure, table: Table, column: str):
    """Order the rows by their visible count, largest first. Rows whose count is hidden are
    not ranked: they follow in their usual order (the order would say something about the
    hidden counts), and the rows with none come last."""

    def rank(item):
        index, (row, _label) = item
        value = d.visible_value(table.var(row, column))
        if value is None:
            return (1, 0, index)
        return (0 if value else 2, -value, index)

    table.rows = [row for _i, row in sorted(enumerate(table.rows), key=rank)]


def needs_section(scope, ctx: Context) -> Section:
    section = Section(
        "needs",
        _("Hulpvragen per leefdomein"),
        _(
            "Hulpvragen die in de periode zijn vastgesteld, per leefdomein, gerangschikt: "
            "welke hulpvragen komen het meest voor, en wat is ermee gebeurd."
        ),
    )
    d = ctx.disclosure
    counts = ctx.needs()
    domains = ctx.domains

    def get(region, code, measure):
        return counts.get((region, f"{code}|{measure}"), 0)

    if not scope.national:
        values = {}
        for code, _name in domains:
            identified, met, not_met = (get("", code, m) for m in ("identified", "met", "not_met"))
            values[(code, "met")], values[(code, "not_met")] = met, not_met
            values[(code, "other")] = identified - met - not_met
        table = _grid(
            ctx,
            "needs_by_domain",
            _("Hulpvragen per leefdomein (meest voorkomend bovenaan)"),
            values,
            NEED_OUTCOMES,
            rows=domains,
            row_heading=_("Leefdomein"),
            total="needs_identified",
            description=_("Totaal per rij: vastgesteld in de periode."),
        )
        section.finish = lambda: _rank_by_visible(d, table, TOTAL)
        section.tables.append(table)
        not_met_total = table.var(TOTAL, "not_met")
        reasons = {
            ("", r): sum(get("", code, f"reason_{r}") for code, _n in domains)
            for r in NotMetReason.values
        }
    else:
        table = ctx.breakdown(
            "needs_by_domain",
            _("Vastgestelde hulpvragen per leefdomein"),
            {
                (region, code.split("|")[0]): n
                for (region, code), n in counts.items()
                if code.endswith("|identified")
            },
            domains,
            total="needs_identified",
        )
        section.tables.append(table)
        not_met_total = "needs_not_met"
        reasons = _sum_by_key(counts, "reason_")
    section.tables.append(
        ctx.breakdown(
            "needs_not_met_reasons",
            _("Niet beantwoorde hulpvragen: waarom"),
            reasons,
            NotMetReason.choices,
            total=not_met_total,
        )
    )
    return section


def _sum_by_key(counts: dict, prefix: str) -> dict:
    """{(region, "domain|prefix<category>"): n} summed over domains to {(region, category): n}.
    A loop over at most regions x domains x categories grouped counts, never over people."""
    result: dict = {}
    for (region, key), n in counts.items():
        _domain, measure = key.split("|")
        if measure.startswith(prefix):
            category = measure.removeprefix(prefix)
            result[(region, category)] = result.get((region, category), 0) + n
    return result


def first_help_section(scope, ctx: Context) -> Section:
    section = Section(
        "first_help",
        _("Tijd tot eerste concrete hulp"),
        _(
            "Mediaan aantal dagen van het vaststellen van een hulpvraag tot de eerste "
            "concrete hulp, over hulpvragen uit de periode die hulp kregen. Uitval en in "
            "welke fase staat bij ‘Resultaat bij afsluiten en uitval’."
        ),
    )
    counts = ctx.needs()
    medians = ctx.waiting_medians()[Figure.FIRST_HELP]
    if not scope.national:
        helped = {(c, N): counts.get(("", f"{c}|helped"), 0) for c, _n in ctx.domains}
        table = _grid(
            ctx,
            "first_help",
            _("Tijd tot eerste concrete hulp per leefdomein"),
            helped,
            [(N, _("Hulpvragen met hulp"))],
            rows=ctx.domains,
            row_heading=_("Leefdomein"),
            extra=(N, {c: _days(medians.get(c)) for c, _n in ctx.domains}),
            extra_title=_("Mediaan (dagen)"),
            row_totals=False,
            aliases={(TOTAL, N): "needs_helped"},
        )
        overall = ctx.disclosure.table(
            "first_help_overall",
            _("Tijd tot eerste concrete hulp, alle leefdomeinen"),
            [("all", _("Alle leefdomeinen"))],
            [(N, _("Hulpvragen met hulp"))],
            {("all", N): sum(helped.values())},
            column_totals=False,
            aliases={("all", N): "needs_helped"},
            extra_columns=[("extra", _("Mediaan (dagen)"), N)],
            extra_values={("all", "extra"): _days(medians.get(None))},
        )
        ctx.tables[overall.key] = overall
        section.tables += [table, overall]
    else:
        helped = {(region, N): n for (region, _c), n in _sum_by_key(counts, "helped").items()}
        section.tables.append(
            _grid(
                ctx,
                "first_help",
                _("Tijd tot eerste concrete hulp per regio"),
                helped,
                [(N, _("Hulpvragen met hulp"))],
                extra=(N, {code: _days(medians.get(code)) for code, _n in ctx.regions}),
                extra_title=_("Mediaan (dagen)"),
                row_totals=False,
                aliases={(TOTAL, N): "needs_helped"},
            )
        )
    return section


REFERRAL_ANSWERS = [
    ("accepted", _("Geaccepteerd")),
    ("declined", _("Afgewezen")),
    ("waitlisted", _("Wachtlijst")),
    ("other", _("Nog geen antwoord of geannuleerd")),
]


def referrals_section(scope, ctx: Context) -> Section:
    section = Section(
        "referrals",
        _("Verwijzingen per soort partner"),
        _(
            "Verwijzingen aangevraagd in de periode, naar wat de partner antwoordde, met de "
            "mediane wachttijd van aanvraag tot acceptatie."
        ),
    )
    counts = ctx.count(selectors.referrals_by_partner_type)
    medians = ctx.waiting_medians()[Figure.WAITED]
    if not scope.national:
        values = {}
        for (_region, key), n in counts.items():
            partner_type, answer = key.split("|")
            values[(partner_type, answer)] = n
        table = _grid(
            ctx,
            "referrals",
            _("Verwijzingen per soort partner"),
            values,
            REFERRAL_ANSWERS,
            rows=[(c, str(label)) for c, label in PartnerType.choices],
            row_heading=_("Soort partner"),
            total="referrals",
            extra=("accepted", {c: _days(medians.get(c)) for c in PartnerType.values}),
            extra_title=_("Mediane wachttijd tot acceptatie (dagen)"),
        )
        overall = ctx.disclosure.table(
            "referrals_waiting_overall",
            _("Mediane wachttijd, alle soorten partners"),
            [("all", _("Alle verwijzingen"))],
            [(N, _("Geaccepteerd"))],
            {("all", N): sum(v for (_t, a), v in values.items() if a == "accepted")},
            column_totals=False,
            aliases={("all", N): table.var(TOTAL, "accepted")},
            extra_columns=[("extra", _("Mediaan (dagen)"), N)],
            extra_values={("all", "extra"): _days(medians.get(None))},
        )
        ctx.tables[overall.key] = overall
        section.tables += [table, overall]
    else:
        values = _sum_by_key(counts, "")  # over partner types: {(region, answer): n}
        table = _grid(
            ctx,
            "referrals",
            _("Verwijzingen per regio, naar antwoord"),
            values,
            REFERRAL_ANSWERS,
            total="referrals",
            extra=("accepted", {code: _days(medians.get(code)) for code, _n in ctx.regions}),
            extra_title=_("Mediane wachttijd tot acceptatie (dagen)"),
        )
        section.tables.append(table)
    return section


def results_follow_up_section(scope, ctx: Context) -> Section:
    section = Section(
        "durable",
        _("Duurzaam resultaat en zelfredzaamheid"),
        _(
            "Vervolgmetingen 6 en 12 maanden na afsluiten die in de periode zijn vastgelegd, "
            "en de verandering in zelfredzaamheid van intake tot afsluiting."
        ),
    )
    d = ctx.disclosure
    counts = ctx.count(selectors.follow_ups_by_situation)
    durable_parts = (Situation.FULLY, Situation.COMBINATION)
    by_months = {}
    for months in (6, 12):
        per_situation = {
            (region, situation): n
            for (region, key), n in counts.items()
            for m, situation in [key.split("|")]
            if m == str(months)
        }
        by_months[months] = ctx.breakdown(
            f"follow_up_{months}",
            _("Situatie %(months)s maanden na afsluiten") % {"months": months},
            per_situation,
            Situation.choices,
            total=f"follow_ups_{months}",
        )
        section.tables.append(by_months[months])
    regions = ctx.regions if scope.national else [("", "")]
    values, aliases, bases = {}, {}, {}
    for code, _name in regions:
        for months, table in by_months.items():
            parts = [ctx.cell(table, s, code) for s in durable_parts]
            var = d.add(f"durable_{months}@{code}", sum(d.values[p] for p in parts))
            d.equation(var, parts)
            position = (code, str(months)) if scope.national else (str(months), N)
            aliases[position] = var
            values[position] = d.values[var]
            bases[position] = (
                ctx.cell(table, TOTAL, code) if scope.national else (table.var(TOTAL, N))
            )
    month_rows = [("6", _("Na 6 maanden")), ("12", _("Na 12 maanden"))]
    durable = d.table(
        "durable",
        _("Duurzaam resultaat: nog in een andere dagbesteding"),
        ctx.regions if scope.national else [(k, str(v)) for k, v in month_rows],
        [(k, str(v)) for k, v in month_rows] if scope.national else [(N, _("Aantal"))],
        values,
        additive=False,
        aliases=aliases,
        row_heading=_("Regio") if scope.national else "",
        extra_columns=[] if scope.national else [("share", _("Aandeel"), N)],
        description=_(
            "Volledig of in combinatie met minder sekswerk, van de vastgelegde vervolgmetingen."
        ),
    )
    ctx.tables[durable.key] = durable

    def shares():
        if not scope.national:
            for months, _label in month_rows:
                durable.extra_values[(months, "share")] = d.percentage(
                    aliases[(months, N)], bases[(months, N)]
                )

    section.finish = shares
    section.tables.append(durable)

    change = ctx.count(selectors.self_sufficiency_change)
    codes = sorted({code for (_r, code) in change}, key=lambda c: c)
    names = {code: name for (_r, code), (_n, _c, name) in change.items()}
    domain_rows = [(code, names[code]) for code in codes]
    if not scope.national:
        table = _grid(
            ctx,
            "self_sufficiency",
            _("Zelfredzaamheid: gemiddelde verandering van intake tot afsluiting"),
            {(code, N): n for (_r, code), (n, _c, _name) in change.items()},
            [(N, _("Trajecten met beide metingen"))],
            rows=domain_rows,
            row_heading=_("Domein"),
            additive=False,
            extra=(N, {code: f"{c:+.1f}" for (_r, code), (_n, c, _name) in change.items()}),
            extra_title=_("Gemiddelde verandering (punten)"),
        )
    else:
        table = d.table(
            "self_sufficiency",
            _("Zelfredzaamheid: gemiddelde verandering per domein (trajecten, verandering)"),
            ctx.regions,
            domain_rows,
            {(r, code): n for (r, code), (n, _c, _name) in change.items()},
            additive=False,
            extra_columns=[(f"change_{c}", f"Δ {name}", c) for c, name in domain_rows],
            extra_values={
                (r, f"change_{code}"): f"{c:+.1f}" for (r, code), (_n, c, _name) in change.items()
            },
            row_heading=_("Regio"),
        )
        ctx.tables[table.key] = table
    section.tables.append(table)
    return section


AFTERCARE_MEASURES = [
    ("plans", _("Nazorgplannen")),
    ("due", _("Contactmomenten verwacht")),
    ("done", _("Contactmomenten gedaan")),
]


def aftercare_section(scope, ctx: Context) -> Section:
    section = Section(
        "aftercare",
        _("Nazorg"),
        _(
            "Nazorgplannen die in de periode liepen, naar vorm; verwachte en gedane "
            "contactmomenten; signalen naar soort."
        ),
    )
    counts = selectors.aftercare_plans(scope)
    split = {}
    for (region, key), n in counts.items():
        intensity, measure = key.split("|")
        split.setdefault(measure, {})[(region, intensity)] = n
    if not scope.national:
        values = {
            (intensity, measure): n
            for measure, by in split.items()
            for (_r, intensity), n in by.items()
        }
        table = _grid(
            ctx,
            "aftercare_plans",
            _("Nazorgplannen en contactmomenten naar vorm van nazorg"),
            values,
            AFTERCARE_MEASURES,
            rows=[(c, str(label)) for c, label in Intensity.choices],
            row_heading=_("Vorm van nazorg"),
            row_totals=False,
            aliases={(TOTAL, "plans"): "aftercare_plans"},
        )
        section.tables.append(table)
    else:
        section.tables.append(
            ctx.breakdown(
                "aftercare_plans",
                _("Nazorgplannen naar vorm"),
                split.get("plans", {}),
                Intensity.choices,
                total="aftercare_plans",
            )
        )
        check_ins = {
            (region, measure): n
            for measure in ("due", "done")
            for (region, _i), n in _sum_by_key(
                {(r, f"{i}|{measure}"): n for (r, i), n in split.get(measure, {}).items()},
                measure,
            ).items()
        }
        section.tables.append(
            _grid(
                ctx,
                "aftercare_check_ins",
                _("Contactmomenten in de nazorg: verwacht en gedaan"),
                check_ins,
                AFTERCARE_MEASURES[1:],
                row_totals=False,
            )
        )
    section.tables.append(
        ctx.breakdown(
            "aftercare_signals",
            _("Signalen in de nazorg naar soort"),
            ctx.count(selectors.signals_by_kind),
            SignalKind.choices,
            total="signals",
        )
    )
    return section


@dataclass
class PlainTable:
    """A table without counts of people (facts about organisations; averages given only
    over enough people): shown as is, without suppression (the same interface as ``Table``
    for the template and the CSV export)."""

    key: str
    title: str
    header: list[str]
    body: list[list[str]]
    description: str = ""
    chart: bool = False
    footer: None = None

    def as_rows(self) -> list[list[str]]:
        return [self.header, *self.body]

    @property
    def is_empty(self) -> bool:
        return not self.body


def supply_section(scope, ctx: Context) -> Section | None:
    if scope.national:
        return None
    yes, no = _("ja"), _("nee: ontbreekt")
    rows = []
    for row in coverage_matrix(scope.region, domains=ctx.cache["life_domains"]):
        rows.append(
            [
                str(row["domain"].name),
                str(row["partners"]),
                yes if row["with_contact"] else no,
                yes if row["with_agreement"] else no,
                yes if row["with_expertise"] else no,
            ]
        )
    table = PlainTable(
        "supply",
        _("Regionaal aanbod per leefdomein"),
        [
            _("Leefdomein"),
            _("Actieve partners"),
            _("Met vaste contactpersoon"),
            _("Met geldige samenwerkingsafspraak"),
            _("Met kennis van sekswerk"),
        ],
        rows,
        description=_(
            "Over organisaties, niet over personen: deze tabel wordt niet afgeschermd. "
            "Geldt voor alle organisaties in de regio, ook voor een coördinator."
        ),
    )
    ctx.tables[table.key] = table
    return Section(
        "supply",
        _("Regionaal aanbod"),
        _(
            "Leefdomeinen zonder partner met een vaste contactpersoon, zonder geldige "
            "afspraak of zonder kennis van sekswerk in de regio."
        ),
        tables=[table],
    )


SECTIONS: list[Callable[[selectors.Scope, Context], Section]] = [
    outreach_section,
    reach_section,
    flow_section,
    results_section,
    needs_section,
    first_help_section,
    referrals_section,
    results_follow_up_section,
    aftercare_section,
    supply_section,
]


def counts_for(scope: selectors.Scope) -> list[tuple]:
    """Every grouped count the sections ask for: run together as one query."""
    s = selectors
    wanted = [
        (s.outreach_by_kind,),
        (s.outreach_people_by_group,),
        (s.new_cases_by_each,),
        (s.new_cases_by, "sector"),
        (s.intakes_by_municipality,),
        (s.cases_by_phase_at_end,),
        (s.phase_moves,),
        (s.closures,),
        (s.needs_by_domain,),
        (s.referrals_by_partner_type,),
        (s.follow_ups_by_situation,),
        (s.self_sufficiency_change,),
        (s.signals_by_kind,),
    ]
    if not scope.national:
        wanted += [(s.outreach_by_municipality,)]
    return wanted


@dataclass
class Dashboard:
    scope: selectors.Scope
    disclosure: Disclosure
    sections: list[Section]
    tables: dict[str, Table]


@contextmanager
def _one_snapshot(own_transaction: bool):
    """On PostgreSQL, the next transaction REPEATABLE READ. psycopg2 sends that with its
    BEGIN, so it costs no statement of its own; the connection goes back to its defaults
    afterwards."""
    if connection.vendor != "postgresql" or not own_transaction:
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.set_session(isolation_level="REPEATABLE READ")
    try:
        yield
    finally:
        if not raw.closed:  # a broken connection is discarded, not reused
            raw.set_session(isolation_level="DEFAULT")


# A snapshot that meets a case written after it was taken is given up and taken again; rare
# (a write to a case whose figures are being computed in the same moment), so a few
# attempts suffice.
SNAPSHOT_ATTEMPTS = 3


def build_dashboard(scope: selectors.Scope) -> Dashboard:
    """Every number of the page, suppressed together. A bounded number of queries, all
    read from one snapshot so numbers shared between tables agree; the figures of cases
    changed up to that snapshot are computed again first, in it."""
    # Inside an outer transaction (tests, ATOMIC_REQUESTS) the snapshot is that of the outer
    # transaction's isolation level and cannot be taken again; on its own, ask PostgreSQL
    # for one snapshot.
    own_transaction = not connection.in_atomic_block
    for _attempt in range(SNAPSHOT_ATTEMPTS - 1):
        try:
            return _build_dashboard_in_one_snapshot(scope, own_transaction)
        except OperationalError as error:
            if not (own_transaction and getattr(error.__cause__, "pgcode", None) == "40001"):
                raise
    return _build_dashboard_in_one_snapshot(scope, own_transaction)


def _build_dashboard_in_one_snapshot(scope: selectors.Scope, own_transaction: bool) -> Dashboard:
    # Inside a transaction already: no savepoint (two more queries, nothing to roll back).
    with _one_snapshot(own_transaction), transaction.atomic(savepoint=own_transaction):
        figures_refresh_in_snapshot()
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
        domains = list(LifeDomain.objects.all())
        ctx.domains = [(d.code, d.name) for d in domains]
        ctx.cache["life_domains"] = domains
        wanted = counts_for(scope)
        found = selectors.run_counts([selector.plan(scope, *args) for selector, *args in wanted])
        ctx.counts = {
            (selector.__name__, *args): result
            for (selector, *args), result in zip(wanted, found, strict=True)
        }
        sections = [s for s in (section(scope, ctx) for section in SECTIONS) if s is not None]
    ctx.disclosure.protect()
    for section in sections:
        if section.finish:
            section.finish()
    return Dashboard(scope, ctx.disclosure, sections, ctx.tables)


def phase_label(phase: str) -> str:
    return Phase(phase).label if phase in Phase.values else phase
