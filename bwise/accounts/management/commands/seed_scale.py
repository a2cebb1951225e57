import time

from django.core.management.base import BaseCommand
from django.db import connection

from bwise.accounts.demo import seed_scale
from bwise.audit.roles import as_owner
from bwise.core.bulk import checks_deferred


class Command(BaseCommand):
    help = "Generate a large organisation with workers and their history, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=30_000)
        parser.add_argument("--organisation", default="Schaalproef vzw")
        parser.add_argument(
            "--organisations",
            type=int,
            default=1,
            help="split the workers over this many organisations (a federation hosting its members), "
            "named after --organisation with a number from the second on",
        )

    def handle(self, *args, workers, organisation, organisations, **options):
        started = time.monotonic()
        # As the tables' owner (MIGRATE_DATABASE_URL, when set), the bulk loads may validate
        # their foreign keys once at the end instead of row by row (bwise.core.bulk).
        with as_owner():
            with checks_deferred():
                for number in range(organisations):
                    name = organisation if number == 0 else f"{organisation} {number + 1}"
                    seed_scale(workers=workers // organisations, organisation_name=name, stdout=self.stdout)
                    if organisations > 1 and (number + 1) & number == 0:
                        # Statistics as the tables double: the next organisation's lookups
                        # would otherwise be planned as scans of tables taken for empty.
                        with connection.cursor() as cursor:
                            cursor.execute("ANALYZE")
            # Fresh planner statistics: without them (autovacuum off or not yet run) PostgreSQL
            # plans the dashboard's joins over the bulk-loaded tables as if they were empty. The
            # VACUUM marks the fresh rows visible, as autovacuum does in a running database: a
            # scan of freshly loaded rows checks each row's transaction, at several times the cost.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{organisations} organisation(s) of {workers // organisations} workers "
                f"in {time.monotonic() - started:.1f} s"
            )
        )
