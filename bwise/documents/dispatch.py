"""Handing jobs to the broker without ever holding up a web request.

A job row is the outbox: it is written first, published after the commit with a short
time limit, and marked ``dispatched_at`` only once the broker took it. If the broker
is down the row waits and the periodic ``dispatch_pending`` task sends it later; a
message sent twice is harmless because the task claims its job with a conditional
UPDATE.
"""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# A job claimed longer ago than this is taken to belong to a crashed worker.
LEASE = timedelta(minutes=10)
# A message accepted by the broker but not started after this long is sent again.
RESEND_AFTER = timedelta(minutes=10)
PUBLISH_TIMEOUT = 2.0


def publish(task, job) -> bool:
    """Send ``task(job.pk)``; on success record it on the job. Never raises."""
    try:
        task.apply_async(
            (job.pk,),
            retry=False,
            connect_timeout=PUBLISH_TIMEOUT,
            timeout=PUBLISH_TIMEOUT,
        )
    except Exception:  # noqa: BLE001 - any broker failure leaves the job in the outbox
        logger.warning("broker unavailable: %s %s stays in the outbox", type(job).__name__, job.pk)
        return False
    type(job).objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    return True


def pending_q(now) -> Q:
    never_sent = Q(status="queued", dispatched_at__isnull=True)
    lost = Q(status="queued", dispatched_at__lt=now - RESEND_AFTER)
    crashed = Q(status="running", started_at__lt=now - LEASE)
    return never_sent | lost | crashed
