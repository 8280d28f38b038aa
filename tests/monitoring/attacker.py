"""An attacker who sees only what a page shows and tries every value the hidden cells could have.

Independent of monitoring.disclosure's own interval reasoning: an exhaustive search (with
pruning) over the shown strings ("<10", "x", numbers) and the sums a reader knows hold (row
and column totals, the same total in two tables).
"""


def feasible_values(shown: dict[str, str], equations, threshold: int, ceiling: int):
    """For every hidden key, the set of values consistent with everything shown."""
    ranges = {}
    for key, text in shown.items():
        if text == f"<{threshold}":
            ranges[key] = range(1, threshold)
        elif text == "x":
            ranges[key] = range(threshold, ceiling + 1)
    known = {k: int(v) for k, v in shown.items() if k not in ranges}
    relevant = [(t, p) for t, p in equations if t in ranges or any(x in ranges for x in p)]
    # Assign the most constrained keys first so sums close early.
    hidden = sorted(ranges, key=lambda k: (len(ranges[k]), k))
    possible = {key: set() for key in hidden}
    values = dict(known)

    def consistent():
        for total, parts in relevant:
            assigned = [values[p] for p in parts if p in values]
            if total in values:
                if len(assigned) == len(parts):
                    if sum(assigned) != values[total]:
                        return False
                elif sum(assigned) > values[total]:
                    return False
        return True

    def forced():
        """Values that follow from a sum with one unknown left; None on a contradiction."""
        found = {}
        progress = True
        while progress:
            progress = False
            for total, parts in relevant:
                members = (total, *parts)
                unknown = [m for m in members if m not in values and m not in found]
                if len(unknown) != 1:
                    continue
                get = {**values, **found}.get
                key = unknown[0]
                if key == total:
                    value = sum(get(p) for p in parts)
                else:
                    value = get(total) - sum(get(p) for p in parts if p != key)
                if value not in ranges[key]:
                    return None
                found[key] = value
                progress = True
        return found

    def search(index):
        while index < len(hidden) and hidden[index] in values:
            index += 1
        if index == len(hidden):
            for key in hidden:
                possible[key].add(values[key])
            return
        key = hidden[index]
        for value in ranges[key]:
            values[key] = value
            if consistent():
                found = forced()
                if found is not None:
                    values.update(found)
                    if consistent():
                        search(index + 1)
                    for extra in found:
                        del values[extra]
            del values[key]

    search(0)
    return possible


def recovered(shown, equations, threshold, ceiling):
    """Hidden keys whose value the attacker can pin down to one number (or none at all)."""
    possible = feasible_values(shown, equations, threshold, ceiling)
    return {key for key, values in possible.items() if len(values) <= 1}
