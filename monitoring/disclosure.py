"""Disclosure control for every number a monitoring page or CSV file shows.

A page registers all its numbers in one ``Disclosure``: each number is a *variable* with a
key, and the sums that tie numbers together (row and column totals, the same total shown in
two tables, "transgender = trans women + trans men") are *equations*. The same quantity shown
in two tables is one variable, so it is hidden in both or in neither.

``protect()`` then decides what is hidden:

- primary suppression: counts from 1 to below the threshold are shown as "<N";
- secondary suppression: while an attacker can still work out a hidden count exactly, hide
  the next-smallest visible count in a sum that involves it (classic rule: a line with one
  hidden cell gets a second one), iterated to a fixed point over all equations of the page.
  These cells are shown as "x".

The attacker is modelled as interval propagation over all equations: a "<N" count lies in
[1, N-1], an "x" count is at least N (the rule only ever hides counts of N or more), and
every visible number is exact. A count is exposed when its interval shrinks to one value.

Percentages are only given when both the count and its base are visible, so they add
nothing an attacker could use. Zero is shown as 0: it says nobody, and hiding it would not
protect anyone.

Pure Python on purpose: no database, no Django apart from reading the threshold setting.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from math import inf

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MINIMUM_THRESHOLD = 5
HIDDEN_SECONDARY = "x"
TOTAL = "*"


def suppression_threshold() -> int:
    threshold = getattr(settings, "MONITORING_SUPPRESSION_THRESHOLD", 10)
    if not isinstance(threshold, int) or threshold < MINIMUM_THRESHOLD:
        raise ImproperlyConfigured(
            f"MONITORING_SUPPRESSION_THRESHOLD must be a whole number of at least "
            f"{MINIMUM_THRESHOLD}, got {threshold!r}."
        )
    return threshold


class Disclosure:
    """All numbers of one page, the sums between them, and what may be shown."""

    def __init__(self, threshold: int | None = None):
        self.threshold = suppression_threshold() if threshold is None else threshold
        if self.threshold < MINIMUM_THRESHOLD:
            raise ImproperlyConfigured("The suppression threshold is never below 5.")
        self.values: dict[str, int] = {}
        self.equations: list[tuple[str, tuple[str, ...]]] = []
        self.tables: list[Table] = []
        self.primary: set[str] = set()
        self.hidden: set[str] = set()
        self._protected = False

    # -- building ---------------------------------------------------------------------------

    def add(self, key: str, value: int) -> str:
        value = int(value or 0)
        if value < 0:
            raise ValueError(f"{key}: a count cannot be negative")
        if key in self.values and self.values[key] != value:
            raise ValueError(f"{key} has two different values: {self.values[key]} and {value}")
        self.values[key] = value
        self._protected = False
        return key

    def equation(self, total: str, parts) -> None:
        """``total`` equals the sum of ``parts`` (keys already added)."""
        parts = tuple(parts)
        if self.values[total] != sum(self.values[p] for p in parts):
            raise ValueError(f"{total} is not the sum of its parts")
        self.equations.append((total, parts))
        self._protected = False

    def table(self, *args, **kwargs) -> Table:
        table = Table(self, *args, **kwargs)
        self.tables.append(table)
        return table

    # -- protecting -------------------------------------------------------------------------

    def protect(self) -> Disclosure:
        t = self.threshold
        self.primary = {k for k, v in self.values.items() if 0 < v < t}
        self.hidden = set(self.primary)
        # The tables are complete: which equations each number is in, looked up from now on
        # instead of scanned (thousands of equations on a national page).
        self._around = self._equations_around()
        while True:
            exposed = sorted(self.exposed())
            if not exposed:
                break
            # One partner for every exposed count per round, then look again.
            candidates = {self._secondary_candidate(key) for key in exposed}
            if None in candidates:
                # Nothing left that could protect it: hide every count around it.
                self.hidden |= {k for k, v in self.values.items() if v > 0}
                break
            self.hidden |= candidates
        self._protected = True
        return self

    def bounds(self, hidden=None) -> dict[str, tuple[float, float]]:
        """What an attacker can infer about every number from everything shown.

        Interval propagation to a fixed point: an equation is looked at again only when one
        of its numbers got a tighter interval (an equation of visible numbers teaches
        nothing), so a national page with thousands of sums settles in a few passes."""
        hidden = self.hidden if hidden is None else hidden
        t = self.threshold
        lo: dict[str, float] = {}
        hi: dict[str, float] = {}
        for key, value in self.values.items():
            if key not in hidden:
                lo[key] = hi[key] = value
            elif key in self.primary:
                lo[key], hi[key] = 1, t - 1
            else:
                lo[key], hi[key] = t, inf
        around = self._around
        pending = deque(
            index
            for index, (total, parts) in enumerate(self.equations)
            if total in hidden or any(p in hidden for p in parts)
        )
        queued = set(pending)
        steps = 200 * len(self.equations)  # a bound, as a safeguard: it settles long before
        while pending and steps:
            steps -= 1
            index = pending.popleft()
            queued.discard(index)
            for key in self._tighten(self.equations[index], lo, hi):
                for other in around[key]:
                    if other not in queued:
                        queued.add(other)
                        pending.append(other)
        return {key: (lo[key], hi[key]) for key in self.values}

    def _equations_around(self) -> dict[str, list[int]]:
        around: dict[str, list[int]] = {key: [] for key in self.values}
        for index, (total, parts) in enumerate(self.equations):
            for key in (total, *parts):
                around[key].append(index)
        return around

    @staticmethod
    def _tighten(equation, lo, hi) -> list[str]:
        """Narrow the intervals of one sum and its parts; the keys that changed."""
        total, parts = equation
        changed = []
        sum_lo = sum(lo[p] for p in parts)
        finite_hi = sum(hi[p] for p in parts if hi[p] != inf)
        unbounded = sum(1 for p in parts if hi[p] == inf)
        new = (max(lo[total], sum_lo), min(hi[total], finite_hi if not unbounded else inf))
        if new != (lo[total], hi[total]):
            lo[total], hi[total] = new
            changed.append(total)
        for part in parts:
            others_lo = sum_lo - lo[part]
            if hi[part] == inf:
                others_hi = finite_hi if unbounded == 1 else inf
            else:
                others_hi = finite_hi - hi[part] if not unbounded else inf
            new = (
                max(lo[part], lo[total] - others_hi),
                min(hi[part], hi[total] - others_lo),
            )
            if new != (lo[part], hi[part]):
                # Keep the running sums in step with the tightened part.
                sum_lo += new[0] - lo[part]
                if hi[part] == inf and new[1] != inf:
                    unbounded -= 1
                    finite_hi += new[1]
                elif hi[part] != inf:
                    finite_hi += new[1] - hi[part]
                lo[part], hi[part] = new
                changed.append(part)
        return changed

    def exposed(self) -> set[str]:
        """Hidden counts an attacker could recover exactly (a partner too: it would give
        away the small count it protects in the next table or the next period)."""
        found = self.bounds()
        return {k for k in self.hidden if found[k][0] >= found[k][1]}

    def _secondary_candidate(self, key: str) -> str | None:
        """The smallest visible count in an equation around ``key``, searching outward
        through hidden numbers when the nearest equations have nothing left to hide."""
        seen_keys = {key}
        frontier = [key]
        seen_equations: set[int] = set()
        while frontier:
            candidates = []
            next_frontier = []
            for current in frontier:
                for index in self._around[current]:
                    if index in seen_equations:
                        continue
                    seen_equations.add(index)
                    total, parts = self.equations[index]
                    members = (total, *parts)
                    for member in members:
                        if member in self.hidden:
                            if member not in seen_keys:
                                seen_keys.add(member)
                                next_frontier.append(member)
                        elif self.values[member] > 0:
                            # Prefer cells over totals: a hidden total hides more.
                            candidates.append((member == total, self.values[member], member))
            if candidates:
                return min(candidates)[2]
            frontier = next_frontier
        return None

    # -- showing ----------------------------------------------------------------------------

    def is_hidden(self, key: str) -> bool:
        self._require_protected()
        return key in self.hidden

    def show(self, key: str) -> str:
        self._require_protected()
        if key in self.primary:
            return f"<{self.threshold}"
        if key in self.hidden:
            return HIDDEN_SECONDARY
        return str(self.values[key])

    def visible_value(self, key: str) -> int | None:
        self._require_protected()
        return None if key in self.hidden else self.values[key]

    def percentage(self, key: str, base: str) -> str:
        """A percentage only when the count and its base are both visible."""
        part, whole = self.visible_value(key), self.visible_value(base)
        if part is None or not whole:
            return ""
        return f"{round(100 * part / whole)}%"

    def _require_protected(self):
        if not self._protected:
            raise RuntimeError("Call protect() before showing any number.")


@dataclass
class Bar:
    label: str
    shown: str
    fraction: float | None  # of the largest visible value; None when hidden

    @property
    def width(self) -> str:
        """For the SVG ``width`` attribute (0-100); a sliver for a visible zero."""
        return f"{100 * (self.fraction or 0):.1f}"


@dataclass
class Table:
    """A table of counts with optional totals; every cell is a variable of the page.

    ``values`` maps (row key, column key) to a count. ``aliases`` maps a position, e.g.
    ("*", "n") for the grand total of a one-column table, to a key shared with another
    table. ``additive=False`` for tables whose rows overlap (a person in two sectors):
    such a table gets no totals and no equations.
    """

    disclosure: Disclosure
    key: str
    title: str
    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    values: dict[tuple[str, str], int]
    row_totals: bool = False
    column_totals: bool = True
    additive: bool = True
    percentages: bool = False
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    row_heading: str = ""
    total_label: str = "Totaal"
    description: str = ""
    chart: bool = False
    # Extra columns that are not counts (averages), shown only when their count is visible.
    extra_columns: list[tuple[str, str, str]] = field(default_factory=list)
    extra_values: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self):
        if not self.additive:
            self.row_totals = self.column_totals = False
        d = self.disclosure
        for r, _label in self.rows:
            for c, _clabel in self.columns:
                d.add(self.var(r, c), self.values.get((r, c), 0))
        if self.row_totals:
            for r, _label in self.rows:
                total = sum(self.values.get((r, c), 0) for c, _ in self.columns)
                d.add(self.var(r, TOTAL), total)
                d.equation(self.var(r, TOTAL), [self.var(r, c) for c, _ in self.columns])
        if self.column_totals:
            for c, _label in self.columns:
                total = sum(self.values.get((r, c), 0) for r, _ in self.rows)
                d.add(self.var(TOTAL, c), total)
                d.equation(self.var(TOTAL, c), [self.var(r, c) for r, _ in self.rows])
        if self.row_totals and self.column_totals:
            grand = sum(self.values.values())
            d.add(self.var(TOTAL, TOTAL), grand)
            d.equation(self.var(TOTAL, TOTAL), [self.var(r, TOTAL) for r, _ in self.rows])
            d.equation(self.var(TOTAL, TOTAL), [self.var(TOTAL, c) for c, _ in self.columns])

    def var(self, row: str, column: str) -> str:
        return self.aliases.get((row, column), f"{self.key}|{row}|{column}")

    @property
    def _base_column(self) -> str | None:
        # Percentages of the column total, for one-column tables.
        return self.columns[0][0] if self.percentages and self.column_totals else None

    @property
    def header(self) -> list[str]:
        labels = [self.row_heading] + [label for _c, label in self.columns]
        if self.row_totals:
            labels.append(self.total_label)
        labels += [label for _c, label, _dep in self.extra_columns]
        if self._base_column:
            labels.append("%")
        return labels

    def _cells(self, r: str) -> list[str]:
        d = self.disclosure
        cells = [d.show(self.var(r, c)) for c, _label in self.columns]
        if self.row_totals:
            cells.append(d.show(self.var(r, TOTAL)))
        for c, _label, depends_on in self.extra_columns:
            visible = d.visible_value(self.var(r, depends_on))
            cells.append(self.extra_values.get((r, c), "") if visible else "")
        if self._base_column:
            base = self._base_column
            cells.append(d.percentage(self.var(r, base), self.var(TOTAL, base)))
        return cells

    @property
    def body(self) -> list[list[str]]:
        return [[label, *self._cells(r)] for r, label in self.rows]

    @property
    def footer(self) -> list[str] | None:
        if not self.column_totals:
            return None
        d = self.disclosure
        cells = [d.show(self.var(TOTAL, c)) for c, _label in self.columns]
        if self.row_totals:
            cells.append(d.show(self.var(TOTAL, TOTAL)))
        cells += ["" for _ in self.extra_columns]
        if self._base_column:
            cells.append("100%" if d.visible_value(self.var(TOTAL, self._base_column)) else "")
        return [self.total_label, *cells]

    def as_rows(self) -> list[list[str]]:
        """Exactly what the page shows, for the CSV export."""
        rows = [self.header, *self.body]
        if self.footer:
            rows.append(self.footer)
        return rows

    @property
    def bars(self) -> list[Bar]:
        """One bar per row of the first column, scaled to the largest visible value."""
        d = self.disclosure
        column = self.columns[0][0]
        visible = [d.visible_value(self.var(r, column)) for r, _ in self.rows]
        largest = max((v for v in visible if v is not None), default=0)
        return [
            Bar(
                label=label,
                shown=d.show(self.var(r, column)),
                fraction=(value / largest if largest else 0.0) if value is not None else None,
            )
            for (r, label), value in zip(self.rows, visible, strict=True)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(self.values.values())
