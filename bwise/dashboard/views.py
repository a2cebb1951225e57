from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from bwise.access import Perm
from bwise.core.views_mixins import PermRequiredMixin
from bwise.dashboard import registry, selectors
from bwise.privacy.exports import ExportMixin, export_response, requested_format
from trajects.state import Phase

# Parameters that choose what is shown, not which workers and period.
NOT_FILTERS = ("list", "format", "page", "figure")


def filter_query(params) -> str:
    """The period and filters of a request, to carry over into the links of the page."""
    kept = params.copy()
    for name in NOT_FILTERS:
        kept.pop(name, None)
    return kept.urlencode()


class DashboardView(PermRequiredMixin, TemplateView):
    required_perm = Perm.VIEW_DASHBOARD
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        query = filter_query(self.request.GET)
        return {
            **super().get_context_data(**kwargs),
            "dashboard": selectors.dashboard_for(self.request.user, self.request.GET),
            "query": query,
            "list_base": f"{reverse('dashboard:workers')}?{query}",
            "export_base": f"{reverse('dashboard:export')}?{query}",
        }


class FigureExportView(PermRequiredMixin, TemplateView):
    """One figure's table as CSV or XLSX: aggregates, no worker named."""

    required_perm = Perm.VIEW_DASHBOARD

    def get(self, request, *args, **kwargs):
        figure = registry.get_figure(request.GET.get("figure", ""))
        fmt = requested_format(request, required=True)
        if figure is None:
            raise Http404
        dashboard = selectors.dashboard_for(request.user, request.GET, only=figure.key)
        headers, rows = figure.table(dashboard.panels[0][1])
        period = dashboard.period
        return export_response(
            headers=headers,
            rows=rows,
            filename=f"{figure.key}-{period.start.isoformat()}-{period.end.isoformat()}",
            fmt=fmt,
        )


class WorkerListView(PermRequiredMixin, ExportMixin, ListView):
    """The workers behind a figure, within the viewer's scope; exportable."""

    required_perm = Perm.VIEW_DASHBOARD
    template_name = "dashboard/worker_list.html"
    paginate_by = 50
    export_logs_access = True

    def get_queryset(self):
        found = selectors.worker_list_for(self.request.user, self.request.GET)
        if found is None:
            raise Http404
        self.worker_list, self.period, self.filterset, rows = found
        return rows

    def export_headers(self):
        return [_("Name"), _("Statuut"), _("Phase"), _("Team"), _("Coach"), _("Statuut start")]

    def export_row(self, worker):
        return [
            worker.full_name,
            worker.get_statuut_display(),
            _phase_label(worker.current_phase),
            worker.team,
            str(worker.coach or ""),
            worker.statuut_start,
        ]

    def get_export_filename(self):
        return f"{self.worker_list.key}-{self.period.start.isoformat()}-{self.period.end.isoformat()}"

    def export_log_record(self, queryset):
        return (queryset.model._meta.label, f"list:{self.worker_list.key}")

    def export_log_detail(self):
        return {"export": "dashboard-list", "list": self.worker_list.key}

    def get_context_data(self, **kwargs):
        query = filter_query(self.request.GET)
        return {
            **super().get_context_data(**kwargs),
            "worker_list": self.worker_list,
            "period": self.period,
            "filter": self.filterset,
            "query": query,
            "list_query": f"{query}&list={self.worker_list.key}",
            "query_string": f"{query}&list={self.worker_list.key}",
        }


def _phase_label(value):
    return Phase(value).label if value else ""


class FederationView(TemplateView):
    """Aggregates over every organisation for platform staff; no lists, small counts hidden."""

    template_name = "dashboard/federation.html"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_superuser):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "dashboard": selectors.federation_dashboard(self.request.GET),
            "federation": True,
        }
