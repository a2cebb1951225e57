"""Reading the audit trail written by django-pghistory's triggers, for one reader.

The trail of a record holds the trail of every record that points at it, which for a user
means every worker they coach and every intake they wrote. So each event is shown only if
the reader may see its record through the access layer, and its fields go through the
minimisation layer; a record the access layer does not know is left out (fail closed).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from pghistory.models import Events, MiddlewareEvents

from bwise.access import colleagues_of, worker_model
from bwise.core.params import Cursor, OlderForm, clean_query
from bwise.privacy.minimise import Minimiser, worker_path_of

# Never shown, whoever reads: secrets and bookkeeping columns.
ALWAYS_HIDDEN = {"password", "last_login", "updated_at", "version"}

# Events read per page: the page's cost stays the same however long the trail grows.
HISTORY_PAGE = 50


@dataclass
class HistoryEntry:
    at: datetime
    label: str
    model: str
    model_label: str
    object_id: str
    user: object
    changes: list[tuple[str, object, object]]
    # Made by the worker on their own pages (``bwise.portal``), who is no user.
    by_worker: bool = False


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    # Where the next, older page starts; None on the oldest page.
    older: Cursor | None


class _Display:
    """A stored value as the reader knows it: a choice's label, the name of the person or
    record a reference points at (if the reader may see it), a date in the reader's format.
    The trail keeps raw column values (codes, ids, ISO timestamps); nobody reads those."""

    def __init__(self, reader):
        self.reader = reader
        self._names: dict[tuple[str, str], str] = {}

    def __call__(self, model, name: str, value):
        if value is None or value == "":
            return value
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a column since removed: show the value
            return value
        if isinstance(value, list):
            base = getattr(field, "base_field", None)
            labels = dict(base.flatchoices) if base is not None and base.choices else {}
            return ", ".join(str(labels.get(item, item)) for item in value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if field.is_relation and field.many_to_one:
            return self._name(field.related_model, value)
        if isinstance(field, models.BooleanField):
            return _("yes") if value else _("no")
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(str(value))
            return (
                formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else value
            )
        if isinstance(field, models.DateField):
            day = parse_date(str(value))
            return formats.date_format(day, "SHORT_DATE_FORMAT") if day else value
        return value

    def _name(self, related, pk) -> str:
        key = (related._meta.label, str(pk))
        if key not in self._names:
            found = None
            if related is get_user_model():
                # The colleague who did or was given something: a name the reader knows.
                found = colleagues_of(self.reader, active_only=False).filter(pk=pk).first()
            elif hasattr(related.objects, "visible_to"):
                found = related.objects.visible_to(self.reader).filter(pk=pk).first()
            # Someone who left or a record the reader may not see: that it was one, no more.
            self._names[key] = str(found) if found is not None else str(related._meta.verbose_name)
        return self._names[key]


def _verbose(model, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - a column since removed: show its name
        return field


class _Scope:
    """Which records of the trail the reader may see, and the worker each belongs to.

    Resolved for all events at once: one query per tracked model and one for the workers,
    however long the trail."""

    def __init__(self, reader, events):
        self.reader = reader
        self._visible: dict[tuple[str, str], tuple[bool, object]] = {}
        worker_ids: dict[tuple[str, str], object] = {}
        by_model: dict = {}
        for model, event in events:
            by_model.setdefault(model, []).append(event)
        for model, model_events in by_model.items():
            queryset = model._default_manager.all()
            if not hasattr(queryset, "visible_to"):
                continue
            path = worker_path_of(model)
            ids = {event.pgh_obj_id for event in model_events}
            if path is None:
                shown = {
                    str(pk)
                    for pk in queryset.visible_to(reader).filter(pk__in=ids).values_list("pk", flat=True)
                }
                for pk in ids:
                    self._visible[(model._meta.label, str(pk))] = (str(pk) in shown, None)
                continue
            for event, worker_id in self._worker_ids(model, path, model_events):
                worker_ids[(model._meta.label, str(event.pgh_obj_id))] = worker_id
        workers_model = worker_model()
        wanted = {worker_id for worker_id in worker_ids.values() if worker_id is not None}
        workers = workers_model.objects.visible_to(reader).in_bulk(wanted) if wanted else {}
        for key, worker_id in worker_ids.items():
            worker = workers.get(worker_id)
            self._visible[key] = (worker is not None, worker)

    def resolve(self, model, event) -> tuple[bool, object]:
        """(visible, worker): the worker is None for a record that belongs to no worker."""
        return self._visible.get((model._meta.label, str(event.pgh_obj_id)), (False, None))

    def _worker_ids(self, model, path: str, events):
        """The worker of each event's row as it was then, so that a deleted record still has one."""
        if not path:
            return [(event, event.pgh_obj_id and int(event.pgh_obj_id)) for event in events]
        first, _sep, rest = path.partition("__")
        attname = model._meta.get_field(first).attname
        related_ids = [(event, (event.pgh_data or {}).get(attname)) for event in events]
        if not rest:
            return related_ids
        # The next record on the path is worker-scoped too, so the reader's scope already applies.
        related = model._meta.get_field(first).related_model._default_manager.all()
        worker_of_related = dict(
            related.visible_to(self.reader)
            .filter(pk__in={pk for _event, pk in related_ids if pk is not None})
            .values_list("pk", f"{rest}__pk")
        )
        return [(event, worker_of_related.get(pk)) for event, pk in related_ids]


def _tracked_model(event):
    try:
        return apps.get_model(event.pgh_obj_model) if event.pgh_obj_model else None
    except LookupError:
        return None


def history_for(obj, *, reader, before: Cursor | None = None, limit: int = HISTORY_PAGE) -> HistoryPage:
    """The events of ``obj`` and of every tracked record that references it that ``reader``
    may see, each with the fields that exist for the reader, newest first: ``limit`` events
    from ``before`` on (a page may show fewer entries, the rest being hidden from the reader)."""
    events = MiddlewareEvents.objects.references(obj).select_related("user")
    if before is not None:
        events = events.filter(
            Q(pgh_created_at__lt=before.at) | Q(pgh_created_at=before.at, pgh_slug__lt=before.key)
        )
    events = list(events.order_by("-pgh_created_at", "-pgh_slug")[: limit + 1])
    older = None
    if len(events) > limit:
        events = events[:limit]
        older = Cursor(events[-1].pgh_created_at, events[-1].pgh_slug)
    tracked = [(model, event) for event in events if (model := _tracked_model(event)) is not None]
    scope = _Scope(reader, tracked)
    minimiser = Minimiser(reader)
    display = _Display(reader)
    entries = []
    for model, event in tracked:
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
                changes=[
                    (_verbose(model, field), display(model, field, old), display(model, field, new))
                    for field, (old, new) in sorted(shown.items())
                ],
                by_worker=bool((event.pgh_context or {}).get("worker_session")),
            )
        )
    return HistoryPage(entries, older)


def history_context(subject, request) -> dict:
    """The context of ``core/history.html``: the page of ``subject``'s history that the
    request's ``?before=`` names (the newest without), for the request's user."""
    page = history_for(subject, reader=request.user, before=clean_query(OlderForm(request.GET))["before"])
    return {"subject": subject, "events": page.entries, "older": page.older}


@dataclass
class Change:
    at: datetime
    user: object
    fields: dict[str, tuple[object, object]]
    id: int


def changes_of(obj, *, reader, worker, page=None, limit: int = 50) -> list[Change]:
    """The edits of ``obj`` itself (not of the records that point at it), newest first, each
    with only the fields that exist for ``reader`` (``worker`` is whose record it is).
    ``page`` picks the events from the queryset (the newest ``limit`` without it)."""
    events = MiddlewareEvents.objects.tracks(obj).filter(pgh_label="update").select_related("user")
    events = page(events) if page else events.order_by("-pgh_created_at", "-pgh_id")[:limit]
    minimiser = Minimiser(reader)
    label = obj._meta.label
    changes = []
    for event in events:
        shown = {
            field: tuple(change)
            for field, change in (event.pgh_diff or {}).items()
            if field not in ALWAYS_HIDDEN and field != "id"
        }
        shown = minimiser.fields(label, shown, worker=worker, record_id=obj.pk)
        if shown:
            changes.append(Change(at=event.pgh_created_at, user=event.user, fields=shown, id=event.pgh_id))
    return changes


def changed_last_by_worker(record) -> bool:
    """Whether the newest change to ``record`` was the worker's own, on their pages (no user
    to name on the coach's page). Says who, never what: no value of the change leaves here."""
    event = Events.objects.tracks(record).order_by("-pgh_created_at", "-pgh_id").first()
    return bool(event is not None and (event.pgh_context or {}).get("worker_session"))
