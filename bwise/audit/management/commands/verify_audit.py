from django.core.management.base import BaseCommand

from bwise.audit.chain import heads, verify


class Command(BaseCommand):
    help = "Recompute the access log's hash chain; report the first broken link and exit 1 if there is one."

    def handle(self, *args, **options):
        checked, broken = verify()
        if broken is not None:
            self.stderr.write(f"Broken link after {checked} rows: {broken}")
            raise SystemExit(1)
        self.stdout.write(f"Access log intact: {checked} rows.")
        if options["verbosity"] >= 2:
            for organisation_id, seq, last_hash in heads():
                self.stdout.write(f"organisation {organisation_id}: seq {seq} hash {last_hash}")
