"""Bulk loading through PostgreSQL ``COPY``, for the scale data of ``seed_scale``.

``bulk_create`` builds a model instance and prepares every field of every row in Python,
which at sector scale (two million indicator scores) costs far more than the database's
own work. ``COPY`` takes the rows as tab-separated text in one stream. Row triggers
still fire, so what is loaded is exactly what ``bulk_create`` would have written.

pghistory's insert events are row triggers that cost more than the insert they record;
``history_after`` (for the owner) writes the same events in one statement per table.
The foreign-key checks are row triggers too, each a query of its own, and cost three
times the insert itself; ``checks_after`` (for the table's owner) replaces them by one
validating join per key at the end.
"""

import datetime
import io
import json
from contextlib import contextmanager

import pghistory.trigger
import pgtrigger
from django.db import connection, models, transaction

# COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_CHUNK_ROWS = 50_000


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.date):  # datetimes too: isoformat keeps their time zone
        return value.isoformat()
    if isinstance(value, list | dict):
        value = _array(value) if isinstance(value, list) else json.dumps(value)
    return str(value).translate(_ESCAPES)


def _array(values: list) -> str:
    """A PostgreSQL array literal of strings (the ``roles`` column and its kind)."""
    quoted = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def copy_rows(model, columns: list[str], rows) -> int:
    """``COPY`` ``rows`` (tuples in the order of ``columns``, database column names) into
    ``model``'s table, in chunks so that memory stays flat; the number of rows loaded.

    Columns left out take their database default, so every NOT NULL column without one
    (Django's ``default=`` is not a database default) must be given."""
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    total = 0
    buffer = io.StringIO()
    count = 0
    with connection.cursor() as cursor:
        for row in rows:
            buffer.write("\t".join(map(_text, row)))
            buffer.write("\n")
            count += 1
            if count == _CHUNK_ROWS:
                total += _flush(cursor, sql, buffer)
                buffer, count = io.StringIO(), 0
        if count:
            total += _flush(cursor, sql, buffer)
    return total


def _flush(cursor, sql: str, buffer: io.StringIO) -> int:
    buffer.seek(0)
    cursor.cursor.copy_expert(sql, buffer)  # the psycopg2 cursor under Django's wrapper
    return cursor.cursor.rowcount


def reserve_ids(model, count: int) -> list[int]:
    """``count`` primary keys from ``model``'s identity sequence, for rows loaded by
    ``copy_rows`` that other rows point to."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


# While ``checks_deferred`` runs: per table, the keys and indexes ``checks_after`` dropped.
_deferred: dict[str, tuple[list, list]] | None = None


@contextmanager
def checks_after(model):
    """Load ``model``'s table without its foreign keys and secondary indexes, then add them
    back: PostgreSQL validates each key in one join and builds each index in one sort, instead
    of a check and an index insert per row. The block runs in one transaction, holding the
    table's exclusive lock (nobody else should be writing a table being seeded). Inside
    ``checks_deferred`` they are added back at its end instead.

    Only the table's owner may alter it: for any other role (the application role of
    docs/operations.md) the rows are checked one by one, as ``COPY`` does by default."""
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if _deferred is not None and table in _deferred:
            yield
            return
        if not _owns(cursor, table):
            yield
            return
        keys, indexes = _drop_checks(cursor, table)
        if _deferred is not None:
            _deferred[table] = (keys, indexes)
            yield
            return
        yield
        _restore_checks(cursor, table, keys, indexes)


@contextmanager
def checks_deferred():
    """Every ``checks_after`` in the block drops its table's keys and indexes once and they
    are added back at the block's end, in one transaction: seeding many organisations then
    builds each index once, not once per organisation over every row loaded before it."""
    global _deferred
    if _deferred is not None:
        yield
        return
    _deferred = {}
    try:
        with transaction.atomic():
            yield
            with connection.cursor() as cursor:
                for table, (keys, indexes) in _deferred.items():
                    _restore_checks(cursor, table, keys, indexes)
    finally:
        _deferred = None


def _drop_checks(cursor, table: str) -> tuple[list, list]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    keys = cursor.fetchall()
    # Indexes that back a constraint (primary key, unique) stay: dropping them drops it.
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    _check_pending(cursor)
    for name, _definition in keys:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    return keys, indexes


def _restore_checks(cursor, table: str, keys: list, indexes: list) -> None:
    quote = connection.ops.quote_name
    for _name, definition in indexes:
        cursor.execute(definition)
    _check_pending(cursor)
    for name, definition in keys:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _check_pending(cursor) -> None:
    """Run the foreign-key checks deferred so far: PostgreSQL alters no table with pending
    trigger events. Django's keys are all DEFERRABLE INITIALLY DEFERRED; they are again after."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _owns(cursor, table: str) -> bool:
    cursor.execute("SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass", [table])
    return cursor.fetchone()[0]


@contextmanager
def history_after():
    """Run the block with pghistory's insert triggers off, then record the insert event of
    every row the block added, table by table, in one ``INSERT ... SELECT`` each: the rows
    pghistory would have written, with no context (a management command has none).

    The table's owner only (``ALTER TABLE ... DISABLE TRIGGER``); for another role the
    triggers stay on. One transaction, with the tracked tables locked for the duration."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        tracked = []
        _check_pending(cursor)
        for model, trigger in pgtrigger.registered():
            table = model._meta.db_table
            if not isinstance(trigger, pghistory.trigger.Event) or str(trigger.operation) != "INSERT":
                continue
            if trigger.condition is not None:  # not replayed here: such a trigger stays on
                continue
            if not _owns(cursor, table):
                continue
            pk = model._meta.pk.column
            cursor.execute(f"SELECT max({quote(pk)}) FROM {quote(table)}")  # noqa: S608 - model meta
            tracked.append((model, trigger, cursor.fetchone()[0] or 0))
            cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(trigger.get_pgid(model))}")
        yield
        _check_pending(cursor)
        for model, trigger, last in tracked:
            table = model._meta.db_table
            cursor.execute(_events_sql(model, trigger), [last])
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(trigger.get_pgid(model))}")


def _events_sql(model, trigger) -> str:
    """What pghistory's row trigger inserts (pghistory.trigger.Event.get_func), for every row
    of ``model`` above a primary key at once."""
    quote = connection.ops.quote_name
    event = trigger.event_model
    tracked = {f.name for f in model._meta.fields}
    pk = quote(model._meta.pk.column)
    values = {
        f.column: f"new.{quote(f.column)}"
        for f in event._meta.fields
        if f.concrete and f.name in tracked and not isinstance(f, models.AutoField | models.GeneratedField)
    }
    values["pgh_created_at"] = "NOW()"
    values["pgh_label"] = f"'{trigger.label}'"
    if hasattr(event, "pgh_obj"):
        values["pgh_obj_id"] = f"new.{pk}"
    columns = ", ".join(map(quote, values))
    # Identifiers from the models' meta, no user input.
    return (
        f"INSERT INTO {quote(event._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {', '.join(values.values())} FROM {quote(model._meta.db_table)} AS new "
        f"WHERE new.{pk} > %s ORDER BY new.{pk}"
    )
