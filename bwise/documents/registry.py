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

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from bwise.access import Perm, has_perm


@dataclass(frozen=True)
class BulkSelection:
    """A named set of records offered for a bulk print besides the kind's default one
    (HR prints this month's POPs, or the overdue ones with them)."""

    key: str
    label: str
    records: Callable[[object], models.QuerySet]


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
    # What this record's document is called in the reader's language ("POP 2026"), for its
    # title, bookmark and file name; the kind's label by default.
    name: Callable[[models.Model], str] | None = None
    # The file name without extension; by default what it is and whom it is about.
    filename: Callable[[models.Model], str] | None = None
    # The records offered for a bulk print; defaults to every record the user may read.
    bulk_records: Callable[[object], models.QuerySet] | None = None
    bulk_selections: tuple[BulkSelection, ...] = ()
    # What a bulk print with nothing in it says: the real reason, not a refusal.
    nothing_to_print: str = ""
    # An agreement the parties sign: "drawn up at ... on ... in N copies" above the signatures.
    agreement: bool = False
    # A document the worker and the coach sign on screen (``bwise.documents.signatures``):
    # record -> the content that the signatures bind, as plain JSON-able values. A change to
    # any of it makes the document unsigned; what is left out (progress ticks, an
    # evaluation) may change without a new signature.
    signed_content: Callable[[models.Model], dict] | None = None

    @property
    def signable(self) -> bool:
        return self.signed_content is not None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def visible_records(self, user) -> models.QuerySet:
        if not has_perm(user, self.perm):
            return self.model_class.objects.none()
        return self.model_class.objects.visible_to(user)

    def bulk_queryset(self, user, selection: str = "") -> models.QuerySet:
        """The records of a bulk print: the named selection, else the kind's default one."""
        if not has_perm(user, self.perm):
            return self.model_class.objects.none()
        if selection:
            chosen = {choice.key: choice for choice in self.bulk_selections}.get(selection)
            return chosen.records(user) if chosen else self.model_class.objects.none()
        if self.bulk_records is not None:
            return self.bulk_records(user)
        return self.visible_records(user)

    def can_read(self, user, record_id) -> bool:
        return self.visible_records(user).filter(pk=record_id).exists()

    def document_name(self, record) -> str:
        return str(self.name(record) if self.name else self.label)

    def title(self, record) -> str:
        """The PDF's title: what it is and, when it is about a worker, whom."""
        worker = worker_of(record)
        name = self.document_name(record)
        return f"{name} – {worker.full_name}" if worker is not None else name

    def file_name(self, record, extension: str = "pdf") -> str:
        if self.filename is not None:
            stem = self.filename(record)
        else:
            worker = worker_of(record)
            parts = [self.document_name(record)]
            if worker is not None:
                parts += [worker.last_name, worker.first_name]
            stem = file_stem(*parts)
        return f"{stem}.{extension}"


def worker_of(record):
    """The worker a document is about: the record itself or the worker it belongs to."""
    if record._meta.label == "trajects.Worker":
        return record
    return getattr(record, "worker", None)


def file_stem(*parts) -> str:
    """ASCII words joined by hyphens (``POP-2026-Put-Francine``): every mail client, file
    system and archive keeps the name as it is."""
    text = " ".join(str(part) for part in parts if part not in (None, ""))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-") or "document"


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
