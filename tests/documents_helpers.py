"""Helpers for the documents tests: pointing the Celery app at a broker, reading PDFs."""

import contextlib
import io
import os

import kombu.pools
from pypdf import PdfReader

from bwise.celery import app

CLOSED_BROKER = "redis://127.0.0.1:6390/0"
# The Redis named by CELERY_BROKER_URL (as in CI) on a database of its own, else the local one.
_configured = os.environ.get("BWISE_TEST_REDIS_URL", "")
REDIS_BROKER = _configured if _configured.startswith("redis://") else "redis://127.0.0.1:6379/15"


@contextlib.contextmanager
def broker(url: str):
    previous = app.conf.broker_url
    app.conf.broker_url = url
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        _reset_pools()


def _reset_pools():
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools per broker URL process-wide: a closed one would be handed
    # back to the next publish (a bulk job's chunks) on the same URL.
    kombu.pools.reset()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@contextlib.contextmanager
def eager_tasks():
    """Tasks that tasks publish (a bulk job's chunks) run at once in this process."""
    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = before


def run_bulk(job_pk: int) -> None:
    from bwise.documents import tasks

    with eager_tasks():
        tasks.render_bulk.apply(args=(job_pk,))
