"""Everything held about one worker, found by walking the models rather than listing them,
so that records added by later apps are exported, pseudonymised and erased too.

* Worker records: every model whose queryset is a ``ScopedQuerySet`` with a ``worker_path``.
* References: models that point at a record by ``record_model`` + ``record_id``/``record_ids``
  (documents, reminders); they are derived (renderings, to-dos) and go with the record.
* History: the pghistory event rows of every tracked worker record.
The access log (``audit.AccessLog``) keeps ids only and is not touched: it is the proof.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from pghistory.models import Event

from bwise.access import ScopedQuerySet

NOT_DERIVED = {"audit.AccessLog"}


def worker_models() -> list[tuple[type[models.Model], str]]:
    """(model, path to Worker) for every worker-scoped model, deepest path first."""
    found = []
    for model in apps.get_models():
        queryset = model._default_manager.all()
        if isinstance(queryset, ScopedQuerySet) and queryset.worker_path is not None:
            found.append((model, queryset.worker_path))
    return sorted(found, key=lambda item: (-item[1].count("__") if item[1] else 1, item[0]._meta.label))


def _worker_filter(path: str, worker_pk) -> dict:
    return {f"{path}__pk" if path else "pk": worker_pk}


@dataclass
class WorkerRecords:
    """The rows of one worker, per model, as querysets (re-evaluated on each use)."""

    worker: models.Model
    records: dict[type[models.Model], models.QuerySet]

    def pks(self) -> dict[str, list]:
        return {
            model._meta.label: list(qs.values_list("pk", flat=True)) for model, qs in self.records.items()
        }

    def references(self) -> dict[type[models.Model], models.QuerySet]:
        pks = self.pks()
        found = {}
        for model in reference_models():
            names = {f.name for f in model._meta.concrete_fields}
            condition = models.Q(pk__in=[])
            for label, ids in pks.items():
                if not ids:
                    continue
                if "record_id" in names:
                    condition |= models.Q(record_model=label, record_id__in=ids)
                if "record_ids" in names:
                    for pk in ids:
                        condition |= models.Q(record_model=label, record_ids__contains=[pk])
            found[model] = model._base_manager.filter(condition)
        return found

    def history_objects(self) -> dict[type[Event], list]:
        """The ids of the tracked records whose history rows are the worker's, per event model."""
        pks = self.pks()
        found = {}
        for event_model in event_models():
            tracked = event_model.pgh_tracked_model._meta.label
            if pks.get(tracked):
                found[event_model] = pks[tracked]
        return found

    def events(self) -> dict[type[models.Model], models.QuerySet]:
        """The history rows of every tracked record, per event model."""
        return {
            event_model: event_model.objects.filter(pgh_obj_id__in=ids)
            for event_model, ids in self.history_objects().items()
        }


def records_of(worker) -> WorkerRecords:
    return WorkerRecords(
        worker=worker,
        records={
            model: model._base_manager.filter(**_worker_filter(path, worker.pk)).order_by("pk")
            for model, path in worker_models()
        },
    )


def reference_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if model._meta.label in NOT_DERIVED or "record_model" not in names:
            continue
        if names & {"record_id", "record_ids"}:
            found.append(model)
    return found


def event_models() -> list[type[Event]]:
    return [model for model in apps.get_models() if issubclass(model, Event) and model.pgh_tracked_model]
