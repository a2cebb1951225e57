from django.views.generic import ListView

from bwise.access import Perm, worker_model
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin
from bwise.privacy.selectors import access_log_for_worker


class WorkerAccessLogView(PermRequiredMixin, ListView):
    """HR's answer to "who looked at this record?"."""

    required_perm = Perm.VIEW_ACCESS_LOG
    template_name = "audit/worker_access_log.html"
    context_object_name = "access_log"
    paginate_by = 100

    def get_queryset(self):
        self.worker = visible_or_404(worker_model(), self.request.user, pk=self.kwargs["worker_pk"])
        return access_log_for_worker(self.request.user, self.worker)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "worker": self.worker}
