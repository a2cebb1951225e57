from django.core.management.base import BaseCommand, CommandError

from bwise.audit import roles


class Command(BaseCommand):
    help = (
        "Create the application's database role (the user of DATABASE_URL) if it is missing and grant it "
        "what the application needs: DML on ordinary tables, only SELECT and INSERT on the audit tables. "
        "Connects as MIGRATE_DATABASE_URL, the owner of the tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--role", default=None, help="The application role (default: the user of DATABASE_URL)."
        )

    def handle(self, *args, database="default", role=None, **options):
        role = role or roles.application_role(database)
        if not role:
            raise CommandError(
                "Set MIGRATE_DATABASE_URL to the owner of the tables and DATABASE_URL to the application "
                "role (another user), or name the application role with --role."
            )
        password = roles.application_password(database)  # read before switching to the owner
        with roles.as_owner(database) as connection:
            created = roles.ensure_role(connection, role, password)
            try:
                tables = roles.apply(connection, role)
            except roles.RoleError as err:
                raise CommandError(str(err)) from err
        self.stdout.write(
            f"{'Created' if created else 'Updated'} role {role}: SELECT and INSERT only on {len(tables)} "
            "audit tables, SELECT, INSERT, UPDATE and DELETE on the others."
        )
