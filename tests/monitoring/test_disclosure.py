import pytest
from django.core.exceptions import ImproperlyConfigured

from monitoring.disclosure import Disclosure, suppression_threshold
from tests.monitoring.attacker import recovered

N = [("n", "Aantal")]


def one_column(d, key, counts, **kwargs):
    rows = [(k, k) for k in counts]
    values = {(k, "n"): v for k, v in counts.items()}
    return d.table(key, key, rows, N, values, **kwargs)


def shown_everything(d):
    return {key: d.show(key) for key in d.values}


def test_threshold_defaults_to_ten(settings):
    del settings.MONITORING_SUPPRESSION_THRESHOLD
    assert suppression_threshold() == 10


@pytest.mark.parametrize("value", [4, 0, -1, "10"])
def test_threshold_below_five_is_refused(settings, value):
    settings.MONITORING_SUPPRESSION_THRESHOLD = value
    with pytest.raises(ImproperlyConfigured):
        suppression_threshold()
    with pytest.raises(ImproperlyConfigured):
        Disclosure()


def test_a_threshold_of_five_is_allowed(settings):
    settings.MONITORING_SUPPRESSION_THRESHOLD = 5
    d = Disclosure()
    one_column(d, "t", {"a": 4, "b": 5, "c": 6})
    d.protect()
    assert d.show("t|a|n") == "<5"


def test_primary_small_counts_shown_as_below_threshold_zero_and_large_shown():
    d = Disclosure(threshold=10)
    one_column(d, "t", {"a": 1, "b": 9, "c": 10, "d": 0, "e": 120})
    d.protect()
    assert d.show("t|a|n") == "<10"
    assert d.show("t|b|n") == "<10"
    assert d.show("t|c|n") == "10"
    assert d.show("t|d|n") == "0"
    assert d.show("t|e|n") == "120"
    assert d.show("t|*|n") == "140"


def test_nothing_shown_before_protect():
    d = Disclosure(threshold=10)
    one_column(d, "t", {"a": 3})
    with pytest.raises(RuntimeError):
        d.show("t|a|n")


def test_single_hidden_cell_next_to_a_total_gets_a_secondary_partner():
    d = Disclosure(threshold=10)
    one_column(d, "t", {"a": 3, "b": 40, "c": 25, "d": 0})
    d.protect()
    # Without a partner, 68 - 40 - 25 - 0 = 3.
    assert d.show("t|a|n") == "<10"
    assert d.show("t|c|n") == "x"  # the next-smallest, not the largest
    assert d.show("t|b|n") == "40"
    assert d.show("t|*|n") == "68"
    assert not recovered(
        shown_everything(d), d.equations, 10, 2 * max(d.values.values()) + 10, d.values
    )


def test_two_small_cells_that_sum_to_two_are_not_enough_protection():
    # 1 + 1 = total - visible: both "<10" cells would be exactly 1.
    d = Disclosure(threshold=10)
    one_column(d, "t", {"a": 1, "b": 1, "c": 30})
    d.protect()
    assert d.show("t|c|n") == "x"
    assert not recovered(
        shown_everything(d), d.equations, 10, 2 * max(d.values.values()) + 10, d.values
    )


def test_a_row_total_that_would_reveal_a_single_hidden_cell_in_a_two_way_table():
    d = Disclosure(threshold=10)
    rows = [("r1", "Regio 1"), ("r2", "Regio 2"), ("r3", "Regio 3")]
    cols = [("man", "Man"), ("vrouw", "Vrouw"), ("trans", "Transgender")]
    values = {
        ("r1", "man"): 12,
        ("r1", "vrouw"): 30,
        ("r1", "trans"): 2,
        ("r2", "man"): 15,
        ("r2", "vrouw"): 41,
        ("r2", "trans"): 11,
        ("r3", "man"): 20,
        ("r3", "vrouw"): 25,
        ("r3", "trans"): 13,
    }
    d.table("g", "g", rows, cols, values, row_totals=True, column_totals=True)
    d.protect()
    assert d.show("g|r1|trans") == "<10"
    hidden = [k for k in d.values if d.show(k) in ("x", "<10")]
    # Its row and its column each get a partner, and that partner's line gets one too.
    assert len(hidden) >= 4
    assert d.show("g|*|*") == str(sum(values.values()))
    assert not recovered(
        shown_everything(d), d.equations, 10, 2 * max(d.values.values()) + 10, d.values
    )


def test_total_is_hidden_when_nothing_else_can_protect_the_cell():
    d = Disclosure(threshold=10)
    one_column(d, "t", {"a": 1, "b": 10, "c": 0})
    d.protect()
    # 11 - 10 = 1 whatever else is hidden: only hiding the total helps.
    assert d.show("t|*|n") == "x"
    assert not recovered(
        shown_everything(d), d.equations, 10, 2 * max(d.values.values()) + 10, d.values
    )


def test_the_same_total_in_two_tables_is_hidden_in_both():
    d = Disclosure(threshold=10)
    one_column(d, "gender", {"w": 10, "m": 1}, aliases={("*", "n"): "new_cases"})
    one_column(d, "route", {"ggd": 11, "police": 0}, aliases={("*", "n"): "new_cases"})
    d.protect()
    assert d.show("new_cases") == "x"
    # The route table must not give the total away either.
    assert d.show("route|ggd|n") == "x"
    assert not recovered(
        shown_everything(d), d.equations, 10, 2 * max(d.values.values()) + 10, d.values
    )


def test_same_value_in_two_tables_must_agree():
    d = Disclosure(threshold=10)
    d.add("k", 3)
    with pytest.raises(ValueError):
        d.add("k", 4)


def test_percentages_only_on_visible_counts_and_bases():
    d = Disclosure(threshold=10)
    table = one_column(d, "t", {"a": 3, "b": 40, "c": 60, "e": 20}, percentages=True)
    d.protect()
    body = {row[0]: row[1:] for row in table.body}
    assert body["a"] == ["<10", ""]
    assert body["e"] == ["x", ""]  # hidden partner: no percentage either
    assert body["b"] == ["40", "33%"]
    assert body["c"] == ["60", "49%"]
    assert table.footer == ["Totaal", "123", "100%"]


def test_no_percentages_on_a_hidden_base():
    d = Disclosure(threshold=10)
    table = one_column(d, "t", {"a": 1, "b": 10}, percentages=True)
    d.protect()
    assert all(row[-1] == "" for row in table.body)
    assert table.footer[-1] == ""


def test_overlapping_rows_get_no_totals():
    d = Disclosure(threshold=10)
    table = one_column(d, "sector", {"window": 30, "escort": 4}, additive=False)
    d.protect()
    assert table.footer is None
    assert d.equations == []
    assert [row[1] for row in table.body] == ["30", "<10"]


def test_an_extra_equation_protects_a_derived_group():
    # transgender = trans women + trans men, shown as its own row elsewhere.
    d = Disclosure(threshold=10)
    one_column(d, "gender", {"woman": 40, "trans_woman": 12, "trans_man": 3})
    d.add("transgender", 15)
    d.equation("transgender", ["gender|trans_woman|n", "gender|trans_man|n"])
    d.protect()
    assert d.show("gender|trans_man|n") == "<10"
    assert not recovered(
        shown_everything(d), d.equations, 10, 2 * max(d.values.values()) + 10, d.values
    )


def test_bars_scale_to_the_largest_visible_value_and_skip_hidden():
    d = Disclosure(threshold=10)
    table = one_column(d, "t", {"a": 3, "b": 40, "c": 20, "d": 25})
    d.protect()
    bars = {bar.label: bar for bar in table.bars}
    assert bars["a"].fraction is None and bars["a"].shown == "<10"
    assert bars["b"].fraction == 1.0
    assert bars["c"].fraction is None  # the secondary partner
    assert bars["d"].fraction == pytest.approx(25 / 40)


@pytest.mark.parametrize("seed", range(40))
def test_attacker_recovers_nothing_from_random_small_tables(seed):
    import random

    rng = random.Random(seed)
    d = Disclosure(threshold=5)
    rows = [(f"r{i}", f"r{i}") for i in range(2)]
    cols = [(f"c{j}", f"c{j}") for j in range(3)]
    values = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 6, 9]) for r, _ in rows for c, _ in cols}
    d.table("t", "t", rows, cols, values, row_totals=True, column_totals=True)
    d.protect()
    assert not recovered(
        shown_everything(d), d.equations, 5, 2 * max(d.values.values()) + 10, d.values
    ), values


def test_the_attacker_does_find_a_cell_protected_by_primary_suppression_only():
    # The attacker is not toothless: with only "<10" and a visible total, it recovers the cell.
    d = Disclosure(threshold=10)
    one_column(d, "t", {"a": 3, "b": 40, "c": 25})
    d.protect()
    naive = {key: ("<10" if key == "t|a|n" else str(value)) for key, value in d.values.items()}
    assert recovered(naive, d.equations, 10, 100, d.values) == {"t|a|n"}
