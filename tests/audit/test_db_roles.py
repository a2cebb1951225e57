"""The application's database role cannot rewrite the audit trail; the chain shows who did.

The tests run as the superuser ``postgres``. ``setup_db_roles`` creates the application role
inside the test's transaction (rolled back afterwards), and the statements run under
``SET ROLE``, which checks privileges exactly as a login of that role would."""

import io
from contextlib import contextmanager

import pghistory
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from bwise.audit.chain import verify
from bwise.audit.models import AccessAction, AccessLog
from bwise.audit.roles import append_only_tables
from bwise.audit.services import log_access
from bwise.privacy import services as privacy
from tests.factories import WorkerFactory
from trajects.models import Worker

pytestmark = pytest.mark.django_db

REFUSED = r"permission denied|must be owner"


@pytest.fixture
def app_role():
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    call_command("setup_db_roles", role=role, stdout=io.StringIO())
    return role


@contextmanager
def as_role(role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _run(*statements):
    # A savepoint, so that the refused statement leaves the test's transaction usable.
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _triggers(table) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(tgname::text)::text FROM pg_trigger WHERE tgrelid = %s::regclass", [table]
        )
        return cursor.fetchone()[0]


@pytest.fixture
def worker(organisation, coach):
    worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Tamper")
    log_access(user=coach, action=AccessAction.VIEW, record=worker, worker_id=worker.pk)
    return worker


def _event_table():
    return Worker.pgh_event_models["insert"]._meta.db_table


ATTACKS = {
    "update": ["UPDATE {table} SET {column} = {column}"],
    "delete": ["DELETE FROM {table}"],
    "truncate": ["TRUNCATE {table}"],
    "disable trigger": ["ALTER TABLE {table} DISABLE TRIGGER ALL"],
    "pgtrigger.ignore": [
        "SET LOCAL pgtrigger.ignore = '{triggers}'",
        "UPDATE {table} SET {column} = {column}",
    ],
    "session_replication_role": [
        "SET LOCAL session_replication_role = replica",
        "UPDATE {table} SET {column} = {column}",
    ],
}


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("table", ["audit_accesslog", "history"])
def test_the_application_role_cannot_alter_the_audit_tables(app_role, worker, attack, table):
    table = _event_table() if table == "history" else table
    column = "record_id" if table == "audit_accesslog" else "pgh_label"
    statements = [
        statement.format(table=table, column=column, triggers=_triggers(table))
        for statement in ATTACKS[attack]
    ]
    with as_role(app_role), pytest.raises(DatabaseError, match=REFUSED):
        _run(*statements)
    # As the owner, the rows are all still there.
    assert AccessLog.objects.filter(worker_id=worker.pk).exists()
    assert Worker.pgh_event_models["insert"].objects.filter(pgh_obj_id=worker.pk).exists()


def test_the_application_role_is_neither_superuser_nor_owner_and_has_insert_select_only(app_role):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s", [app_role]
        )
        assert cursor.fetchone() == (False, False, False)
        for table in append_only_tables():
            cursor.execute(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = %s AND table_name = %s",
                [app_role, table],
            )
            assert {row[0] for row in cursor.fetchall()} == {"SELECT", "INSERT"}, table
        cursor.execute("SELECT has_table_privilege(%s, 'pghistory_context', 'DELETE')", [app_role])
        assert cursor.fetchone()[0] is False
    assert "audit_accesslog" in append_only_tables() and _event_table() in append_only_tables()


def test_the_application_role_still_works_logs_and_pseudonymises(app_role, organisation, coach, hr):
    with as_role(app_role):
        worker = WorkerFactory(organisation=organisation, coach=coach, first_name="Kwetsbaar")
        worker.first_name = "Anders"
        worker.save()  # writes a history event through the trigger
        log_access(user=coach, action=AccessAction.VIEW, record=worker, worker_id=worker.pk)
        privacy.worker_pseudonymise(worker=worker, reason="test", by=hr)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
    events = Worker.pgh_event_models["update"].objects.filter(pgh_obj_id=worker.pk)
    assert events.exists() and not events.filter(first_name__in=["Kwetsbaar", "Anders"]).exists()
    # The database function logged what it rewrote, naming the actor.
    rewritten = AccessLog.objects.filter(worker_id=worker.pk, action=AccessAction.PSEUDONYMISE)
    assert rewritten.exists() and set(rewritten.values_list("user_id", flat=True)) == {hr.pk}
    assert verify()[1] is None


def test_the_application_role_cannot_redact_anything_but_history(app_role):
    with as_role(app_role), pytest.raises(DatabaseError, match="not a history table"):
        _run("SELECT bwise_redact_history('accounts_user', ARRAY['1'], NULL, NULL, NULL, NULL)")


def test_setup_refuses_a_superuser_as_the_application_role():
    with pytest.raises(CommandError, match="superuser"):
        call_command("setup_db_roles", role="postgres", stdout=io.StringIO())


# --- The hash chain -------------------------------------------------------------------


def _verify_audit():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()


def test_rows_are_chained_per_organisation(worker, coach, other_organisation):
    from tests.factories import UserFactory

    outsider = UserFactory(organisation=other_organisation)
    for user in (coach, outsider, coach):
        log_access(user=user, action=AccessAction.VIEW, record=worker, worker_id=worker.pk)
    mine = list(AccessLog.objects.filter(organisation_id=coach.organisation_id).order_by("seq"))
    assert [row.seq for row in mine] == [1, 2, 3]
    assert all(len(row.hash) == 64 for row in mine)
    assert [row.prev_hash for row in mine] == ["", mine[0].hash, mine[1].hash]
    assert AccessLog.objects.get(organisation_id=other_organisation.pk).seq == 1
    assert _verify_audit() == (0, "Access log intact: 4 rows.\n")
    out = io.StringIO()
    call_command("verify_audit", verbosity=2, stdout=out)
    assert f"organisation {coach.organisation_id}: seq 3 hash {mine[2].hash}" in out.getvalue()


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_accesslog SET user_id = NULL WHERE id = {id}",
        'UPDATE audit_accesslog SET detail = \'{{"export": "other"}}\' WHERE id = {id}',
        "DELETE FROM audit_accesslog WHERE id = {id}",
    ],
)
def test_verify_audit_finds_a_row_changed_by_a_superuser(worker, coach, tamper):
    for _ in range(3):
        log_access(user=coach, action=AccessAction.VIEW, record=worker, worker_id=worker.pk)
    target = AccessLog.objects.filter(organisation_id=coach.organisation_id).get(seq=2)
    assert _verify_audit()[0] == 0
    # A superuser can lift the triggers; the chain still tells.
    _run(
        f"SET LOCAL pgtrigger.ignore = '{_triggers('audit_accesslog')}'",
        tamper.format(id=target.pk),
    )
    code, message = _verify_audit()
    assert code == 1
    assert f"organisation {coach.organisation_id}, seq " in message and "seq 1," not in message


def _context_column_privileges(role) -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = 'pghistory_context'",
            [role],
        )
        table = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT column_name, privilege_type FROM information_schema.column_privileges "
            "WHERE grantee = %s AND table_name = 'pghistory_context' AND privilege_type = 'UPDATE'",
            [role],
        )
        columns = {row[0] for row in cursor.fetchall()}
    return {"table": table, "update columns": columns}


def test_the_context_table_may_be_updated_only_where_pghistory_s_upsert_needs_it(app_role, worker):
    # pghistory's trigger function _pgh_attach_context writes the context (user, URL) with
    # INSERT ... ON CONFLICT (id) DO UPDATE SET metadata, updated_at: a context reused within
    # a transaction with more metadata rewrites its row. PostgreSQL asks UPDATE privilege on
    # those columns for every such INSERT, conflict or not, so the role keeps exactly those.
    granted = _context_column_privileges(app_role)
    assert granted["table"] == {"SELECT", "INSERT"}
    assert granted["update columns"] == {"metadata", "updated_at"}
    with pghistory.context(url="/one/"):
        worker.save()
    for statement in (
        "UPDATE pghistory_context SET id = gen_random_uuid()",
        "UPDATE pghistory_context SET created_at = now()",
    ):
        with as_role(app_role), pytest.raises(DatabaseError, match=REFUSED):
            _run(statement)
    with as_role(app_role), pytest.raises(DatabaseError, match=REFUSED):
        _run("DELETE FROM pghistory_context")


def test_pghistory_s_context_upsert_needs_the_update_privilege(app_role, organisation, coach):
    worker = WorkerFactory(organisation=organisation, coach=coach)
    with as_role(app_role), pghistory.context(user=coach.pk):
        worker.first_name = "Eerste"
        worker.save()
        pghistory.context(url="/tweede/")
        worker.first_name = "Tweede"
        worker.save()  # the same context, with more metadata: its row is updated
    context = Worker.pgh_event_models["update"].objects.filter(pgh_obj_id=worker.pk).last().pgh_context
    assert context.metadata == {"user": coach.pk, "url": "/tweede/"}
    # Without it, the application could not record a change at all.
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE UPDATE ON pghistory_context FROM "{app_role}"')
    with (
        as_role(app_role),
        pghistory.context(user=coach.pk),
        pytest.raises(DatabaseError, match=REFUSED),
        transaction.atomic(),
    ):
        worker.first_name = "Derde"
        worker.save()
