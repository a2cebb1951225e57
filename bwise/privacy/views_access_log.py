from django.views.generic import ListView

from bwise.access import Perm
from bwise.core.views_mixins import WorkerMixin
from bwise.privacy.selectors import access_log_for_worker


class WorkerAccessLogView(WorkerMixin, ListView):
    """HR's answer to "who looked at this record?"."""

    required_perm = Perm.VIEW_ACCESS_LOG
    template_name = "audit/worker_access_log.html"
    context_object_name = "access_log"
    paginate_by = 100

    def get_queryset(self):
        return access_log_for_worker(self.request.user, self.get_worker())
