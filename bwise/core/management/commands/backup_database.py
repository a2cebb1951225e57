import os
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bwise.core.backup import client_binary, libpq_env


class Command(BaseCommand):
    help = (
        "Write a backup of the database with pg_dump in its custom format (-Fc). The file is "
        "readable by its owner only (mode 600): it holds every worker's personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Path of the backup file to write.")

    def handle(self, *args, output, **options):
        target = Path(output).expanduser().resolve()
        if not target.parent.is_dir():
            raise CommandError(f"The directory {target.parent} does not exist.")
        pg_dump = client_binary("pg_dump")
        # Written next to the target and renamed at the end, so that a failed run never
        # leaves a truncated file under the expected name. Created with mode 600 from the
        # start: there is no moment at which another user could open it.
        partial = target.with_name(f".{target.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        try:
            result = subprocess.run(  # noqa: S603 - our own binary and arguments, no shell
                [str(pg_dump), "--format=custom", "--no-password"],
                stdout=fd,
                stderr=subprocess.PIPE,
                env=libpq_env(),
                text=True,
                check=False,
            )
        finally:
            os.close(fd)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        partial.replace(target)
        size = target.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} ({size} bytes, {pg_dump})."))
