"""Small-count suppression for figures that span organisations (the federation view).

Hiding every count below ``SMALL_COUNT`` is not enough when totals are shown: a row with
one hidden cell gives it away (the total minus the shown cells). So after the small
counts (primary suppression), every "line" (a set of shown counts tied by a sum: a row
or column of a table with its total, a monthly series with the period's total) that has
exactly one hidden count gets its next-smallest count hidden too (secondary
suppression), until no line has exactly one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable

SMALL_COUNT = 5


@dataclasses.dataclass(frozen=True)
class Hidden:
    """A count that is not shown: below ``SMALL_COUNT`` itself (primary) or hidden so that
    a small one cannot be worked out (secondary)."""

    primary: bool

    def __str__(self) -> str:
        return f"<{SMALL_COUNT}" if self.primary else "×"


def is_small(value) -> bool:
    return isinstance(value, int) and 0 < value < SMALL_COUNT


def hidden_keys(values: dict[Hashable, int], lines: Iterable[list[Hashable]]) -> set[Hashable]:
    """The keys of ``values`` to hide so that no line has exactly one hidden count."""
    lines = list(lines)
    hidden = {key for key, value in values.items() if is_small(value)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in hidden for key in line) != 1:
                continue
            shown = [key for key in line if key not in hidden and values[key] > 0]
            # A line that adds up always has another non-zero count beside a hidden one;
            # one that does not (figures counted a little differently) has nothing to give away.
            if shown:
                hidden.add(min(shown, key=lambda key: values[key]))
                changed = True
    return hidden


def _shown(value, key, hidden):
    return Hidden(primary=is_small(value)) if key in hidden else value


def suppress_cross_table(table):
    """A ``CrossTable`` (cells with row and column totals and a grand total) with its
    hidden counts replaced by ``Hidden``."""
    values = {("grand",): table.total}
    for r, (_phase, _label, cells, total) in enumerate(table.rows):
        values[("row", r)] = total
        for c, (_statuut, n) in enumerate(cells):
            values[("cell", r, c)] = n
    for c, total in enumerate(table.totals):
        values[("column", c)] = total
    columns = range(len(table.totals))
    rows = range(len(table.rows))
    lines = [
        *([("cell", r, c) for c in columns] + [("row", r)] for r in rows),
        *([("cell", r, c) for r in rows] + [("column", c)] for c in columns),
        [("row", r) for r in rows] + [("grand",)],
        [("column", c) for c in columns] + [("grand",)],
    ]
    hidden = hidden_keys(values, lines)
    return dataclasses.replace(
        table,
        rows=[
            (
                phase,
                label,
                [(statuut, _shown(n, ("cell", r, c), hidden)) for c, (statuut, n) in enumerate(cells)],
                _shown(total, ("row", r), hidden),
            )
            for r, (phase, label, cells, total) in enumerate(table.rows)
        ],
        totals=[_shown(total, ("column", c), hidden) for c, total in enumerate(table.totals)],
        total=_shown(table.total, ("grand",), hidden),
    )


def suppress_movements_and_trends(movements: dict, months: list) -> tuple[dict, list]:
    """The period's movements and its monthly series: the months' started trajectories add
    up to the trajectories started, their closed ones to the four outcomes together."""
    values = {("movement", key): n for key, n in movements.items()}
    for index, month in enumerate(months):
        values[("started", index)] = month.started
        values[("closed", index)] = month.closed
    indexes = range(len(months))
    lines = [
        [("started", i) for i in indexes] + [("movement", "started")],
        [("closed", i) for i in indexes] + [("movement", key) for key in movements if key != "started"],
    ]
    hidden = hidden_keys(values, lines)
    shown_movements = {key: _shown(n, ("movement", key), hidden) for key, n in movements.items()}
    shown_months = [
        dataclasses.replace(
            month,
            started=_shown(month.started, ("started", i), hidden),
            closed=_shown(month.closed, ("closed", i), hidden),
        )
        for i, month in enumerate(months)
    ]
    return shown_movements, shown_months
