"""Reading the audit trail written by django-pghistory's triggers, for one reader.

The trail of a record holds the trail of every record that points at it, which for a user
means every worker they coach and every intake they wrote. So each event is shown only if
the reader may see its record through the access layer, and its fields go through the
minimisation layer; a record the access layer does not know is left out (fail closed).
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from pghistory import core as pghistory_core
from pghistory import utils as pghistory_utils
from pghistory.models import Context

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
            ids = {event.obj_id for event in model_events}
            if path is None:
                shown = {
                    str(pk)
                    for pk in queryset.visible_to(reader).filter(pk__in=ids).values_list("pk", flat=True)
                }
                for pk in ids:
                    self._visible[(model._meta.label, str(pk))] = (str(pk) in shown, None)
                continue
            for event, worker_id in self._worker_ids(model, path, model_events):
                worker_ids[(model._meta.label, str(event.obj_id))] = worker_id
        workers_model = worker_model()
        wanted = {worker_id for worker_id in worker_ids.values() if worker_id is not None}
        workers = workers_model.objects.visible_to(reader).in_bulk(wanted) if wanted else {}
        for key, worker_id in worker_ids.items():
            worker = workers.get(worker_id)
            self._visible[key] = (worker is not None, worker)

    def resolve(self, model, event) -> tuple[bool, object]:
        """(visible, worker): the worker is None for a record that belongs to no worker."""
        return self._visible.get((model._meta.label, str(event.obj_id)), (False, None))

    def _worker_ids(self, model, path: str, events):
        """The worker of each event's row as it was then, so that a deleted record still has one."""
        if not path:
            return [(event, event.obj_id and int(event.obj_id)) for event in events]
        first, _sep, rest = path.partition("__")
        attname = model._meta.get_field(first).attname
        related_ids = [(event, event.data.get(attname)) for event in events]
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


@dataclass
class _Event:
    """One row of the trail with what pghistory's aggregate ``Events`` gives it: the row's
    columns (``data``) and, against the same record's previous event, what changed (``diff``)."""

    slug: str
    id: int
    at: datetime
    label: str
    model: type  # the tracked model
    obj_id: str | None
    data: dict
    diff: dict | None
    context: dict
    user: object


# Large enough to let through every event of one instant (see ``_events``' ``older``).
EVERY_ID = 2**62


def _events(obj, *, references: bool, older: tuple | None, limit: int, labels=()) -> list[_Event]:
    """The newest ``limit`` events of ``obj`` (``references``: and of every tracked record
    that points at it), newest first.

    pghistory's ``Events`` computes every event's difference with the one before it and only
    then sorts and limits, so a page cost as much as the whole trail. Here each event table
    gives its newest ``limit`` rows first, and only those are compared with their previous
    row: the cost of a page stays the same however long the trail grows.

    Order and ``older`` (where the page starts, exclusive): with ``references`` by
    (``at``, slug) as pghistory's, else by (``at``, event id) within the one table; at the
    instant ``at`` itself only ids below ``older[1]`` (none when it is None)."""
    model = obj._meta.concrete_model
    if references:
        event_models = pghistory_core.event_models(references_model=model)
    else:
        event_models = pghistory_core.event_models(tracks_model=model)
    branches, params = [], []
    for event_model in event_models:
        label = event_model._meta.label
        if references:
            columns = [
                field.column
                for field in event_model._meta.fields
                if pghistory_utils.related_model(field) == model
            ]
        else:
            columns = [event_model._meta.get_field("pgh_obj").column]
        table = connection.ops.quote_name(event_model._meta.db_table)
        # The slug is the label and the id, compared as text: pghistory's order, kept so
        # that a cursor handed out earlier still points at the same place.
        key, key_params = ("CONCAT(%s, ':', t.pgh_id)", [label]) if references else ("t.pgh_id", [])
        where = ["(" + " OR ".join(f"t.{connection.ops.quote_name(column)} = %s" for column in columns) + ")"]
        where_params = [obj.pk] * len(columns)
        if older is not None:
            at, below = older
            if below is None:
                where.append("t.pgh_created_at < %s")
                where_params.append(at)
            else:
                where.append(f"(t.pgh_created_at < %s OR (t.pgh_created_at = %s AND {key} < %s))")
                where_params += [at, at, *key_params, below]
        if labels:
            where.append("t.pgh_label IN %s")
            where_params.append(tuple(labels))
        fields = {field.name for field in event_model._meta.fields}
        previous = (
            f"(SELECT row_to_json(p)::jsonb FROM {table} p WHERE p.pgh_obj_id = e.pgh_obj_id"  # noqa: S608 - names from the models, values as parameters
            " AND p.pgh_id < e.pgh_id ORDER BY p.pgh_id DESC LIMIT 1)"
            if "pgh_obj" in fields
            else "NULL::jsonb"
        )
        branches.append(
            f"""(SELECT %s AS pgh_model, e.pgh_id, e.pgh_created_at, e.pgh_label, e.pgh_slug,
                {"e.pgh_obj_id::text" if "pgh_obj" in fields else "NULL::text"} AS pgh_obj_id,
                {"e.pgh_context_id" if "pgh_context" in fields else "NULL::uuid"} AS pgh_context_id,
                row_to_json(e)::jsonb AS curr, {previous} AS prev
              FROM (SELECT t.*, CONCAT(%s, ':', t.pgh_id) AS pgh_slug FROM {table} t
                    WHERE {" AND ".join(where)}
                    ORDER BY t.pgh_created_at DESC, {key} DESC LIMIT %s) e)"""  # noqa: S608 - names from the models
        )
        params += [label, label, *where_params, *key_params, limit]
    if not branches:
        return []
    order = "pgh_slug" if references else "pgh_id"
    # Who made each change, joined as pghistory's ``MiddlewareEvents.user`` is; what the
    # reader may see of each event is decided by the callers.
    user_model = get_user_model()
    user_fields = user_model._meta.concrete_fields
    user_columns = ", ".join(f"u.{connection.ops.quote_name(field.column)}" for field in user_fields)
    sql = f"""SELECT b.pgh_model, b.pgh_id, b.pgh_created_at, b.pgh_label, b.pgh_slug, b.pgh_obj_id,
                     b.curr, b.prev, c.metadata, {user_columns}
              FROM ({" UNION ALL ".join(branches)}) b
              LEFT JOIN {connection.ops.quote_name(Context._meta.db_table)} c ON c.id = b.pgh_context_id
              LEFT JOIN {connection.ops.quote_name(user_model._meta.db_table)} u
                ON u.{connection.ops.quote_name(user_model._meta.pk.column)} = (c.metadata->>'user')::bigint
              ORDER BY b.pgh_created_at DESC, b.{order} DESC LIMIT %s"""  # noqa: S608 - names from the models
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    by_label = {event_model._meta.label: event_model for event_model in event_models}
    names = [field.attname for field in user_fields]
    events = []
    for label, pgh_id, at, event_label, slug, obj_id, *rest in rows:
        # Django's connection hands JSON columns over as text (its fields decode them).
        current, previous, context = (json.loads(value) if value is not None else None for value in rest[:3])
        context = context or {}
        user = user_model.from_db(connection.alias, names, rest[3:]) if rest[3] is not None else None
        data = {key: value for key, value in current.items() if not key.startswith("pgh_")}
        diff = (
            {
                key: [previous[key], value]
                for key, value in data.items()
                if key in previous and previous[key] != value
            }
            if previous is not None
            else None
        )
        events.append(
            _Event(
                slug=slug,
                id=pgh_id,
                at=at,
                label=event_label,
                model=by_label[label].pgh_tracked_model,
                obj_id=obj_id,
                data=data,
                diff=diff or None,
                context=context,
                user=user,
            )
        )
    return events


def history_for(obj, *, reader, before: Cursor | None = None, limit: int = HISTORY_PAGE) -> HistoryPage:
    """The events of ``obj`` and of every tracked record that references it that ``reader``
    may see, each with the fields that exist for the reader, newest first: ``limit`` events
    from ``before`` on (a page may show fewer entries, the rest being hidden from the reader)."""
    older = (before.at, before.key) if before is not None else None
    events = _events(obj, references=True, older=older, limit=limit + 1)
    older = None
    if len(events) > limit:
        events = events[:limit]
        older = Cursor(events[-1].at, events[-1].slug)
    tracked = [(event.model, event) for event in events]
    scope = _Scope(reader, tracked)
    minimiser = Minimiser(reader)
    display = _Display(reader)
    entries = []
    for model, event in tracked:
        visible, worker = scope.resolve(model, event)
        if not visible:
            continue
        diff = event.diff or {}
        if event.label == "insert" and not diff:
            diff = {key: [None, value] for key, value in event.data.items()}
        shown = {
            field: change for field, change in diff.items() if field not in ALWAYS_HIDDEN and field != "id"
        }
        shown = minimiser.fields(model._meta.label, shown, worker=worker, record_id=event.obj_id)
        entries.append(
            HistoryEntry(
                at=event.at,
                label=event.label,
                model=str(model._meta.verbose_name),
                model_label=model._meta.label,
                object_id=event.obj_id,
                user=event.user,
                changes=[
                    (_verbose(model, field), display(model, field, old), display(model, field, new))
                    for field, (old, new) in sorted(shown.items())
                ],
                by_worker=bool(event.context.get("worker_session")),
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
    ``page`` picks the events: it is given ``fetch(older, limit)`` (see ``_events``) and
    returns what it fetched; without it, the newest ``limit``."""

    def fetch(older, size):
        return _events(obj, references=False, older=older, limit=size, labels=("update",))

    events = page(fetch) if page else fetch(None, limit)
    minimiser = Minimiser(reader)
    label = obj._meta.label
    changes = []
    for event in events:
        shown = {
            field: tuple(change)
            for field, change in (event.diff or {}).items()
            if field not in ALWAYS_HIDDEN and field != "id"
        }
        shown = minimiser.fields(label, shown, worker=worker, record_id=obj.pk)
        if shown:
            changes.append(Change(at=event.at, user=event.user, fields=shown, id=event.id))
    return changes


def changed_last_by_worker(record) -> bool:
    """Whether the newest change to ``record`` was the worker's own, on their pages (no user
    to name on the coach's page). Says who, never what: no value of the change leaves here."""
    newest = _events(record, references=False, older=None, limit=1)
    return bool(newest and newest[0].context.get("worker_session"))
