"""Special-category data on a worker and their intakes (health, disability, justice,
the ICF indication, the personal situation).

Which fields and who sees them is declared once, in ``bwise.privacy.declaration``, and
decided once, in ``bwise.privacy.minimise``; this module names the trajects records'
fields for forms and serializers. Every time the worker's fields are shown, the access
log gets a row. For everyone else the fields are absent from pages and API answers, not
merely hidden.
"""

from bwise.privacy.declaration import sensitive_fields_of
from bwise.privacy.minimise import Minimiser, absent_fields

SENSITIVE_WORKER_FIELDS = sensitive_fields_of("trajects.Worker")
SENSITIVE_INTAKE_FIELDS = sensitive_fields_of("trajects.Intake")


def hidden_fields(user, worker, model_label: str) -> frozenset[str]:
    """The declared fields of ``model_label`` that ``user`` may not see on ``worker``'s records."""
    return absent_fields(user, model_label, worker)


def hidden_everywhere(user, worker) -> frozenset[str]:
    """Field names to drop from a mixed listing (the timeline) of ``worker``'s records."""
    return hidden_fields(user, worker, "trajects.Worker") | hidden_fields(user, worker, "trajects.Intake")


def sensitive_fields_for(user, worker, *, minimiser: Minimiser | None = None) -> dict | None:
    """The worker's sensitive values for ``user``, or None when they may see none of them.

    Returning values is what shows them, so the minimisation layer logs the view."""
    values = {name: getattr(worker, name) for name in SENSITIVE_WORKER_FIELDS}
    shown = (minimiser or Minimiser(user)).fields(
        "trajects.Worker", values, worker=worker, record_id=worker.pk
    )
    return shown or None
