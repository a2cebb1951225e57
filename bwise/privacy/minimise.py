"""Field-level minimisation: the one place that decides which fields of a record exist for a reader.

Driven only by ``bwise.privacy.declaration``: a declared special-category field is absent
for every reader outside its audience on the worker the record belongs to, and returning
one to a reader inside the audience writes an access-log row. History pages and printed
documents read records through here, so a template or a page never decides who sees a
field.

Two ways in:

* ``Minimiser(reader).fields(model_label, values, worker=..., record_id=...)`` for values
  that are not model instances (a history event's snapshot or diff);
* ``Minimiser(reader).wrap(value)`` for a template context: model instances, querysets,
  managers, dicts and lists come back as read-only views in which absent fields do not
  exist, however the template walks from one record to the next.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable, Mapping
from types import SimpleNamespace

from django.db import models

from bwise.access import Perm, has_perm
from bwise.audit.services import AccessAction, log_access
from bwise.privacy.declaration import DECLARATION, FieldGroup, group_visible, sensitive_fields_of

SENSITIVE_DETAIL = {"fields": "sensitive"}


def visible_groups(reader, worker) -> tuple[FieldGroup, ...]:
    """The declared field groups ``reader`` may see on ``worker``: none without a worker,
    outside the worker's organisation or without the VIEW_SENSITIVE capability, otherwise
    those whose audience the reader is in."""
    if worker is None or not has_perm(reader, Perm.VIEW_SENSITIVE):
        return ()
    if worker.organisation_id != reader.organisation_id:
        return ()
    return tuple(group for group in DECLARATION if group_visible(reader, worker, group))


def absent_fields(reader, model_label: str, worker) -> frozenset[str]:
    """The declared fields of ``model_label`` that do not exist for ``reader`` on ``worker``'s records."""
    keys = {group.key for group in visible_groups(reader, worker)}
    return frozenset(
        name
        for group in DECLARATION
        if group.key not in keys
        for label, name in group.fields
        if label == model_label
    )


def worker_path_of(model) -> str | None:
    """The lookup path from ``model`` to its Worker, as the access layer declares it; None for a
    record that belongs to no worker (or that the access layer does not know)."""
    queryset = model._default_manager.all()
    return getattr(queryset, "worker_path", None)


def worker_of(instance):
    """The worker a record belongs to, following the access layer's path; None if it belongs to none."""
    path = worker_path_of(type(instance))
    if path is None:
        return None
    current = instance
    for step in path.split("__") if path else ():
        current = getattr(current, step, None)
        if current is None:
            return None
    return current


def allowed_fields(instance, names: Iterable[str]) -> SimpleNamespace:
    """Only ``names`` of ``instance`` (with the label of a choice, the text of a relation), for
    a reader whose audience is an allow-list (the host mentor, the worker): a copy, so that
    a template cannot walk from it to what is not named."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        values[name] = str(value) if field.is_relation and value is not None else value
        if field.choices:
            values[f"{name}_display"] = getattr(instance, f"get_{name}_display")()
    return SimpleNamespace(**values)


class Minimiser:
    """Minimisation for one reader, e.g. one request or one printed document.

    Each record whose special-category values are returned gets one access-log row per
    Minimiser, however often the values are read."""

    def __init__(self, reader):
        self.reader = reader
        self._absent: dict[tuple[str, object], frozenset[str]] = {}
        self._logged: set[tuple[str, str]] = set()

    def absent(self, model_label: str, worker) -> frozenset[str]:
        key = (model_label, getattr(worker, "pk", None))
        if key not in self._absent:
            self._absent[key] = absent_fields(self.reader, model_label, worker)
        return self._absent[key]

    def fields(self, model_label: str, values: Mapping, *, worker, record_id) -> dict:
        """``values`` without the fields that do not exist for the reader; logs the read of
        any special-category field that remains."""
        absent = self.absent(model_label, worker)
        result = {name: value for name, value in values.items() if name not in absent}
        if set(result) & set(sensitive_fields_of(model_label)):
            self.log_read(model_label, record_id, worker)
        return result

    def log_read(self, model_label: str, record_id, worker) -> None:
        key = (model_label, str(record_id))
        if key in self._logged:
            return
        self._logged.add(key)
        log_access(
            user=self.reader,
            action=AccessAction.VIEW,
            record=(model_label, record_id),
            worker_id=worker.pk,
            detail=SENSITIVE_DETAIL,
        )

    def wrap(self, value):
        """A read-only, minimised view of ``value`` for templates."""
        if isinstance(value, MinimisedRecord | MinimisedCollection):
            return value
        if isinstance(value, models.Model):
            return MinimisedRecord(value, self)
        if isinstance(value, models.QuerySet | models.Manager):
            return MinimisedCollection(value, self)
        if isinstance(value, types.MethodType):
            return _wrapped_method(value, self)
        if isinstance(value, dict):
            return {key: self.wrap(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.wrap(item) for item in value)
        return value


def _wrapped_method(method, minimiser: Minimiser):
    # functools.wraps copies ``alters_data``, so templates still refuse to call save() or delete().
    @functools.wraps(method)
    def call(*args, **kwargs):
        return minimiser.wrap(method(*args, **kwargs))

    return call


class MinimisedRecord:
    """A model instance as one reader may see it: absent fields raise AttributeError (a template
    prints nothing), related records and collections are minimised in turn."""

    __slots__ = ("_record", "_minimiser", "_label", "_absent")

    def __init__(self, record: models.Model, minimiser: Minimiser):
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "_minimiser", minimiser)
        label = record._meta.label
        object.__setattr__(self, "_label", label)
        declared = sensitive_fields_of(label)
        # A record with declared fields but no worker to judge them by keeps none of them.
        absent = minimiser.absent(label, worker_of(record)) if declared else frozenset()
        object.__setattr__(self, "_absent", absent)

    def __getattr__(self, name):
        if name in self._absent:
            raise AttributeError(name)
        value = getattr(self._record, name)
        if name in sensitive_fields_of(self._label):
            self._minimiser.log_read(self._label, self._record.pk, worker_of(self._record))
        return self._minimiser.wrap(value)

    def __setattr__(self, name, value):
        raise AttributeError("a minimised record is read-only")

    def __str__(self):
        return str(self._record)

    def __repr__(self):
        return f"<Minimised {self._record!r}>"

    def __eq__(self, other):
        if isinstance(other, MinimisedRecord):
            other = other._record
        return self._record == other

    def __hash__(self):
        return hash(self._record)


class MinimisedCollection:
    """A queryset or related manager whose records come out minimised."""

    __slots__ = ("_collection", "_minimiser")

    def __init__(self, collection, minimiser: Minimiser):
        object.__setattr__(self, "_collection", collection)
        object.__setattr__(self, "_minimiser", minimiser)

    def __getattr__(self, name):
        return self._minimiser.wrap(getattr(self._collection, name))

    def __setattr__(self, name, value):
        raise AttributeError("a minimised collection is read-only")

    def __iter__(self):
        collection = self._collection
        records = collection.all() if isinstance(collection, models.Manager) else collection
        return (self._minimiser.wrap(record) for record in records)

    def __len__(self):
        collection = self._collection
        return len(collection.all() if isinstance(collection, models.Manager) else collection)

    def __bool__(self):
        return len(self) > 0

    def __getitem__(self, index):
        return self._minimiser.wrap(self._collection[index])
