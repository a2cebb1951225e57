"""Special-category data on a worker and their intakes (health, disability, justice,
the ICF indication, the personal situation).

Which fields and who sees them is declared once, in ``bwise.privacy.declaration``;
this module applies it to the trajects records. Every time the worker's fields are
shown, the access log gets a row. For everyone else the fields are absent from pages
and API answers, not merely hidden.
"""

from bwise.access import visible_sensitive_groups
from bwise.audit.services import AccessAction, log_access
from bwise.privacy.declaration import hidden_fields_of, sensitive_fields_of

SENSITIVE_WORKER_FIELDS = sensitive_fields_of("trajects.Worker")
SENSITIVE_INTAKE_FIELDS = sensitive_fields_of("trajects.Intake")


def hidden_fields(user, worker, model_label: str) -> frozenset[str]:
    """The declared fields of ``model_label`` that ``user`` may not see on ``worker``'s records."""
    return hidden_fields_of(model_label, visible_sensitive_groups(user, worker))


def hidden_everywhere(user, worker) -> frozenset[str]:
    """Field names to drop from a mixed listing (history, timeline) of ``worker``'s records."""
    return hidden_fields(user, worker, "trajects.Worker") | hidden_fields(user, worker, "trajects.Intake")


def sensitive_fields_for(user, worker, *, log: bool = True) -> dict | None:
    """The worker's sensitive values for ``user``, or None when they may see none of them.

    Returning values is what shows them, so this is where the view is logged."""
    hidden = hidden_fields(user, worker, "trajects.Worker")
    if set(SENSITIVE_WORKER_FIELDS) <= hidden:
        return None
    if log:
        log_access(
            user=user,
            action=AccessAction.VIEW,
            record=worker,
            worker_id=worker.pk,
            detail={"fields": "sensitive"},
        )
    return {name: getattr(worker, name) for name in SENSITIVE_WORKER_FIELDS if name not in hidden}
