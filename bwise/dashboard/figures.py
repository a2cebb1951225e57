"""The figures that rest on workers, trajectories and POPs. See ``registry`` for adding more."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bwise.dashboard.filters import UNKNOWN
from bwise.dashboard.period import Period
from bwise.dashboard.registry import Figure, WorkerList, register_figure, register_list
from bwise.dashboard.tallies import Tallies, in_months, month_aligned, percentile, sums, total
from competenties.selectors import POP_DUE_WARNING_DAYS, one_year_before, with_pop_status
from trajects.models import Statuut, Trajectory, TrajectoryTransition
from trajects.state import PHASE_ORDER, Outcome, Phase, Status

NO_PHASE = "none"  # the caseload filter's value for "no open trajectory"


def _trajectories(workers):
    return Trajectory.objects.of_worker(workers)


def _employed(workers):
    """Today's figures count the workers employed today (``Worker.objects.employed_on``);
    the period's figures keep who left, since their trajectories happened."""
    return workers.employed_on(timezone.localdate())


def _open_trajectory():
    return Trajectory.objects.current().filter(worker=OuterRef("pk"))


# --- Workers per phase and statuut -------------------------------------------------------


@dataclass
class CrossTable:
    columns: list[tuple[str, str]]  # (statuut filter value, label)
    rows: list[tuple[str, str, list[tuple[str, int]], int]]  # (phase, label, (statuut, count)..., total)
    totals: list[int]
    total: int


def phase_statuut(workers, period: Period) -> CrossTable:
    """Workers by the phase of their open trajectory (now) and statuut, in two grouped queries.

    A worker has at most one open trajectory (a database constraint), so those without
    one are each statuut's total minus its workers in a phase."""
    workers = _employed(workers)
    in_phase = {
        (row["phase"], row["worker__statuut"] or UNKNOWN): row["n"]
        for row in _trajectories(workers)
        .current()
        .order_by()
        .values("phase", "worker__statuut")
        .annotate(n=Count("pk"))
    }
    per_statuut = {
        row["statuut"] or UNKNOWN: row["n"]
        for row in workers.order_by().values("statuut").annotate(n=Count("pk"))
    }
    return _cross_table(in_phase, per_statuut)


def _cross_table(in_phase: dict, per_statuut: dict) -> CrossTable:
    columns = [*Statuut.choices, (UNKNOWN, _("unknown"))]
    rows = []
    for phase in PHASE_ORDER:
        cells = [(statuut, in_phase.get((phase.value, statuut), 0)) for statuut, _label in columns]
        rows.append((phase.value, phase.label, cells, sum(n for _s, n in cells)))
    without = [
        (statuut, per_statuut.get(statuut, 0) - sum(in_phase.get((p.value, statuut), 0) for p in PHASE_ORDER))
        for statuut, _label in columns
    ]
    rows.append((NO_PHASE, _("no open trajectory"), without, sum(n for _s, n in without)))
    totals = [sum(row[2][i][1] for row in rows) for i in range(len(columns))]
    return CrossTable(columns, rows, totals, sum(totals))


def phase_statuut_tallied(tallies: Tallies, period: Period) -> CrossTable:
    found = sums(tallies.of("now"), "phase", "statuut")
    in_phase, per_statuut = Counter(), Counter()
    for (phase, statuut), n in found.items():
        statuut = statuut or UNKNOWN
        per_statuut[statuut] += n
        if phase:
            in_phase[(phase, statuut)] += n
    return _cross_table(in_phase, per_statuut)


def _cross_table_rows(value: CrossTable):
    headers = [str(_("Phase")), *(str(label) for _value, label in value.columns), str(_("Total"))]
    rows = [[str(label), *(n for _s, n in cells), total] for _phase, label, cells, total in value.rows]
    rows.append([str(_("Total")), *value.totals, value.total])
    return headers, rows


register_figure(
    Figure(
        key="phase_statuut",
        title=_("Workers per phase and statuut"),
        compute=phase_statuut,
        from_summaries=phase_statuut_tallied,
        template="dashboard/figures/phase_statuut.html",
        wide=True,
        table=_cross_table_rows,
        order=10,
        explanation=_("Today's situation: the phase of each worker's open trajectory."),
    )
)


# --- Trajectories started and closed in the period ----------------------------------------

MOVEMENTS = [
    ("started", _("Trajectories started")),
    ("intern", _("Moved on internally")),
    ("extern", _("Moved on externally")),
    ("back_to_sec", _("Back to the social economy")),
    ("stopped", _("Stopped")),
]
CLOSE_OUTCOMES = {
    "intern": Outcome.INTERN,
    "extern": Outcome.EXTERN,
    "back_to_sec": Outcome.TERUG_NAAR_SEC,
    "stopped": Outcome.STOPGEZET,
}


def _movement_q(key: str, period: Period) -> Q:
    if key == "started":
        return Q(started_at__gte=period.start_at, started_at__lt=period.end_at)
    return Q(closed_at__gte=period.start_at, closed_at__lt=period.end_at, outcome=CLOSE_OUTCOMES[key])


def movements(workers, period: Period) -> dict[str, int]:
    """Trajectories started, and closed per outcome, within the period (one query)."""
    return _trajectories(workers).aggregate(
        **{key: Count("pk", filter=_movement_q(key, period)) for key, _label in MOVEMENTS}
    )


def movements_tallied(tallies: Tallies, period: Period) -> dict[str, int] | None:
    started, closed = tallies.of("started"), tallies.of("closed")
    if not month_aligned(period):
        return None
    outcomes = sums(in_months(closed, period), "outcome")
    result = {"started": total(in_months(started, period))}
    result.update({key: outcomes.get(outcome, 0) for key, outcome in CLOSE_OUTCOMES.items()})
    return result


def _movement_list(key):
    def members(workers, period):
        return workers.filter(pk__in=Trajectory.objects.filter(_movement_q(key, period)).values("worker_id"))

    return members


for _key, _label in MOVEMENTS:
    register_list(WorkerList(f"movement_{_key}", _label, _movement_list(_key)))
register_list(
    WorkerList(
        "movement_closed",
        _("Trajectories closed"),
        lambda workers, period: workers.filter(
            pk__in=Trajectory.objects.filter(
                closed_at__gte=period.start_at, closed_at__lt=period.end_at
            ).values("worker_id")
        ),
    )
)

register_figure(
    Figure(
        key="movements",
        title=_("Trajectories in the period"),
        compute=movements,
        from_summaries=movements_tallied,
        template="dashboard/figures/movements.html",
        table=lambda value: (
            [str(_("Figure")), str(_("Trajectories"))],
            [[str(label), value[key]] for key, label in MOVEMENTS],
        ),
        order=20,
    )
)


# --- Doorstroom rate per year ------------------------------------------------------------


@dataclass
class YearRate:
    year: int
    active: int
    intern: int
    extern: int

    def rate(self, count: int) -> float | None:
        return round(100 * count / self.active, 1) if self.active else None

    @property
    def year_start(self) -> str:
        return f"{self.year}-01-01"

    @property
    def year_end(self) -> str:
        return f"{self.year}-12-31"

    @property
    def intern_rate(self):
        return self.rate(self.intern)

    @property
    def extern_rate(self):
        return self.rate(self.extern)


def doorstroom_rates(workers, period: Period) -> list[YearRate]:
    """Per calendar year Y touched by the period: workers whose trajectory closed in Y as
    moved on internally (externally), divided by the workers who had a trajectory open at
    some moment of Y. One query whatever the number of years or workers."""
    aggregates = {}
    for year in period.years:
        span = period.year(year)
        in_year = Q(closed_at__gte=span.start_at, closed_at__lt=span.end_at)
        aggregates[f"active_{year}"] = Count(
            "worker_id",
            distinct=True,
            filter=Q(started_at__lt=span.end_at)
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=span.start_at)),
        )
        aggregates[f"intern_{year}"] = Count(
            "worker_id", distinct=True, filter=in_year & Q(outcome=Outcome.INTERN)
        )
        aggregates[f"extern_{year}"] = Count(
            "worker_id", distinct=True, filter=in_year & Q(outcome=Outcome.EXTERN)
        )
    values = _trajectories(workers).aggregate(**aggregates)
    return [
        YearRate(year, values[f"active_{year}"], values[f"intern_{year}"], values[f"extern_{year}"])
        for year in period.years
    ]


def doorstroom_rates_tallied(tallies: Tallies, period: Period) -> list[YearRate] | None:
    # The summaries count the years up to this one: an open trajectory is in none after.
    if period.end.year > timezone.localdate().year:
        return None
    years = [datetime.date(year, 1, 1) for year in period.years]
    active = sums(tallies.of("active").where(lambda row: row.day in years), "day")
    moved = sums(tallies.of("moved").where(lambda row: row.day in years), "day", "outcome")
    return [
        YearRate(
            day.year,
            active.get(day, 0),
            moved.get((day, Outcome.INTERN), 0),
            moved.get((day, Outcome.EXTERN), 0),
        )
        for day in years
    ]


register_figure(
    Figure(
        key="rates",
        title=_("Doorstroom rate per year"),
        compute=doorstroom_rates,
        from_summaries=doorstroom_rates_tallied,
        template="dashboard/figures/rates.html",
        table=lambda value: (
            [
                str(_("Year")),
                str(_("Workers with a trajectory open during the year")),
                str(_("Moved on internally")),
                str(_("Internal rate (%)")),
                str(_("Moved on externally")),
                str(_("External rate (%)")),
            ],
            [[r.year, r.active, r.intern, r.intern_rate, r.extern, r.extern_rate] for r in value],
        ),
        order=30,
        explanation=_(
            "Rate for a year = workers whose trajectory was closed in that year as moved on internally "
            "(externally), divided by the workers who had a trajectory open at some moment of that year."
        ),
    )
)


# --- Time spent per phase ----------------------------------------------------------------


@dataclass
class PhaseDuration:
    phase: str
    label: str
    count: int
    p25: float | None
    median: float | None
    p75: float | None


def phase_durations_sql(workers, period: Period) -> tuple[str, list]:
    """The SQL of the time spent per phase; kept apart so the benchmark can time it alone.

    Every history row opens a segment that lasts until the trajectory's next row. A
    trajectory's time in a phase is the sum of its segments there, pauses included,
    counted once it has left the phase (moved on, stepped back or closed) and only if
    it last left it within the period. Days, with quartiles by ``percentile_cont``.
    """
    worker_sql, worker_params = workers.order_by().values("pk").query.sql_with_params()
    history = TrajectoryTransition._meta.db_table
    trajectories = Trajectory._meta.db_table
    sql = f"""
        WITH segment AS (
            SELECT h.trajectory_id, h.to_phase AS phase, h.to_status AS status, h.at,
                   LEAD(h.at) OVER (PARTITION BY h.trajectory_id ORDER BY h.at, h.id) AS next_at
            FROM {history} h
            JOIN {trajectories} t ON t.id = h.trajectory_id
            WHERE t.worker_id IN ({worker_sql})
        ), stay AS (
            SELECT trajectory_id, phase,
                   SUM(EXTRACT(EPOCH FROM next_at - at)) / 86400.0 AS days,
                   MAX(next_at) AS left_at
            FROM segment
            WHERE status <> %s
            GROUP BY trajectory_id, phase
            HAVING bool_and(next_at IS NOT NULL)
        )
        SELECT phase, COUNT(*),
               percentile_cont(0.25) WITHIN GROUP (ORDER BY days),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
               percentile_cont(0.75) WITHIN GROUP (ORDER BY days)
        FROM stay
        WHERE left_at >= %s AND left_at < %s
        GROUP BY phase
    """  # noqa: S608 - table names from the models, values as parameters
    return sql, [*worker_params, Status.CLOSED, period.start_at, period.end_at]


def phase_durations(workers, period: Period) -> list[PhaseDuration]:
    sql, params = phase_durations_sql(workers, period)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    result = []
    for phase in PHASE_ORDER:
        count, p25, median, p75 = found.get(phase.value, (0, None, None, None))
        result.append(
            PhaseDuration(phase.value, phase.label, count, _round(p25), _round(median), _round(p75))
        )
    return result


def phase_durations_tallied(tallies: Tallies, period: Period) -> list[PhaseDuration] | None:
    """From the summaries, in whole days per stay."""
    stays = tallies.of("stay", dims=("statuut",))
    if stays is None or not month_aligned(period):
        return None
    found = sums(in_months(stays, period), "phase", "days")
    result = []
    for phase in PHASE_ORDER:
        histogram = sorted((days, n) for (p, days), n in found.items() if p == phase.value)
        result.append(
            PhaseDuration(
                phase.value,
                phase.label,
                sum(n for _days, n in histogram),
                *(_round(percentile(histogram, q)) for q in (0.25, 0.5, 0.75)),
            )
        )
    return result


def _round(value):
    return None if value is None else round(float(value), 1)


register_figure(
    Figure(
        key="durations",
        title=_("Time spent per phase (days)"),
        compute=phase_durations,
        from_summaries=phase_durations_tallied,
        template="dashboard/figures/durations.html",
        table=lambda value: (
            [str(_("Phase")), str(_("Trajectories")), "P25", str(_("Median")), "P75"],
            [[str(d.label), d.count, d.p25, d.median, d.p75] for d in value],
        ),
        order=40,
        explanation=_(
            "Days a trajectory spent in a phase, pauses included, counted for trajectories that "
            "left the phase within the period. The spread is the middle half: from the 25th to "
            "the 75th percentile."
        ),
    )
)


# --- POPs and the LDE limit (today's situation) -------------------------------------------


def _pop_bounds(today):
    overdue_from = one_year_before(today)
    due_from = one_year_before(today + datetime.timedelta(days=POP_DUE_WARNING_DAYS))
    return overdue_from, due_from


def _pop_q(key: str, today) -> Q:
    overdue_from, due_from = _pop_bounds(today)
    if key == "overdue":
        return Q(last_pop_agreed_on__isnull=True) | Q(last_pop_agreed_on__lte=overdue_from)
    return Q(last_pop_agreed_on__gt=overdue_from, last_pop_agreed_on__lte=due_from)


def _lde_q(key: str, today) -> Q:
    limit = relativedelta(years=settings.LDE_LIMIT_YEARS)
    passed_on_or_before = today - limit
    warn_on_or_before = today - limit + relativedelta(months=settings.LDE_WARNING_MONTHS)
    lde = Q(statuut=Statuut.LDE, statuut_start__isnull=False)
    if key == "passed":
        return lde & Q(statuut_start__lte=passed_on_or_before)
    return lde & Q(statuut_start__gt=passed_on_or_before, statuut_start__lte=warn_on_or_before)


def obligations(workers, period: Period) -> dict[str, int]:
    """POPs due within the warning period or overdue, and LDE workers near or past their limit (one query)."""
    today = timezone.localdate()
    counts = with_pop_status(_employed(workers)).aggregate(
        pop_due=Count("pk", filter=_pop_q("due", today)),
        pop_overdue=Count("pk", filter=_pop_q("overdue", today)),
        lde_near=Count("pk", filter=_lde_q("near", today)),
        lde_passed=Count("pk", filter=_lde_q("passed", today)),
    )
    return {**counts, "warning_days": POP_DUE_WARNING_DAYS}


def obligations_tallied(tallies: Tallies, period: Period) -> dict[str, int] | None:
    pops = tallies.of("pop", dims=("statuut",))
    lde = tallies.of("lde", dims=())
    if pops is None or (lde is None and tallies.team is not None):
        return None
    if lde is None:  # filtered on a statuut: only LDE workers have the limit
        lde = tallies.all_of("lde") if tallies.statuut == Statuut.LDE else []
    today = timezone.localdate()
    overdue_from, due_from = _pop_bounds(today)
    limit = relativedelta(years=settings.LDE_LIMIT_YEARS)
    passed_on_or_before = today - limit
    warn_on_or_before = today - limit + relativedelta(months=settings.LDE_WARNING_MONTHS)
    return {
        "pop_due": total(r for r in pops if r.day is not None and overdue_from < r.day <= due_from),
        "pop_overdue": total(r for r in pops if r.day is None or r.day <= overdue_from),
        "lde_near": total(r for r in lde if passed_on_or_before < r.day <= warn_on_or_before),
        "lde_passed": total(r for r in lde if r.day <= passed_on_or_before),
        "warning_days": POP_DUE_WARNING_DAYS,
    }


OBLIGATIONS = [
    ("pop_due", format_lazy(_("POPs due within {days} days"), days=POP_DUE_WARNING_DAYS)),
    ("pop_overdue", _("POPs overdue (or never agreed)")),
    ("lde_near", _("LDE workers within 12 months of their five-year limit")),
    ("lde_passed", _("LDE workers past their five-year limit")),
]

register_list(
    WorkerList(
        "pop_due",
        OBLIGATIONS[0][1],
        lambda w, p: with_pop_status(_employed(w)).filter(_pop_q("due", timezone.localdate())),
    )
)
register_list(
    WorkerList(
        "pop_overdue",
        OBLIGATIONS[1][1],
        lambda w, p: with_pop_status(_employed(w)).filter(_pop_q("overdue", timezone.localdate())),
    )
)
register_list(
    WorkerList(
        "lde_near", OBLIGATIONS[2][1], lambda w, p: _employed(w).filter(_lde_q("near", timezone.localdate()))
    )
)
register_list(
    WorkerList(
        "lde_passed",
        OBLIGATIONS[3][1],
        lambda w, p: _employed(w).filter(_lde_q("passed", timezone.localdate())),
    )
)

register_figure(
    Figure(
        key="obligations",
        title=_("POPs and the LDE limit"),
        compute=obligations,
        from_summaries=obligations_tallied,
        template="dashboard/figures/obligations.html",
        table=lambda value: (
            [str(_("Figure")), str(_("Workers"))],
            [[str(label), value[key]] for key, label in OBLIGATIONS],
        ),
        order=50,
        explanation=_("Today's situation, whatever the period."),
    )
)


# --- Coach caseloads ---------------------------------------------------------------------


def coach_caseloads(workers, period: Period) -> list[dict]:
    """Workers per coach and how many of them have an open trajectory (one query)."""
    rows = (
        _employed(workers)
        .annotate(has_open=Exists(_open_trajectory()))
        .order_by()
        .values("coach_id", "coach__first_name", "coach__last_name", "coach__username")
        .annotate(workers=Count("pk"), open=Count("pk", filter=Q(has_open=True)))
    )
    result = [
        {
            "coach_id": row["coach_id"],
            "name": (
                f"{row['coach__first_name']} {row['coach__last_name']}".strip() or row["coach__username"]
            )
            if row["coach_id"]
            else str(_("no coach")),
            "workers": row["workers"],
            "open": row["open"],
        }
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row["workers"], row["name"]))


def coach_caseloads_tallied(tallies: Tallies, period: Period) -> list[dict] | None:
    found = tallies.coaches()
    if found is None:
        return None
    rows: dict[int, dict] = {}
    for coach_id, workers, open_, name in found:  # a coach once per organisation shown
        row = rows.setdefault(
            coach_id,
            {
                "coach_id": coach_id or None,
                "name": (name or "") if coach_id else str(_("no coach")),
                "workers": 0,
                "open": 0,
            },
        )
        row["workers"] += workers
        row["open"] += open_
    return sorted(rows.values(), key=lambda row: (-row["workers"], row["name"]))


register_list(
    WorkerList(
        "without_coach", _("Workers without a coach"), lambda w, p: _employed(w).filter(coach__isnull=True)
    )
)

register_figure(
    Figure(
        key="coaches",
        title=_("Coach caseloads"),
        compute=coach_caseloads,
        from_summaries=coach_caseloads_tallied,
        template="dashboard/figures/coaches.html",
        table=lambda value: (
            [str(_("Coach")), str(_("Workers")), str(_("With an open trajectory"))],
            [[row["name"], row["workers"], row["open"]] for row in value],
        ),
        order=60,
        # Names staff members: not for a view across organisations.
        federation=False,
    )
)


# --- Monthly trends ----------------------------------------------------------------------


@dataclass
class MonthCount:
    month: datetime.date
    started: int
    closed: int


def monthly_trends(workers, period: Period) -> list[MonthCount]:
    """Trajectories started and closed per month of the period (two queries)."""
    trajectories = _trajectories(workers)
    started = dict(
        trajectories.filter(started_at__gte=period.start_at, started_at__lt=period.end_at)
        .annotate(month=TruncMonth("started_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    closed = dict(
        trajectories.filter(closed_at__gte=period.start_at, closed_at__lt=period.end_at)
        .annotate(month=TruncMonth("closed_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    started = {_as_date(k): v for k, v in started.items()}
    closed = {_as_date(k): v for k, v in closed.items()}
    return [MonthCount(month, started.get(month, 0), closed.get(month, 0)) for month in period.months]


def monthly_trends_tallied(tallies: Tallies, period: Period) -> list[MonthCount] | None:
    started, closed = tallies.of("started"), tallies.of("closed")
    if not month_aligned(period):
        return None
    started = sums(in_months(started, period), "day")
    closed = sums(in_months(closed, period), "day")
    return [MonthCount(month, started.get(month, 0), closed.get(month, 0)) for month in period.months]


def _as_date(value) -> datetime.date:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


register_figure(
    Figure(
        key="trends",
        title=_("Trajectories started and closed per month"),
        compute=monthly_trends,
        from_summaries=monthly_trends_tallied,
        template="dashboard/figures/trends.html",
        table=lambda value: (
            [str(_("Month")), str(_("Started")), str(_("Closed"))],
            [[m.month.strftime("%Y-%m"), m.started, m.closed] for m in value],
        ),
        order=80,
    )
)

# The lists behind the cells of the phase × statuut table (statuut comes from the filter).
register_list(WorkerList("all", _("Workers"), lambda w, p: _employed(w)))
register_list(
    WorkerList(
        "phase_none",
        _("Workers without an open trajectory"),
        lambda w, p: _employed(w).exclude(pk__in=Trajectory.objects.current().values("worker_id")),
    )
)
for _phase in Phase:
    register_list(
        WorkerList(
            f"phase_{_phase.value}",
            _phase.label,
            lambda w, p, phase=_phase: _employed(w).filter(
                pk__in=Trajectory.objects.current().filter(phase=phase).values("worker_id")
            ),
        )
    )
