"""The dashboard's summaries: compact per-organisation counts that the services keep up to date.

Every worker *contributes* a few counts, each on a key (``trajects.models.Summary``):

* ``now``: the phase of the open trajectory ('' for none), statuut and team;
* ``coach``: the coach and that phase;
* ``lde``: the start of an LDE worker's statuut (the five-year limit counts from it);
* ``started`` and ``closed`` (with the phase left and the outcome): trajectories per month;
* ``entered``, ``moved_on``, ``stepped_back``: the flow through the phases per month;
* ``active`` and ``moved``: per year, the worker had a trajectory open in it, or closed one
  as moved on internally or externally (each worker once);
* ``stay``: per month a trajectory left a phase, the whole days it spent there;
* and what other apps register with :func:`register_contribution` (the POPs).

The counts of today (``now``, ``coach``, ``lde``, ``pop``) also carry the worker's last day
of employment (``until``) and are read only up to it (``Worker.objects.employed_on``): an end
that passes overnight leaves them on the next day without any recompute, and no count
depends on the day it was computed.

A worker's contribution is computed in SQL from its own rows only. A service that changes
workers wraps the change in :func:`tracking`: the contributions of those workers before and
after are compared and only the difference is written, in the same transaction. Leaving
the organisation, a new statuut or a step of a trajectory are all just changes a service
reports. :func:`recompute` computes an organisation's counts in full with the same SQL
(the nightly task), and marks them complete: the dashboard reads the summaries only of
organisations that were computed in full once, and falls back to the direct SQL for the others.
"""

# ruff: noqa: S608 - the SQL holds table names from the models; every value is a parameter

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from trajects.models import Summary, SummaryState, Trajectory, TrajectoryTransition, Worker
from trajects.state import Outcome

KEY = ("organisation_id", "kind", "day", "phase", "outcome", "statuut", "team", "coach_id", "days", "until")

W = Worker._meta.db_table
T = Trajectory._meta.db_table
H = TrajectoryTransition._meta.db_table


def _month(column: str) -> str:
    return f"date_trunc('month', {column} AT TIME ZONE %(tz)s)::date"


def _year(column: str) -> str:
    return f"extract(year FROM {column} AT TIME ZONE %(tz)s)::int"


# Today's counts hold who left too, on the last day of their employment: the dashboard reads
# them up to that day (``bwise.dashboard.tallies``).
UNTIL = "w.employment_end"

# Each SELECT gives the columns of KEY and a count, for the workers ``{cond}`` selects (alias w).
CONTRIBUTIONS: list[str] = [
    f"""SELECT w.organisation_id, 'now', NULL::date, COALESCE(t.phase, ''), '', w.statuut, w.team, 0, 0,
               {UNTIL}, COUNT(*)
        FROM {W} w LEFT JOIN {T} t ON t.worker_id = w.id AND t.status <> 'closed'
        WHERE {{cond}} GROUP BY 1, 4, 6, 7, 10""",
    f"""SELECT w.organisation_id, 'coach', NULL::date, COALESCE(t.phase, ''), '', '', '',
               COALESCE(w.coach_id, 0), 0, {UNTIL}, COUNT(*)
        FROM {W} w LEFT JOIN {T} t ON t.worker_id = w.id AND t.status <> 'closed'
        WHERE {{cond}} GROUP BY 1, 4, 8, 10""",
    f"""SELECT w.organisation_id, 'lde', w.statuut_start, '', '', '', '', 0, 0, {UNTIL}, COUNT(*)
        FROM {W} w
        WHERE {{cond}} AND w.statuut = 'lde' AND w.statuut_start IS NOT NULL GROUP BY 1, 3, 10""",
    f"""SELECT w.organisation_id, 'started', {_month("t.started_at")}, '', '', w.statuut, w.team, 0, 0,
               NULL::date, COUNT(*)
        FROM {W} w JOIN {T} t ON t.worker_id = w.id
        WHERE {{cond}} GROUP BY 1, 3, 6, 7""",
    f"""SELECT w.organisation_id, 'closed', {_month("t.closed_at")}, t.phase, t.outcome, w.statuut, w.team,
               0, 0, NULL::date, COUNT(*)
        FROM {W} w JOIN {T} t ON t.worker_id = w.id
        WHERE {{cond}} AND t.status = 'closed' AND t.closed_at IS NOT NULL GROUP BY 1, 3, 4, 5, 6, 7""",
    f"""SELECT w.organisation_id, f.kind, {_month("h.at")}, f.phase, '', w.statuut, w.team, 0, 0, NULL::date,
               COUNT(*)
        FROM {W} w JOIN {T} t ON t.worker_id = w.id JOIN {H} h ON h.trajectory_id = t.id
        CROSS JOIN LATERAL (VALUES
            (CASE WHEN h.to_phase <> h.from_phase THEN 'entered' END, h.to_phase),
            (CASE WHEN h.name LIKE 'to\\_%%' THEN 'moved_on'
                  WHEN h.name LIKE 'back\\_to\\_%%' THEN 'stepped_back' END, h.from_phase)
        ) AS f(kind, phase)
        WHERE {{cond}} AND f.kind IS NOT NULL GROUP BY 1, 2, 3, 4, 6, 7""",
    f"""SELECT organisation_id, 'active', make_date(y, 1, 1), '', '', statuut, team, 0, 0, NULL::date,
               COUNT(*)
        FROM (
            SELECT DISTINCT w.id, w.organisation_id, w.statuut, w.team, y
            FROM {W} w JOIN {T} t ON t.worker_id = w.id
            CROSS JOIN LATERAL generate_series(
                {_year("t.started_at")}, {_year("COALESCE(t.closed_at, %(now)s)")}) AS y
            WHERE {{cond}}
        ) a GROUP BY 1, 3, 6, 7""",
    f"""SELECT organisation_id, 'moved', make_date(y, 1, 1), '', outcome, statuut, team, 0, 0, NULL::date,
               COUNT(*)
        FROM (
            SELECT DISTINCT w.id, w.organisation_id, w.statuut, w.team, t.outcome, {_year("t.closed_at")} AS y
            FROM {W} w JOIN {T} t ON t.worker_id = w.id
            WHERE {{cond}} AND t.status = 'closed' AND t.outcome IN (%(intern)s, %(extern)s)
        ) m GROUP BY 1, 3, 5, 6, 7""",
    # As ``bwise.dashboard.figures.phase_durations_sql``, per month left and in whole days.
    f"""WITH segment AS (
            SELECT w.organisation_id, w.statuut, h.trajectory_id, h.to_phase AS phase, h.to_status AS status,
                   h.at, LEAD(h.at) OVER (PARTITION BY h.trajectory_id ORDER BY h.at, h.id) AS next_at
            FROM {W} w JOIN {T} t ON t.worker_id = w.id JOIN {H} h ON h.trajectory_id = t.id
            WHERE {{cond}}
        ), stay AS (
            SELECT organisation_id, statuut, trajectory_id, phase,
                   SUM(EXTRACT(EPOCH FROM next_at - at)) / 86400.0 AS days, MAX(next_at) AS left_at
            FROM segment WHERE status <> 'closed'
            GROUP BY organisation_id, statuut, trajectory_id, phase
            HAVING bool_and(next_at IS NOT NULL)
        )
        SELECT organisation_id, 'stay', {_month("left_at")}, phase, '', statuut, '', 0, round(days)::int,
               NULL::date, COUNT(*)
        FROM stay GROUP BY 1, 3, 4, 6, 9""",
]


def register_contribution(sql: str) -> None:
    """Add a SELECT of the columns of ``KEY`` and a count for the workers ``{cond}`` selects
    (alias ``w``); an app that records what a figure counts registers it at start-up."""
    if sql not in CONTRIBUTIONS:
        CONTRIBUTIONS.append(sql)


def _params(**extra) -> dict:
    return {
        "tz": settings.TIME_ZONE,
        "now": timezone.now(),
        "intern": Outcome.INTERN.value,
        "extern": Outcome.EXTERN.value,
        **extra,
    }


def _union(cond: str) -> str:
    return "\nUNION ALL\n".join(f"({sql.format(cond=cond)})" for sql in CONTRIBUTIONS)


def contributions(worker_ids: Iterable[int]) -> Counter:
    """The counts these workers contribute, by key."""
    ids = sorted(set(worker_ids))
    if not ids:
        return Counter()
    with connection.cursor() as cursor:
        cursor.execute(_union("w.id = ANY(%(ids)s)"), _params(ids=ids))
        return Counter({tuple(row[:-1]): row[-1] for row in cursor.fetchall()})


def _apply(delta: Counter) -> None:
    # In one order of the keys: two transactions counting the same rows then wait for each
    # other instead of deadlocking.
    changes = sorted(
        ((*key, n) for key, n in delta.items() if n),
        key=lambda change: tuple("" if value is None else str(value) for value in change),
    )
    if not changes:
        return
    table = Summary._meta.db_table
    columns = ", ".join(KEY)
    row = "(" + ", ".join(["%s"] * (len(KEY) + 1)) + ")"
    emptied = []
    with connection.cursor() as cursor:
        for start in range(0, len(changes), 1000):
            chunk = changes[start : start + 1000]
            values = ", ".join([row] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}, n) VALUES {values} "
                f"ON CONFLICT ON CONSTRAINT summary_key DO UPDATE SET n = {table}.n + EXCLUDED.n "
                "RETURNING id, n",
                [value for change in chunk for value in change],
            )
            emptied += [pk for pk, n in cursor.fetchall() if n == 0]
        # Keys nobody falls on any more leave the table, which so stays compact.
        if emptied:
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s) AND n = 0", [emptied])


class Tracker:
    def __init__(self, worker_ids, *, active: bool):
        self.active = active
        self.ids = set(worker_ids)
        self.before = contributions(self.ids) if active else Counter()

    def add(self, worker_id: int) -> None:
        """A worker created inside the block: it contributed nothing before."""
        self.ids.add(worker_id)


@contextmanager
def tracking(organisation_id: int, worker_ids: Iterable[int] = ()):
    """Keep the organisation's summaries in step with what the block changes about these
    workers (and the ones it creates and passes to ``add``), in the block's transaction.

    Locks the workers first, so that two changes of the same worker do not both count from
    the same before; a deleted worker contributes nothing after. An organisation whose
    summaries were never computed in full has none to keep: the block runs as it is."""
    with transaction.atomic():
        active = SummaryState.objects.filter(organisation_id=organisation_id).exists()
        ids = sorted(set(worker_ids))
        if active and ids:
            _lock(ids)
        tracker = Tracker(ids, active=active)
        yield tracker
        if active:
            _apply(_delta(tracker.before, contributions(tracker.ids)))


def _lock(ids):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {W} WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids])


def _delta(before: Counter, after: Counter) -> Counter:
    delta = Counter(after)
    delta.subtract(before)
    return delta


def computed(organisation_ids: Iterable[int]) -> bool:
    """Whether every one of these organisations has summaries computed in full. One without
    workers has none to compute: a new, empty member of the federation does not send the
    federation view back to counting every organisation's records."""
    ids = set(organisation_ids)
    if not ids:
        return False
    missing = ids - set(
        SummaryState.objects.filter(organisation_id__in=ids).values_list("organisation_id", flat=True)
    )
    if not missing:
        return True
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {W} WHERE organisation_id = ANY(%s) LIMIT 1", [sorted(missing)])
        return cursor.fetchone() is None


def direct(organisation_id: int) -> Counter:
    """An organisation's counts computed directly from its records, by key (what the
    summaries must equal). One contribution at a time: PostgreSQL plans each well alone."""
    found = Counter()
    params = _params(org=organisation_id)
    with connection.cursor() as cursor:
        for sql in CONTRIBUTIONS:
            cursor.execute(sql.format(cond="w.organisation_id = %(org)s"), params)
            found.update({tuple(row[:-1]): row[-1] for row in cursor.fetchall()})
    return +found


def stored(organisation_id: int) -> Counter:
    rows = Summary.objects.unscoped(reason="the summaries of one organisation, compared or replaced").filter(
        organisation_id=organisation_id
    )
    return Counter({tuple(row[:-1]): row[-1] for row in rows.values_list(*KEY, "n")})


def recompute(organisation_id: int) -> int:
    """Replace an organisation's summaries by a full computation; the number of rows.

    Runs with the organisation's workers locked against the services' changes, so that no
    change counts twice or not at all."""
    table = Summary._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {W} WHERE organisation_id = %s FOR SHARE", [organisation_id])
            counts = direct(organisation_id)
            cursor.execute(f"DELETE FROM {table} WHERE organisation_id = %s", [organisation_id])
        _apply(counts)
        SummaryState.objects.update_or_create(
            organisation_id=organisation_id, defaults={"computed_at": timezone.now()}
        )
    return len(counts)
