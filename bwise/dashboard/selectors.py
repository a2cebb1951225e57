"""What the dashboard shows, for whom. Every worker queryset starts from the access layer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from bwise.core.filters import filtered
from bwise.dashboard import registry
from bwise.dashboard.filters import DashboardFilter
from bwise.dashboard.period import Period, PeriodForm
from bwise.dashboard.suppression import suppress_cross_table, suppress_movements_and_trends
from trajects.models import Trajectory, Worker


@dataclass
class Dashboard:
    filterset: DashboardFilter | None
    period_form: PeriodForm
    period: Period
    panels: list[tuple[registry.Figure, object]]


def _filtered_workers(user, params):
    filterset = DashboardFilter(params, queryset=Worker.objects.visible_to(user), user=user)
    return filterset, filtered(filterset, user)


def dashboard_for(user, params, *, only: str | None = None) -> Dashboard:
    """The figures over the workers ``user`` may see, narrowed by the filters in ``params``."""
    period_form = PeriodForm(params)
    period = period_form.period()
    filterset, workers = _filtered_workers(user, params)
    chosen = registry.figures()
    if only is not None:
        chosen = [figure for figure in chosen if figure.key == only]
    return Dashboard(filterset, period_form, period, [(f, f.compute(workers, period)) for f in chosen])


def federation_dashboard(params) -> Dashboard:
    """Aggregates over every organisation, for platform staff: figures only, no worker lists.
    Small counts are hidden when shown (see ``dashboard_tags.count``), and the figures with
    totals get secondary suppression (``bwise.dashboard.suppression``)."""
    period_form = PeriodForm(params)
    period = period_form.period()
    workers = Worker.objects.unscoped(reason="platform staff's aggregates over every organisation")
    values = {f.key: f.compute(workers, period) for f in registry.figures(federation=True)}
    values["phase_statuut"] = suppress_cross_table(values["phase_statuut"])
    values["movements"], values["trends"] = suppress_movements_and_trends(
        values["movements"], values["trends"]
    )
    panels = [(f, values[f.key]) for f in registry.figures(federation=True)]
    return Dashboard(None, period_form, period, panels)


def worker_list_for(user, params):
    """(the list's definition, the period, the filterset, its workers) or None for an unknown list."""
    worker_list = registry.get_list(params.get("list", ""))
    if worker_list is None:
        return None
    chosen = {}
    if worker_list.param:
        try:
            chosen[worker_list.param] = int(params.get(worker_list.param, ""))
        except ValueError:
            return None
    period = PeriodForm(params).period()
    filterset, workers = _filtered_workers(user, params)
    current = Trajectory.objects.current().filter(worker=OuterRef("pk"))
    rows = (
        worker_list.filter(workers, period, **chosen)
        .select_related("coach")
        .annotate(current_phase=Subquery(current.values("phase")[:1]))
        .order_by("last_name", "first_name", "pk")
    )
    return worker_list, period, filterset, rows
