from django.views.generic import DetailView, ListView, TemplateView

from bwise.access import Perm, visible_or_404
from bwise.core.history import history_for
from bwise.core.views_mixins import PermRequiredMixin
from trajects import selectors
from trajects.models import Worker


class CaseloadView(PermRequiredMixin, ListView):
    required_perm = Perm.VIEW_WORKERS
    template_name = "trajects/caseload.html"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = selectors.caseload_for(self.request.user, self.request.GET)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": self.filterset,
            "query_string": params.urlencode(),
        }


class WorkerObjectMixin(PermRequiredMixin):
    required_perm = Perm.VIEW_WORKERS

    def get_worker(self) -> Worker:
        if not hasattr(self, "_worker"):
            self._worker = visible_or_404(Worker, self.request.user, pk=self.kwargs["worker_pk"])
        return self._worker


class WorkerDetailView(WorkerObjectMixin, DetailView):
    template_name = "trajects/worker_detail.html"
    context_object_name = "worker"

    def get_object(self, queryset=None):
        return self.get_worker()


class WorkerHistoryView(WorkerObjectMixin, TemplateView):
    required_perm = Perm.VIEW_HISTORY
    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        return {**super().get_context_data(**kwargs), "subject": worker, "events": history_for(worker)}
