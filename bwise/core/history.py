"""Reading the audit trail written by django-pghistory's triggers."""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from pghistory.models import MiddlewareEvents

# Never shown, whoever reads: secrets and bookkeeping columns.
ALWAYS_HIDDEN = {"password", "last_login", "updated_at"}


@dataclass
class HistoryEntry:
    at: datetime
    label: str
    model: str
    object_id: str
    user: object
    changes: list[tuple[str, object, object]]


def _verbose(model_label: str, field: str) -> str:
    try:
        return str(apps.get_model(model_label)._meta.get_field(field).verbose_name)
    except (LookupError, Exception):  # noqa: BLE001 - unknown column: show its name
        return field


def history_for(obj, *, hidden_fields: set[str] | frozenset[str] = frozenset(), limit: int = 500):
    """Events of ``obj`` and of every tracked record that references it, newest first."""
    events = (
        MiddlewareEvents.objects.references(obj).select_related("user").order_by("-pgh_created_at")[:limit]
    )
    hidden = ALWAYS_HIDDEN | set(hidden_fields)
    entries = []
    for event in events:
        tracked = apps.get_model(event.pgh_obj_model) if event.pgh_obj_model else None
        model_label = tracked._meta.label if tracked else event.pgh_model
        model_name = str(tracked._meta.verbose_name) if tracked else event.pgh_model
        diff = event.pgh_diff or {}
        if event.pgh_label == "insert" and not diff:
            diff = {key: [None, value] for key, value in (event.pgh_data or {}).items()}
        changes = [
            (_verbose(model_label, field), old, new)
            for field, (old, new) in sorted(diff.items())
            if field not in hidden and field != "id"
        ]
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                label=event.pgh_label,
                model=model_name,
                object_id=event.pgh_obj_id,
                user=event.user,
                changes=changes,
            )
        )
    return entries
