"""Handing jobs to the broker without ever holding up a web request.

A job row is the outbox: it is written first, published after the commit with a short
time limit, and marked ``dispatched_at`` only once the broker took it. If the broker
is down the row waits and the periodic ``dispatch_pending`` task sends it later; a
message sent twice is harmless because the task claims its job with a conditional
UPDATE.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    """A running job not heard of for this long belongs to a crashed worker: one document
    renders in well under a second and a bulk job's chunks beat after each record."""
    return timedelta(seconds=settings.DOCUMENT_LEASE_SECONDS)


# A message accepted by the broker but not started after this long is sent again.
RESEND_AFTER = timedelta(minutes=10)
PUBLISH_TIMEOUT = 1.0


def publish(task, jobs, queue: str | None = None) -> int:
    """Send ``task(job.pk)`` for each job and mark those the broker took. Never raises.

    Our own connection with a short timeout and one attempt: Celery's default publish
    retries for as long as the broker settings allow, which a web request cannot wait for.
    """
    sent = 0
    try:
        with task.app.connection_for_write(connect_timeout=PUBLISH_TIMEOUT) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=PUBLISH_TIMEOUT
            )
            for job in jobs:
                task.apply_async((job.pk,), connection=connection, retry=False, queue=queue)
                type(job).objects.unscoped(reason="the outbox marks the jobs it sent").filter(
                    pk=job.pk
                ).update(dispatched_at=timezone.now())
                sent += 1
    except Exception:  # noqa: BLE001 - any broker failure leaves the jobs in the outbox
        logger.warning("broker unavailable: %s job(s) stay in the outbox", len(jobs) - sent)
    return sent


def unsent_q(now) -> Q:
    """Queued and never taken by the broker, or taken so long ago that the message was lost."""
    never_sent = Q(status="queued", dispatched_at__isnull=True)
    lost = Q(status="queued", dispatched_at__lt=now - RESEND_AFTER)
    return never_sent | lost


def pending_q(now) -> Q:
    crashed = Q(status="running", heartbeat_at__lt=now - lease())
    return unsent_q(now) | crashed
