from celery import shared_task

from bwise.privacy import services


@shared_task
def apply_retention():
    """Nightly: pseudonymise workers past the retention period (one report row per organisation).

    Running twice (two beat schedulers, a redelivery) is harmless: pseudonymised workers are
    recognised by their ``Erasure`` row and skipped."""
    return [run.pk for run in services.retention_apply()]
