from celery import shared_task

from trajects import importing


@shared_task
def purge_import_uploads():
    """Hourly: delete import uploads that nobody confirmed within a day (they hold personal data)."""
    return importing.purge_stale_uploads()


@shared_task
def dispatch_pending_imports():
    """Every minute: send the imports that waited for the broker."""
    return importing.import_jobs_dispatch()


@shared_task
def import_workers(job_pk: int):
    """A large worker import (``trajects.importing.import_job_run``)."""
    importing.import_job_run(job_pk=job_pk)
