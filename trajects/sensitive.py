"""Special-category data on a worker (health, disability, justice, the ICF indication).

Only the worker's own coach and HR see these fields (``bwise.access.can_view_sensitive``);
every time they are shown, the access log gets a row. For everyone else the fields
are absent from pages and API answers, not merely hidden.
"""

from bwise.access import can_view_sensitive
from bwise.audit.services import AccessAction, log_access

SENSITIVE_WORKER_FIELDS = ("icf_indication", "health_notes", "disability_notes", "justice_notes")


def sensitive_fields_for(user, worker, *, log: bool = True) -> dict | None:
    """The worker's sensitive values for ``user``, or None when they may not see them.

    Returning values is what shows them, so this is where the view is logged."""
    if not can_view_sensitive(user, worker):
        return None
    if log:
        log_access(
            user=user, action=AccessAction.VIEW, record=worker, worker_id=worker.pk, detail="sensitive fields"
        )
    return {name: getattr(worker, name) for name in SENSITIVE_WORKER_FIELDS}
