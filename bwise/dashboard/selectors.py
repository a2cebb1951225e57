"""What the dashboard shows, for whom. Every worker queryset starts from the access layer."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation

from bwise.access import ORGANISATION_WIDE_ROLES, Perm, has_perm
from bwise.accounts.models import Organisation
from bwise.core.filters import filtered
from bwise.dashboard import registry
from bwise.dashboard.filters import UNKNOWN, DashboardFilter
from bwise.dashboard.period import Period, PeriodForm
from bwise.dashboard.suppression import suppress_cross_table, suppress_movements_and_trends
from bwise.dashboard.tallies import Tallies
from trajects import summaries
from trajects.models import Summary, Trajectory, Worker

logger = logging.getLogger(__name__)


@dataclass
class Dashboard:
    filterset: DashboardFilter | None
    period_form: PeriodForm
    period: Period
    panels: list[tuple[registry.Figure, object]]
    # When the figures were computed, for those read from a kept copy (the federation's).
    as_of: datetime.datetime | None = None

    @property
    def laid_out(self) -> list[tuple[registry.Figure, object, bool]]:
        """Each panel with whether it takes the whole row. Half-width panels share a row in
        pairs; one without a half-width neighbour takes the row alone, whichever figures a
        filter or the federation view leaves, so that no row shows a hole beside it."""
        whole = [figure.wide for figure, _ in self.panels]
        waiting = None  # a half-width panel still looking for its neighbour
        for index, (figure, _) in enumerate(self.panels):
            if figure.wide:
                if waiting is not None:
                    whole[waiting] = True
                waiting = None
            elif waiting is None:
                waiting = index
            else:
                waiting = None
        if waiting is not None:
            whole[waiting] = True
        return [(figure, value, full) for (figure, value), full in zip(self.panels, whole, strict=True)]


def _filtered_workers(user, params):
    filterset = DashboardFilter(params, queryset=Worker.objects.visible_to(user), user=user)
    return filterset, filtered(filterset, user)


def _value(figure, workers, period, tallies):
    if tallies is not None and figure.from_summaries is not None:
        value = figure.from_summaries(tallies, period)
        if value is not None:
            return value
    return figure.compute(workers, period)


def _tallies_for(user, filterset) -> Tallies | None:
    """The summaries, when the reader sees the whole organisation, filters only on what
    they count, and they were computed in full once (``trajects.summaries``)."""
    if not (has_perm(user, Perm.VIEW_WORKERS) and user.has_role(*ORGANISATION_WIDE_ROLES)):
        return None
    chosen = filterset.form.cleaned_data
    if chosen.get("coach") or not summaries.computed([user.organisation_id]):
        return None
    statuut = chosen.get("statuut") or None
    return Tallies(
        Summary.objects.visible_to(user),
        statuut="" if statuut == UNKNOWN else statuut,
        team=chosen.get("team") or None,
    )


def dashboard_for(user, params, *, only: str | None = None) -> Dashboard:
    """The figures over the workers ``user`` may see, narrowed by the filters in ``params``."""
    period_form = PeriodForm(params)
    period = period_form.period()
    filterset, workers = _filtered_workers(user, params)
    tallies = _tallies_for(user, filterset)
    chosen = registry.figures()
    if only is not None:
        chosen = [figure for figure in chosen if figure.key == only]
    panels = [(f, _value(f, workers, period, tallies)) for f in chosen]
    return Dashboard(filterset, period_form, period, panels)


def organisation_panels(organisation, period: Period) -> list:
    """Every figure over a whole organisation (the dashboard's PDF), from its summaries when
    they were computed."""
    workers = organisation.workers.all()
    tallies = None
    if summaries.computed([organisation.pk]):
        tallies = Tallies(Summary.objects.of_organisation(workers))
    return [(figure, _value(figure, workers, period, tallies)) for figure in registry.figures()]


def federation_dashboard(params) -> Dashboard:
    """Aggregates over every organisation, for platform staff: figures only, no worker lists.
    Small counts are hidden when shown (see ``dashboard_tags.count``), and the figures with
    totals get secondary suppression (``bwise.dashboard.suppression``).

    Over a whole sector (300 organisations, 300,000 workers) computing them takes about half
    a second, so they are kept for ``FEDERATION_FIGURES_SECONDS`` per period and language
    (the page says as of when), and Celery computes the current period's again before that
    runs out (``bwise.dashboard.tasks.refresh_federation_figures``)."""
    period_form = PeriodForm(params)
    period = period_form.period()
    as_of, values = federation_figures(period)
    panels = [(f, values[f.key]) for f in registry.figures(federation=True)]
    return Dashboard(None, period_form, period, panels, as_of=as_of)


def federation_figures(period: Period, *, fresh: bool = False) -> tuple[datetime.datetime, dict]:
    """(when computed, the federation's figures by key), from the kept copy unless it is
    missing or ``fresh``; a cache that does not answer only costs the computation."""
    key = f"federation-figures:{translation.get_language()}:{period.start}:{period.end}"
    cache = caches["figures"]
    if not fresh:
        try:
            kept = cache.get(key)
        except Exception:  # noqa: BLE001 - the figures are computed instead
            logger.warning("the figures cache did not answer", exc_info=True)
            kept = None
        if kept is not None:
            return kept
    kept = (timezone.now(), _federation_values(period))
    try:
        cache.set(key, kept, settings.FEDERATION_FIGURES_SECONDS)
    except Exception:  # noqa: BLE001 - shown now, computed again next time
        logger.warning("the figures cache did not answer", exc_info=True)
    return kept


def _federation_values(period: Period) -> dict:
    workers = Worker.objects.unscoped(reason="platform staff's aggregates over every organisation")
    organisations = Organisation.objects.values_list("pk", flat=True)
    tallies = None
    if summaries.computed(organisations):
        tallies = Tallies(
            Summary.objects.unscoped(reason="platform staff's aggregates over every organisation")
        )
    values = {f.key: _value(f, workers, period, tallies) for f in registry.figures(federation=True)}
    values["phase_statuut"] = suppress_cross_table(values["phase_statuut"])
    values["movements"], values["trends"] = suppress_movements_and_trends(
        values["movements"], values["trends"]
    )
    return values


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
