"""Reading the figures from the summaries (``trajects.summaries``) instead of all the records.

A figure that can be read from them registers ``from_summaries``: it gets the ``Tallies``
of the organisations shown and the period, and returns its value, or None when the
summaries cannot answer (a filter on something they do not count, a period that does not
start and end with a month); the dashboard then computes it directly.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from bwise.dashboard.period import Period


@dataclass(frozen=True)
class Tallies:
    rows: QuerySet  # Summary rows of the organisations shown
    statuut: str | None = None  # the statuut filter ('' for unknown), None when not filtered
    team: str | None = None

    def of(self, kind: str, *, dims: tuple[str, ...] = ("statuut", "team")) -> QuerySet | None:
        """The rows of ``kind`` within the filters; None when ``kind`` does not count per a
        filtered dimension."""
        rows = self.rows.filter(kind=kind)
        for dim in ("statuut", "team"):
            value = getattr(self, dim)
            if value is None:
                continue
            if dim not in dims:
                return None
            rows = rows.filter(**{dim: value})
        return rows


def sums(rows: QuerySet, *fields: str) -> Counter:
    """``n`` summed per value of ``fields`` (a tuple of them, or the value for one field)."""
    grouped = rows.order_by().values_list(*fields).annotate(total=Sum("n"))
    if len(fields) == 1:
        return Counter({row[0]: row[1] for row in grouped})
    return Counter({tuple(row[:-1]): row[-1] for row in grouped})


def total(rows: QuerySet) -> int:
    return rows.aggregate(total=Sum("n"))["total"] or 0


def month_aligned(period: Period) -> bool:
    return period.month_aligned


def in_months(rows: QuerySet, period: Period) -> QuerySet:
    return rows.filter(day__gte=period.start, day__lte=period.end)


def percentile(histogram: list[tuple[int, int]], fraction: float) -> float | None:
    """``percentile_cont`` over values given as (value, how many), sorted by value."""
    count = sum(n for _value, n in histogram)
    if not count:
        return None
    position = fraction * (count - 1)
    low, high = math.floor(position), math.ceil(position)

    def at(index):
        seen = 0
        for value, n in histogram:
            seen += n
            if index < seen:
                return value
        return histogram[-1][0]

    low_value, high_value = at(low), at(high)
    return low_value + (high_value - low_value) * (position - low)
