"""Reading the audit trail written by django-pghistory's triggers, for one reader.

The trail of a record holds the trail of every record that points at it, which for a user
means every worker they coach and every intake they wrote. So each event is shown only if
the reader may see its record through the access layer, and its fields go through the
minimisation layer; a record the access layer does not know is left out (fail closed).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from pghistory.models import MiddlewareEvents

from bwise.privacy.minimise import Minimiser, worker_path_of

# Never shown, whoever reads: secrets and bookkeeping columns.
ALWAYS_HIDDEN = {"password", "last_login", "updated_at"}


@dataclass
class HistoryEntry:
    at: datetime
    label: str
    model: str
    model_label: str
    object_id: str
    user: object
    changes: list[tuple[str, object, object]]


def _verbose(model, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - a column since removed: show its name
        return field


class _Scope:
    """Which records of the trail the reader may see, and the worker each belongs to."""

    def __init__(self, reader):
        self.reader = reader
        self._cache: dict[tuple, tuple[bool, object]] = {}

    def resolve(self, model, event) -> tuple[bool, object]:
        """(visible, worker): the worker is None for a record that belongs to no worker."""
        queryset = model._default_manager.all()
        if not hasattr(queryset, "visible_to"):
            return False, None
        path = worker_path_of(model)
        if path is None:
            key = (model._meta.label, event.pgh_obj_id)
            if key not in self._cache:
                visible = queryset.visible_to(self.reader).filter(pk=event.pgh_obj_id).exists()
                self._cache[key] = (visible, None)
            return self._cache[key]
        worker_id = self._worker_id(model, path, event)
        key = ("trajects.Worker", worker_id)
        if key not in self._cache:
            worker_model = apps.get_model("trajects", "Worker")
            worker = (
                worker_model.objects.visible_to(self.reader).filter(pk=worker_id).first()
                if worker_id is not None
                else None
            )
            self._cache[key] = (worker is not None, worker)
        return self._cache[key]

    def _worker_id(self, model, path: str, event):
        """The worker of the event's row as it was then, so that a deleted record still has one."""
        data = event.pgh_data or {}
        if not path:
            return event.pgh_obj_id and int(event.pgh_obj_id)
        first, _sep, rest = path.partition("__")
        related_id = data.get(model._meta.get_field(first).attname)
        if related_id is None:
            return None
        if not rest:
            return related_id
        # The next record on the path is worker-scoped too, so the reader's scope already applies.
        related = model._meta.get_field(first).related_model._default_manager.all()
        return (
            related.visible_to(self.reader)
            .filter(pk=related_id)
            .values_list(f"{rest}__pk", flat=True)
            .first()
        )


def history_for(obj, *, reader, limit: int = 500) -> list[HistoryEntry]:
    """The events of ``obj`` and of every tracked record that references it that ``reader``
    may see, each with the fields that exist for the reader, newest first."""
    events = (
        MiddlewareEvents.objects.references(obj).select_related("user").order_by("-pgh_created_at")[:limit]
    )
    scope = _Scope(reader)
    minimiser = Minimiser(reader)
    entries = []
    for event in events:
        try:
            model = apps.get_model(event.pgh_obj_model) if event.pgh_obj_model else None
        except LookupError:
            model = None
        if model is None:
            continue
        visible, worker = scope.resolve(model, event)
        if not visible:
            continue
        diff = event.pgh_diff or {}
        if event.pgh_label == "insert" and not diff:
            diff = {key: [None, value] for key, value in (event.pgh_data or {}).items()}
        shown = {
            field: change for field, change in diff.items() if field not in ALWAYS_HIDDEN and field != "id"
        }
        shown = minimiser.fields(model._meta.label, shown, worker=worker, record_id=event.pgh_obj_id)
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                label=event.pgh_label,
                model=str(model._meta.verbose_name),
                model_label=model._meta.label,
                object_id=event.pgh_obj_id,
                user=event.user,
                changes=[(_verbose(model, field), old, new) for field, (old, new) in sorted(shown.items())],
            )
        )
    return entries
