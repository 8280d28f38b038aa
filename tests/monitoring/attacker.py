"""An attacker who sees only what a page shows and tries the values hidden cells could have.

Independent of monitoring.disclosure's own interval reasoning: a search over integer values
for the shown strings ("<10" is 1..9, "x" is 10 or more, numbers are exact) under the sums a
reader knows hold (row and column totals, the same total in two tables). A hidden count is
recovered when no other value than the true one fits everything shown.
"""

# What the attacker knows of a count that the page does not show but that shown numbers add
# up to (the cases closed from a phase: its stays less the moves out of it): nothing.
UNSEEN = "?"


def recovered(shown: dict[str, str], equations, threshold: int, ceiling: int, truth: dict):
    ranges = {}
    for key, text in shown.items():
        if text == f"<{threshold}":
            ranges[key] = range(1, threshold)
        elif text == "x":
            ranges[key] = range(threshold, ceiling + 1)
        elif text == UNSEEN:
            ranges[key] = range(0, ceiling + 1)
    known = {k: int(v) for k, v in shown.items() if k not in ranges}
    relevant = [(t, p) for t, p in equations if t in ranges or any(x in ranges for x in p)]
    found = set()
    for key in sorted(ranges):
        if shown[key] == UNSEEN and not 0 < truth[key] < threshold:
            continue  # worked out, a zero or a large count says no more than a shown one
        if truth[key] not in ranges[key]:
            found.add(key)  # the page lies about it: that is a leak of its own
            continue
        alternatives = [v for v in ranges[key] if v != truth[key]]
        if not _solvable(key, alternatives, ranges, known, relevant):
            found.add(key)
    return found


def _component(key, relevant):
    """The numbers tied to ``key`` by sums, in breadth-first order (so sums close early)."""
    members, frontier, equations = {key: None}, [key], []
    used = set()
    while frontier:
        current = frontier.pop(0)
        for index, (total, parts) in enumerate(relevant):
            if index in used or (current != total and current not in parts):
                continue
            used.add(index)
            equations.append((total, parts))
            for member in (total, *parts):
                if member not in members:
                    members[member] = None
                    frontier.append(member)
    return members, equations


def _solvable(key, first_values, ranges, known, relevant) -> bool:
    """Is there an assignment with ``key`` taking one of ``first_values``?"""
    members, equations = _component(key, relevant)
    hidden = [m for m in members if m in ranges]
    values = {m: known[m] for m in members if m in known}

    def consistent():
        for total, parts in equations:
            assigned = [values[p] for p in parts if p in values]
            if total in values:
                if len(assigned) == len(parts):
                    if sum(assigned) != values[total]:
                        return False
                elif sum(assigned) > values[total]:
                    return False
        return True

    def forced():
        found = {}
        progress = True
        while progress:
            progress = False
            for total, parts in equations:
                merged = {**values, **found}
                unknown = [m for m in (total, *parts) if m not in merged]
                if len(unknown) != 1:
                    continue
                target = unknown[0]
                if target == total:
                    value = sum(merged[p] for p in parts)
                else:
                    value = merged[total] - sum(merged[p] for p in parts if p != target)
                if value not in ranges[target] or (target == key and value not in first_values):
                    return None
                found[target] = value
                progress = True
        return found

    def search(index):
        while index < len(hidden) and hidden[index] in values:
            index += 1
        if index == len(hidden):
            return True
        target = hidden[index]
        for value in first_values if target == key else ranges[target]:
            values[target] = value
            if consistent():
                extra = forced()
                if extra is not None:
                    values.update(extra)
                    ok = consistent() and search(index + 1)
                    for name in extra:
                        del values[name]
                    if ok:
                        del values[target]
                        return True
            del values[target]
        return False

    return search(0)
