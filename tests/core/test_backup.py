"""Backups: pg_dump in custom format, private file, and a restore that proves it."""

import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bwise.accounts.models import Role
from bwise.audit.models import AccessAction
from bwise.audit.services import log_access
from tests.factories import UserFactory, WorkerFactory

# pg_dump reads through its own connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def some_data(organisation):
    coach = UserFactory(organisation=organisation, roles=[Role.COACH])
    workers = [WorkerFactory(organisation=organisation, coach=coach) for _ in range(3)]
    log_access(user=coach, action=AccessAction.VIEW, record=workers[0], worker_id=workers[0].pk)
    return workers


def _scratch_databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{connection.settings_dict['NAME'][:40]}_verify_%"],
        )
        return {row[0] for row in cursor.fetchall()}


def _backup(path) -> str:
    out = StringIO()
    call_command("backup_database", output=str(path), stdout=out)
    return out.getvalue()


def test_backup_is_a_private_custom_format_dump(tmp_path, some_data):
    path = tmp_path / "bwise.dump"
    _backup(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert not list(tmp_path.glob(".*partial"))


def test_an_existing_file_is_made_private(tmp_path, some_data):
    path = tmp_path / "bwise.dump"
    path.write_text("old")
    path.chmod(0o644)
    _backup(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_restore_verify_finds_no_differences_then_every_table_changed_since(
    tmp_path, some_data, organisation
):
    # One backup for both halves: a restore into a scratch database costs seconds.
    path = tmp_path / "bwise.dump"
    _backup(path)
    before = _scratch_databases()
    out = StringIO()
    call_command("restore_verify", input=str(path), stdout=out)
    assert "0 differences" in out.getvalue()
    assert _scratch_databases() == before  # the scratch copy is gone

    WorkerFactory(organisation=organisation)  # the database moves on after the backup
    some_data[1].last_name = "Changed"
    some_data[1].save()
    out = StringIO()
    with pytest.raises(CommandError, match="difference"):
        call_command("restore_verify", input=str(path), stdout=out)
    report = out.getvalue()
    assert "public.trajects_worker: 4 rows in the database, 3 in the backup" in report
    assert "public.trajects_workerevent:" in report
    assert "public.accounts_organisation" not in report
    assert _scratch_databases() == before
    assert not _scratch_databases()


def test_restore_verify_refuses_a_missing_or_broken_file(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_verify", input=str(tmp_path / "nothing.dump"))
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"not a dump")
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore_verify", input=str(broken), stdout=StringIO())
    assert not _scratch_databases()
