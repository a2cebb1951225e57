"""The document kinds: each app registers what it can print in `<app>/documents.py`.

A kind names its record model, its template and a context builder; access is the
record's own scope (``Model.objects.visible_to(user)``) plus ``perm``, so a document
is readable by exactly those who may read its record.

Adding a document is one registration and one template extending
``documents/base_print.html`` (blocks ``document_title`` and ``content``; include
``documents/includes/signatures.html`` with ``signers``), for example::

    # competenties/documents.py
    register(DocumentKind(
        key="pop", label=_("Personal development plan (POP)"), model="competenties.Pop",
        template="documents/print/pop.html", build_context=lambda pop, reader: {"pop": pop, ...},
        bulk_records=lambda user: Pop.objects.visible_to(user).due_this_month(),
    ))

and a button where the record is shown::

    {% include "documents/includes/print_button.html" with kind="pop" record=pop %}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from bwise.access import Perm, has_perm


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str
    model: str  # "app_label.ModelName"
    template: str
    # (record, reader) -> context; the reader (None in tests of the layout) decides what
    # special-category data the document may hold.
    build_context: Callable[[models.Model, object], dict]
    perm: Perm = Perm.PRINT_DOCUMENTS
    filename: Callable[[models.Model], str] = lambda record: f"document-{record.pk}"
    # The records offered for a bulk print; defaults to every record the user may read.
    bulk_records: Callable[[object], models.QuerySet] | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def visible_records(self, user) -> models.QuerySet:
        if not has_perm(user, self.perm):
            return self.model_class.objects.none()
        return self.model_class.objects.visible_to(user)

    def bulk_queryset(self, user) -> models.QuerySet:
        if not has_perm(user, self.perm):
            return self.model_class.objects.none()
        if self.bulk_records is not None:
            return self.bulk_records(user)
        return self.visible_records(user)

    def can_read(self, user, record_id) -> bool:
        return self.visible_records(user).filter(pk=record_id).exists()


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if kind.key in _kinds and _kinds[kind.key] != kind:
        raise ValueError(f"document kind {kind.key!r} is registered twice")
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> DocumentKind | None:
    return _kinds.get(key)


def all_kinds() -> list[DocumentKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def may_print_any(user) -> bool:
    """Whether some document kind is open to this user (each kind names its own permission)."""
    return any(has_perm(user, kind.perm) for kind in _kinds.values())
