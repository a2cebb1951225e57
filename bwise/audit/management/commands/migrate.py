"""``migrate`` as the owner role, followed by the application role's grants.

With MIGRATE_DATABASE_URL set, the migrations connect as that role (the owner of every
table and of ``bwise_redact_history``), and afterwards the application's role (the user of
DATABASE_URL) gets its grants again, so that tables added by the migrations are covered.
Without it, this is Django's ``migrate``.
"""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as MigrateCommand

from bwise.audit import roles


class Command(MigrateCommand):
    help = MigrateCommand.help + " Runs as MIGRATE_DATABASE_URL when set, then grants the application role."

    def execute(self, *args, **options):
        alias = options.get("database") or "default"
        # Read before the connection is switched to the owner.
        self.app_role = roles.application_role(alias)
        self.app_password = roles.application_password(alias)
        with roles.as_owner(alias):
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        super().handle(*args, **options)
        if self.app_role and not (options.get("plan") or options.get("check_unapplied")):
            connection = roles.connections[options["database"]]
            roles.ensure_role(connection, self.app_role, self.app_password)
            try:
                tables = roles.apply(connection, self.app_role)
            except roles.RoleError as err:
                raise CommandError(str(err)) from err
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Granted {self.app_role}; for it {len(tables)} audit tables are append-only."
                )
