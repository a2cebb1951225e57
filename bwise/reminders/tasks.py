from celery import shared_task

from bwise.reminders import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def scan_reminders(self):
    # Safe to run twice at once or to redeliver: each occurrence is inserted once.
    return services.reminders_scan()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def send_digests(self):
    try:
        return services.digests_send()
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries)
