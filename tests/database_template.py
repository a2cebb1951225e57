"""The test databases are copies of a migrated template, kept on the PostgreSQL server.

Migrating an empty database took about 40 s per test process, an eighth of the suite. The
first process to need a schema that the server does not hold yet migrates its own test
database as before and copies it to ``bwise_test_template_<key>``; every later process
(and every later run) copies that template, which takes a second or two. The key is a hash of
every migration file and of the locked dependencies, so that any change to the schema, a
migration's SQL or a trigger library's version makes a new template. An advisory lock on the
server keeps two processes from building the same template at once.

``--reuse-db`` keeps pytest-django's own behaviour (the developer's kept database).
"""

import contextlib
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "bwise_test_template_"
APPS = ("bwise", "trajects", "competenties", "partners")
# Any number, the same in every process: the advisory lock's name.
LOCK = 48_151_623


def schema_key() -> str:
    digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes())
    for app in APPS:
        for path in sorted((ROOT / app).rglob("migrations/*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_modify_db_settings
):
    from django.db import DatabaseError, connection, connections
    from django.test.utils import setup_databases, teardown_databases

    if django_db_keepdb:
        with django_db_blocker.unblock():
            setup_databases(verbosity=0, interactive=False, keepdb=True)
        yield
        return

    template = PREFIX + schema_key()
    test_name = connection.creation._get_test_db_name()
    quote = connection.ops.quote_name
    with django_db_blocker.unblock(), connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            if _exists(cursor, template):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
                cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
                # The copy is migrated: Django only checks that nothing is left to apply.
                db_cfg = setup_databases(verbosity=0, interactive=False, keepdb=True)
            else:
                db_cfg = setup_databases(verbosity=0, interactive=False)
                connections.close_all()  # a template may have no open connection
                cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"])
                for (old,) in cursor.fetchall():
                    # Another checkout's schema, unless a run of it copies it right now.
                    with contextlib.suppress(DatabaseError):
                        cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
                cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(test_name)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(db_cfg, verbosity=0)
        except Exception as error:  # noqa: BLE001 - a leftover database is no test failure
            request.node.warn(pytest.PytestWarning(f"could not drop the test database: {error!r}"))
