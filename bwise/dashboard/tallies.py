"""Reading the figures from the summaries (``trajects.summaries``) instead of all the records.

A figure that can be read from them registers ``from_summaries``: it gets the ``Tallies``
of the organisations shown and the period, and returns its value, or None when the
summaries cannot answer (a filter on something they do not count, a period that does not
start and end with a month); the dashboard then computes it directly.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from bwise.accounts.models import User
from bwise.dashboard.period import Period

Row = namedtuple("Row", "kind day phase outcome statuut team coach_id days n")


class Rows(list):
    """Summary rows read once per request; the figures pick theirs in Python."""

    def where(self, test) -> Rows:
        return Rows(row for row in self if test(row))


@dataclass
class Tallies:
    rows: QuerySet  # Summary rows of the organisations shown
    statuut: str | None = None  # the statuut filter ('' for unknown), None when not filtered
    team: str | None = None

    @cached_property
    def _current(self) -> QuerySet:
        """The rows that count today: a count of today is kept up to the last day of
        employment of the workers it holds (``trajects.summaries``)."""
        return self.rows.filter(Q(until__isnull=True) | Q(until__gte=timezone.localdate()))

    @cached_property
    def _loaded(self) -> dict[str, Rows]:
        """Every row but the per-coach ones, by kind, in one query: a few thousand at most,
        however many workers (days and months, not people, make the rows). Summed over the
        organisations shown in SQL: the federation's 300 organisations would otherwise
        bring each its own rows into Python."""
        dims = Row._fields[:-1]
        grouped = (
            self._current.exclude(kind="coach")
            .order_by()
            .values(*dims)
            .annotate(summed=Sum("n"))
            .values_list(*dims, "summed")
        )
        by_kind: dict[str, Rows] = defaultdict(Rows)
        for row in grouped:
            by_kind[row[0]].append(Row(*row))
        return by_kind

    def all_of(self, kind: str) -> Rows:
        return self._loaded.get(kind, Rows())

    def of(self, kind: str, *, dims: tuple[str, ...] = ("statuut", "team")) -> Rows | None:
        """The rows of ``kind`` within the filters; None when ``kind`` does not count per a
        filtered dimension."""
        rows = self.all_of(kind)
        for dim in ("statuut", "team"):
            value = getattr(self, dim)
            if value is None:
                continue
            if dim not in dims:
                return None
            rows = rows.where(lambda row, dim=dim, value=value: getattr(row, dim) == value)
        return rows

    def coaches(self) -> list[tuple[int, int, int, str | None]] | None:
        """(coach id (0: none), workers, of whom with an open trajectory, the coach's name)
        per coach, summed from the per-coach rows with the names in the same query."""
        if self.statuut is not None or self.team is not None:
            return None
        grouped = (
            self._current.filter(kind="coach")
            .order_by()
            .values_list("coach_id", "organisation_id")
            .annotate(workers=Sum("n"), open=Sum("n", filter=~Q(phase="")))
        )
        grouped_sql, params = grouped.query.sql_with_params()
        # The names joined once per coach, after the grouping, as User.get_full_name or the
        # username; only of a user of the organisation the row counts for.
        sql = f"""
            SELECT g.coach_id, g.workers, COALESCE(g.open, 0),
                   COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.username)
            FROM ({grouped_sql}) AS g (coach_id, organisation_id, workers, open)
            LEFT JOIN {User._meta.db_table} u ON u.id = g.coach_id AND u.organisation_id = g.organisation_id
        """  # noqa: S608 - the inner SQL is Django's, the table name the model's
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def sums(rows: Rows, *fields: str) -> Counter:
    """``n`` summed per value of ``fields`` (a tuple of them, or the value for one field)."""
    found = Counter()
    for row in rows:
        key = tuple(getattr(row, field) for field in fields)
        found[key[0] if len(fields) == 1 else key] += row.n
    return found


def total(rows: Rows) -> int:
    return sum(row.n for row in rows)


def month_aligned(period: Period) -> bool:
    return period.month_aligned


def in_months(rows: Rows, period: Period) -> Rows:
    return rows.where(lambda row: row.day is not None and period.start <= row.day <= period.end)


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
