from django.conf import settings
from django.core.management.base import BaseCommand

from bwise.privacy.services import retention_apply


class Command(BaseCommand):
    help = (
        "Pseudonymise workers whose last trajectory closed more than RETENTION_YEARS_AFTER_CLOSE years ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None, help="Override RETENTION_YEARS_AFTER_CLOSE.")

    def handle(self, *args, years=None, **options):
        if years is not None and years < 1:
            self.stderr.write("--years must be at least 1")
            raise SystemExit(2)
        for run in retention_apply(years=years or settings.RETENTION_YEARS_AFTER_CLOSE):
            self.stdout.write(
                f"organisation {run.organisation_id}: {run.pseudonymised} pseudonymised, "
                f"{run.held} kept for a legal hold (closed before {run.closed_before:%Y-%m-%d})"
            )
