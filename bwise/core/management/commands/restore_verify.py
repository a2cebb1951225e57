import secrets
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bwise.core.backup import client_binary, connect, libpq_env, table_fingerprints


class Command(BaseCommand):
    help = (
        "Restore a backup into a scratch database (created and dropped by this command) and "
        "compare the row count and a checksum of every table with the current database. "
        "Exits non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="Path of a backup made by backup_database.")
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database for inspection.")

    def handle(self, *args, input, keep, **options):
        backup = Path(input).expanduser().resolve()
        if not backup.is_file():
            raise CommandError(f"No backup file at {backup}.")
        source = connection.settings_dict["NAME"]
        scratch = f"{source[:40]}_verify_{secrets.token_hex(4)}"
        pg_restore = client_binary("pg_restore")

        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{scratch}" TEMPLATE template0')
        try:
            self._restore(pg_restore, backup, scratch)
            differences = self._compare(scratch)
        finally:
            if keep:
                self.stdout.write(f"Scratch database kept: {scratch}")
            else:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')

        for line in differences:
            self.stdout.write(self.style.ERROR(line))
        if differences:
            raise CommandError(f"{len(differences)} difference(s) between {backup.name} and {source}.")
        self.stdout.write(
            self.style.SUCCESS(f"0 differences: {backup.name} restores to the same data as {source}.")
        )

    def _restore(self, pg_restore, backup, scratch):
        result = subprocess.run(  # noqa: S603 - our own binary and arguments, no shell
            [
                str(pg_restore),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--no-password",
                "--dbname",
                scratch,
                str(backup),
            ],
            capture_output=True,
            text=True,
            env=libpq_env(scratch),
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")

    def _compare(self, scratch) -> list[str]:
        with connection.cursor() as cursor:
            expected = table_fingerprints(cursor)
        restored_conn = connect(scratch)
        try:
            with restored_conn.cursor() as cursor:
                restored = table_fingerprints(cursor)
        finally:
            restored_conn.close()
        self.stdout.write(f"Compared {len(expected)} tables.")
        differences = []
        for table, (count, checksum) in expected.items():
            if table not in restored:
                differences.append(f"{table}: missing from the backup")
                continue
            restored_count, restored_checksum = restored[table]
            if restored_count != count:
                differences.append(f"{table}: {count} rows in the database, {restored_count} in the backup")
            elif restored_checksum != checksum:
                differences.append(f"{table}: same row count ({count}) but different contents")
        differences += [f"{table}: only in the backup" for table in restored.keys() - expected.keys()]
        return differences
