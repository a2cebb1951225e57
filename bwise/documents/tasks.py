"""Celery tasks: primary keys in, a service call, retries with backoff.

``acks_late`` with ``reject_on_worker_lost``: a worker that dies mid-render leaves the
message on the broker, and the next delivery claims the job again once its lease ran
out; a duplicate delivery of a finished job does nothing.
"""

from celery import shared_task

from bwise.documents import services

RETRY_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": 3,
}


def _backoff(retries: int) -> int:
    return min(300, 10 * 2**retries)


def _with_retries(task, service, job_pk: int, **kwargs):
    """``service`` once, told whether this is the last try (then it fails the job itself on
    an error); an error before the last try is retried with backoff."""
    final = task.request.retries >= task.max_retries
    try:
        return service(job_pk=job_pk, final=final, **kwargs)
    except Exception as exc:
        if final:
            return job_pk
        raise task.retry(exc=exc, countdown=_backoff(task.request.retries)) from exc


# Time limits (enforced by the prefork pool of production workers) stop a pathological
# document from holding a worker forever; the soft limit raises inside the render, which
# requeues or fails the job like any other error.
@shared_task(**RETRY_OPTIONS, soft_time_limit=60, time_limit=90)
def render_document(self, job_pk: int):
    return _with_retries(self, services.document_render, job_pk)


@shared_task(**RETRY_OPTIONS, soft_time_limit=60, time_limit=90)
def render_bulk(self, job_pk: int):
    return _with_retries(self, services.bulk_render, job_pk)


# A chunk is a few dozen documents; the last one to finish sends the join.
@shared_task(**RETRY_OPTIONS, soft_time_limit=15 * 60, time_limit=15 * 60 + 60)
def render_bulk_chunk(self, job_pk: int, attempt: int = 0, index: int = 0):
    # Numbers, not required names: a task takes primary keys, flags and numbers only.
    return _with_retries(self, services.bulk_render_chunk, job_pk, attempt=attempt, index=index)


@shared_task(acks_late=True)
def dispatch_pending():
    return services.dispatch_pending()


@shared_task(acks_late=True)
def purge_documents():
    return services.documents_purge()


@shared_task(**RETRY_OPTIONS, soft_time_limit=15 * 60, time_limit=15 * 60 + 60)
def join_bulk_parts(self, job_pk: int, attempt: int = 0):
    return _with_retries(self, services.bulk_join, job_pk, attempt=attempt)
