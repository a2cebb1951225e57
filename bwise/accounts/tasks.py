from celery import shared_task
from django.utils import translation

from bwise.accounts import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def send_password_reset(self, *, email: str, base_url: str, language: str):
    try:
        with translation.override(language):
            return services.password_reset_send(email=email, base_url=base_url)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries)
