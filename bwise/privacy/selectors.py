from bwise.access import Perm, has_perm
from bwise.audit.models import AccessLog


def access_log_for_worker(user, worker):
    """Who looked at (exported, printed, was refused) this worker's records, newest first.

    Only for users with ``VIEW_ACCESS_LOG`` in the worker's organisation; the caller has
    already fetched ``worker`` through the user's scope.
    """
    if not has_perm(user, Perm.VIEW_ACCESS_LOG) or worker.organisation_id != user.organisation_id:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(worker_id=worker.pk).select_related("user").order_by("-at", "-pk")
