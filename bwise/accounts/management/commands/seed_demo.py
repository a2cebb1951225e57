from django.core.management.base import BaseCommand

from bwise.accounts.demo import DEFAULT_DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisations, users and workers. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_DEMO_PASSWORD, help="Password for every demo user.")

    def handle(self, *args, password, **options):
        ctx = seed_demo(password=password)
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in with one of these users:"))
        for username, _first, _last, org_index, roles in DEMO_USERS:
            organisation = ctx.organisations[org_index]
            role_names = ", ".join(str(role.label) for role in roles)
            self.stdout.write(f"  {username:<12} {role_names:<40} {organisation}")
        self.stdout.write(f"Password for all: {password}")
