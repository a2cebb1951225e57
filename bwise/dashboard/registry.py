"""The dashboard is a list of figures; each app adds its own in `<app>/figures.py`.

A figure computes one aggregate in the database for a worker queryset (already
limited to what the viewer may see and to the dashboard's filters) and a period,
in a fixed number of queries whatever the number of workers. Its template shows the
value and links each number to a *worker list*: a named filter on the same worker
queryset, shown (and exported) by ``dashboard:workers``.

Adding a figure is one registration and one template, for example::

    # partners/figures.py
    from bwise.dashboard.registry import Figure, WorkerList, register_figure, register_list

    def stages_by_type(workers, period):
        return Stage.objects.filter(worker__in=workers, start__lt=period.end_at, ...) \\
            .values("kind").annotate(started=Count("pk"), hired=Count("pk", filter=Q(hire__isnull=False)))

    register_list(WorkerList("stage_tbs", _("Workers on a TBS"),
                             lambda workers, period: workers.filter(stages__kind="tbs", ...)))
    register_figure(Figure(
        key="stages", title=_("Stages by type and their conversion into hires"),
        compute=stages_by_type, template="partners/figures/stages.html",
        table=lambda value: ([_("Type"), _("Started"), _("Hired")], [[r["kind"], ...] for r in value]),
        order=70,
    ))

The template receives ``value`` and ``figure``; show counts with ``{% linked value
"list_key" %}`` (a link to that worker list with the page's period and filters) or
``{% count value %}`` from ``dashboard_tags``: in the federation view and the PDF
they drop the link, and across organisations counts below 5 show as "<5".
Figures that name staff or partners set ``federation=False``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from bwise.dashboard.period import Period

Compute = Callable[[QuerySet, Period], Any]
Table = Callable[[Any], tuple[list[str], list[list]]]


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    compute: Compute
    template: str
    # Headers and rows of the figure's value, for the CSV/XLSX export of its table.
    table: Table
    order: int = 100
    explanation: str = ""
    # Shown in the federation view (aggregates over several organisations)?
    federation: bool = True
    # Across the whole width of the page (a wide table, a row of headline figures).
    wide: bool = False
    # The same value read from the summaries (``bwise.dashboard.tallies``), or None when
    # they cannot answer for these filters and this period.
    from_summaries: Callable[[Any, Period], Any] | None = None


@dataclass(frozen=True)
class WorkerList:
    key: str
    title: str
    filter: Callable[..., QuerySet]
    # A list for one object (e.g. a partner) takes that object's id from this GET parameter,
    # passed to ``filter`` as a keyword argument of the same name.
    param: str = ""


_figures: dict[str, Figure] = {}
_lists: dict[str, WorkerList] = {}


def register_figure(figure: Figure) -> Figure:
    _figures[figure.key] = figure
    return figure


def register_list(worker_list: WorkerList) -> WorkerList:
    _lists[worker_list.key] = worker_list
    return worker_list


def figures(*, federation: bool = False) -> list[Figure]:
    chosen = [f for f in _figures.values() if f.federation or not federation]
    return sorted(chosen, key=lambda figure: (figure.order, figure.key))


def get_figure(key: str) -> Figure | None:
    return _figures.get(key)


def get_list(key: str) -> WorkerList | None:
    return _lists.get(key)
