"""The two database roles: the owner (migrations) and the application (everything else).

The application role is neither superuser nor owner of any table, so it cannot TRUNCATE,
ALTER TABLE ... DISABLE TRIGGER, set ``session_replication_role`` or grant itself more. On
the audit tables (the access log and every pghistory event table) it may only INSERT and
SELECT (on pghistory's context table also UPDATE the two columns its upsert sets): the
append-only triggers, which ``SET pgtrigger.ignore`` would lift, are a second line. History
changes only through ``bwise_redact_history``, which runs as the owner.

``apply`` is run by ``manage.py migrate`` (after the migrations, so that new tables are
covered) and by ``manage.py setup_db_roles``; see docs/operations.md, "Database roles".
"""

from __future__ import annotations

from contextlib import contextmanager

import environ
from django.apps import apps
from django.conf import settings
from django.db import connections
from pghistory.models import Context, Event
from psycopg2 import sql

from bwise.audit.models import AccessLog

APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"
# The columns pghistory's context upsert (_pgh_attach_context) sets on a conflict.
CONTEXT_UPSERT_COLUMNS = ("metadata", "updated_at")
REDACT_FUNCTION = "bwise_redact_history(text, text[], jsonb, bigint, bigint, bigint)"


class RoleError(Exception):
    pass


def append_only_tables() -> list[str]:
    """The access log and every history event table."""
    events = [
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, Event) and model._meta.managed and not model._meta.proxy
    ]
    return sorted({AccessLog._meta.db_table, *events})


def owner_settings(alias: str = "default") -> dict | None:
    """The connection settings of the owner role, when it differs from the application's."""
    if not settings.MIGRATE_DATABASE_URL:
        return None
    owner = environ.Env.db_url_config(settings.MIGRATE_DATABASE_URL)
    return {key: owner[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT") if key in owner}


@contextmanager
def as_owner(alias: str = "default"):
    """Connect ``alias`` as the owner role (MIGRATE_DATABASE_URL) for the duration."""
    owner = owner_settings(alias)
    connection = connections[alias]
    if owner is None:
        yield connection
        return
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def application_role(alias: str = "default") -> str | None:
    """The role the application connects as, when migrations run as another one."""
    if not settings.MIGRATE_DATABASE_URL:
        return None
    app_user = settings.DATABASES[alias]["USER"]
    return app_user if app_user and app_user != owner_settings(alias).get("USER") else None


def application_password(alias: str = "default") -> str | None:
    return settings.DATABASES[alias].get("PASSWORD") or None


def _execute(cursor, statement) -> None:
    cursor.execute(
        statement.as_string(cursor.cursor.connection) if isinstance(statement, sql.Composable) else statement
    )


def ensure_role(connection, role: str, password: str | None) -> bool:
    """Create ``role`` as a plain login role if it does not exist; True when created."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            return False
        statement = sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS").format(
            sql.Identifier(role)
        )
        if password:
            statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
        _execute(cursor, statement)
    return True


def _refuse_powerful(cursor, role: str) -> None:
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    found = cursor.fetchone()
    if found is None:
        raise RoleError(f"The database role {role} does not exist.")
    if any(found):
        raise RoleError(f"The application role {role} is a superuser or bypasses row security.")
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "WHERE r.rolname = %s AND c.relnamespace = 'public'::regnamespace",
        [role],
    )
    if cursor.fetchone()[0]:
        raise RoleError(f"The application role {role} owns tables; the migration role must own them.")


def apply(connection, role: str) -> list[str]:
    """Grant ``role`` what the application needs, and no more; return the append-only tables.

    Run as the owner of the tables. New tables get only SELECT and INSERT by default (fail
    closed) until the next run, which ``manage.py migrate`` does after migrating."""
    name = sql.Identifier(role)
    append_only = append_only_tables()
    with connection.cursor() as cursor:
        _refuse_powerful(cursor, role)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(name),
            sql.SQL("GRANT " + APP_PRIVILEGES + " ON ALL TABLES IN SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
                sql.SQL(", ").join(sql.Identifier(table) for table in append_only), name
            ),
            # pghistory's trigger function writes the context (who, which URL) of each change
            # with INSERT ... ON CONFLICT (id) DO UPDATE SET metadata, updated_at, because a
            # context reused within a transaction gathers more metadata. PostgreSQL checks the
            # UPDATE privilege on those columns for every such INSERT, conflict or not, so the
            # role keeps UPDATE on them alone (without it no change is recorded at all) and
            # cannot re-date or re-key a context, nor delete one.
            sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
                sql.Identifier(Context._meta.db_table), name
            ),
            sql.SQL("GRANT UPDATE (" + ", ".join(CONTEXT_UPSERT_COLUMNS) + ") ON {} TO {}").format(
                sql.Identifier(Context._meta.db_table), name
            ),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            sql.SQL("GRANT EXECUTE ON FUNCTION " + REDACT_FUNCTION + " TO {}").format(name),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT "
                + APPEND_ONLY_PRIVILEGES
                + " ON TABLES TO {}"
            ).format(name),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(name),
        ]
        for statement in statements:
            _execute(cursor, statement)
    return append_only
