"""Helpers for the documents tests: pointing the Celery app at a broker, reading PDFs."""

import contextlib
import io

from pypdf import PdfReader

from bwise.celery import app

CLOSED_BROKER = "redis://127.0.0.1:6390/0"
REDIS_BROKER = "redis://127.0.0.1:6379/15"


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


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
