"""The state at a glance, above the tables: headline figures against the previous period,
the flow through the phases, and the POP and LDE deadlines ahead.

Each is a figure of the registry (see ``registry``), computed directly or read from the
summaries, and every number links to the workers behind it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bwise.dashboard import figures
from bwise.dashboard.period import Period
from bwise.dashboard.registry import Figure, WorkerList, register_figure, register_list
from bwise.dashboard.tallies import Rows, Tallies, in_months, month_aligned, sums
from competenties.selectors import one_year_after, with_pop_status
from trajects.models import Statuut, Trajectory, TrajectoryTransition
from trajects.state import PHASE_ORDER, Outcome

# --- Headline figures ------------------------------------------------------------------------


@dataclass
class Headline:
    key: str
    label: str
    value: int
    list_key: str
    # The same figure over the period before, for the figures of a period.
    previous: int | None = None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.value - self.previous


def _headlines(cross, now_moves, before_moves, obligations) -> list[Headline]:
    without = next(row for row in cross.rows if row[0] == figures.NO_PHASE)[3]
    moved = ("intern", "extern")
    return [
        Headline("workers", _("Workers"), cross.total, "all"),
        Headline("in_trajectory", _("In a trajectory"), cross.total - without, "in_trajectory"),
        Headline(
            "started",
            _("Trajectories started"),
            now_moves["started"],
            "movement_started",
            before_moves["started"],
        ),
        Headline(
            "moved_on",
            _("Moved on (internally or externally)"),
            sum(now_moves[k] for k in moved),
            "movement_moved_on",
            sum(before_moves[k] for k in moved),
        ),
        Headline("pop_overdue", _("POPs overdue"), obligations["pop_overdue"], "pop_overdue"),
        Headline("lde_near", _("LDE limit within 12 months"), obligations["lde_near"], "lde_near"),
    ]


def headlines(workers, period: Period) -> list[Headline]:
    return _headlines(
        figures.phase_statuut(workers, period),
        figures.movements(workers, period),
        figures.movements(workers, period.previous()),
        figures.obligations(workers, period),
    )


def headlines_tallied(tallies: Tallies, period: Period) -> list[Headline] | None:
    parts = (
        figures.phase_statuut_tallied(tallies, period),
        figures.movements_tallied(tallies, period),
        figures.movements_tallied(tallies, period.previous()),
        figures.obligations_tallied(tallies, period),
    )
    return None if None in parts else _headlines(*parts)


register_list(
    WorkerList(
        "in_trajectory",
        _("Workers in a trajectory"),
        lambda w, p: w.filter(pk__in=Trajectory.objects.current().values("worker_id")),
    )
)
register_list(
    WorkerList(
        "movement_moved_on",
        _("Moved on (internally or externally)"),
        lambda w, p: w.filter(
            pk__in=Trajectory.objects.filter(
                closed_at__gte=p.start_at,
                closed_at__lt=p.end_at,
                outcome__in=[Outcome.INTERN, Outcome.EXTERN],
            ).values("worker_id")
        ),
    )
)

register_figure(
    Figure(
        key="headlines",
        title=_("At a glance"),
        compute=headlines,
        from_summaries=headlines_tallied,
        template="dashboard/figures/headlines.html",
        table=lambda value: (
            [str(_("Figure")), str(_("Value")), str(_("Previous period"))],
            [[str(h.label), h.value, h.previous] for h in value],
        ),
        order=1,
        wide=True,
        explanation=_(
            "Workers and trajectories today, and what happened in the period against the period "
            "of the same length just before it."
        ),
    )
)


# --- The flow through the phases ---------------------------------------------------------------

FLOW = [
    ("entered", _("Entered")),
    ("moved_on", _("Moved on")),
    ("stepped_back", _("Stepped back")),
    ("left", _("Left (trajectory closed)")),
]


@dataclass
class FlowRow:
    phase: str
    label: str
    counts: list[tuple[str, int]]  # (flow key, count), in the order of FLOW


def _flow_q(kind: str, phase: str) -> Q:
    if kind == "entered":
        return Q(to_phase=phase) & ~Q(from_phase=phase)
    if kind == "moved_on":
        return Q(from_phase=phase, name__startswith="to_")
    if kind == "stepped_back":
        return Q(from_phase=phase, name__startswith="back_to_")
    return Q(from_phase=phase, name="close")


def _flow_rows(found: Counter) -> list[FlowRow]:
    return [
        FlowRow(phase.value, phase.label, [(key, found.get((key, phase.value), 0)) for key, _label in FLOW])
        for phase in PHASE_ORDER
    ]


def phase_flow(workers, period: Period) -> list[FlowRow]:
    """Per phase, the steps into and out of it taken within the period (one query)."""
    steps = TrajectoryTransition.objects.of_worker(workers).filter(
        at__gte=period.start_at, at__lt=period.end_at
    )
    aggregates = {
        f"{kind}__{phase.value}": Count("pk", filter=_flow_q(kind, phase.value))
        for kind, _label in FLOW
        for phase in PHASE_ORDER
    }
    values = steps.aggregate(**aggregates)
    return _flow_rows(Counter({tuple(key.split("__")): n for key, n in values.items()}))


def phase_flow_tallied(tallies: Tallies, period: Period) -> list[FlowRow] | None:
    if not month_aligned(period):
        return None
    found = Counter()
    for kind in ("entered", "moved_on", "stepped_back"):
        for phase, n in sums(in_months(tallies.of(kind), period), "phase").items():
            found[(kind, phase)] += n
    for phase, n in sums(in_months(tallies.of("closed"), period), "phase").items():
        found[("left", phase)] += n
    return _flow_rows(found)


def _flow_list(kind, phase):
    def members(workers, period):
        steps = TrajectoryTransition.objects.filter(
            _flow_q(kind, phase), at__gte=period.start_at, at__lt=period.end_at
        )
        return workers.filter(pk__in=steps.values("trajectory__worker_id"))

    return members


for _kind, _flow_label in FLOW:
    for _phase in PHASE_ORDER:
        register_list(
            WorkerList(
                f"flow_{_kind}_{_phase.value}",
                format_lazy("{}: {}", _flow_label, _phase.label),
                _flow_list(_kind, _phase.value),
            )
        )

register_figure(
    Figure(
        key="flow",
        title=_("Flow through the phases"),
        compute=phase_flow,
        from_summaries=phase_flow_tallied,
        template="dashboard/figures/flow.html",
        # Five columns whose Dutch headings do not fit half the page at 1280 px.
        wide=True,
        table=lambda value: (
            [str(_("Phase")), *(str(label) for _key, label in FLOW)],
            [[str(row.label), *(n for _key, n in row.counts)] for row in value],
        ),
        order=5,
        explanation=_(
            "Steps taken within the period: into a phase (started or moved on into it), on to the "
            "next phase, back to the phase before, or out of the trajectory."
        ),
    )
)


# --- Deadlines ahead ----------------------------------------------------------------------------

MONTHS_AHEAD = 12


@dataclass
class DeadlineMonth:
    month: datetime.date
    pop: int
    lde: int


@dataclass
class Deadlines:
    pop_overdue: int
    lde_passed: int
    months: list[DeadlineMonth]


def _deadlines(pop_agreed: Counter, lde_started: Counter) -> Deadlines:
    """From workers per last POP agreement (None: never) and per LDE statuut start."""
    this_month = timezone.localdate().replace(day=1)
    months = [this_month + relativedelta(months=n) for n in range(MONTHS_AHEAD)]
    pop, lde = Counter(), Counter()
    today = timezone.localdate()
    pop_overdue = lde_passed = 0
    limit = relativedelta(years=settings.LDE_LIMIT_YEARS)
    for agreed, n in pop_agreed.items():
        due = None if agreed is None else one_year_after(agreed)
        if due is None or due <= today:
            pop_overdue += n
        else:
            pop[due.replace(day=1)] += n
    for start, n in lde_started.items():
        reached = start + limit
        if reached <= today:
            lde_passed += n
        else:
            lde[reached.replace(day=1)] += n
    return Deadlines(pop_overdue, lde_passed, [DeadlineMonth(m, pop[m], lde[m]) for m in months])


def _horizon():
    """The earliest POP agreement and LDE start whose deadline falls within the months shown."""
    end = timezone.localdate().replace(day=1) + relativedelta(months=MONTHS_AHEAD)
    return end - relativedelta(years=1), end - relativedelta(years=settings.LDE_LIMIT_YEARS)


def deadlines(workers, period: Period) -> Deadlines:
    """POPs that fall due and LDE limits reached per month ahead (two grouped queries), for
    the workers employed today."""
    workers = workers.employed_on(timezone.localdate())
    pop_end, lde_end = _horizon()
    agreed = (
        with_pop_status(workers)
        .filter(Q(last_pop_agreed_on__isnull=True) | Q(last_pop_agreed_on__lt=pop_end))
        .order_by()
        .values_list("last_pop_agreed_on")
        .annotate(n=Count("pk"))
    )
    started = (
        workers.filter(statuut=Statuut.LDE, statuut_start__isnull=False, statuut_start__lt=lde_end)
        .order_by()
        .values_list("statuut_start")
        .annotate(n=Count("pk"))
    )
    return _deadlines(Counter(dict(agreed)), Counter(dict(started)))


def deadlines_tallied(tallies: Tallies, period: Period) -> Deadlines | None:
    pops = tallies.of("pop", dims=("statuut",))
    lde = tallies.of("lde", dims=())
    if pops is None or (lde is None and tallies.team is not None):
        return None
    if lde is None:
        lde = tallies.all_of("lde") if tallies.statuut == Statuut.LDE else Rows()
    pop_end, lde_end = _horizon()
    return _deadlines(
        sums(pops.where(lambda row: row.day is None or row.day < pop_end), "day"),
        sums(lde.where(lambda row: row.day < lde_end), "day"),
    )


register_figure(
    Figure(
        key="deadlines",
        title=_("POP and LDE deadlines ahead"),
        compute=deadlines,
        from_summaries=deadlines_tallied,
        template="dashboard/figures/deadlines.html",
        table=lambda value: (
            [str(_("Month")), str(_("POPs due")), str(_("LDE limits"))],
            [[str(_("Overdue or passed")), value.pop_overdue, value.lde_passed]]
            + [[m.month.strftime("%Y-%m"), m.pop, m.lde] for m in value.months],
        ),
        order=6,
        explanation=_(
            "Per month ahead: the workers whose POP falls due (a year after the last one was agreed) "
            "and the LDE workers who reach their five-year limit. Today's situation, whatever the period."
        ),
    )
)
