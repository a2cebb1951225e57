"""Bulk loading through PostgreSQL ``COPY``, for the scale data of ``seed_scale``.

``bulk_create`` builds a model instance and prepares every field of every row in Python,
which at sector scale (two million indicator scores) costs far more than the database's
own work. ``COPY`` takes the rows as tab-separated text in one stream. Row triggers
(pghistory's events) still fire, so what is loaded is exactly what ``bulk_create`` would
have written.

The foreign-key checks are row triggers too, each a query of its own, and cost three
times the insert itself; ``checks_after`` (for the table's owner) replaces them by one
validating join per key at the end.
"""

import datetime
import io
import json
from contextlib import contextmanager

from django.db import connection, transaction

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


@contextmanager
def checks_after(model):
    """Load ``model``'s table without its foreign keys and secondary indexes, then add them
    back: PostgreSQL validates each key in one join and builds each index in one sort, instead
    of a check and an index insert per row. The block runs in one transaction, holding the
    table's exclusive lock (nobody else should be writing a table being seeded).

    Only the table's owner may alter it: for any other role (the application role of
    docs/operations.md) the rows are checked one by one, as ``COPY`` does by default."""
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass", [table]
        )
        if not cursor.fetchone()[0]:
            yield
            return
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
        for name, _definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
