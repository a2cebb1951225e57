from celery import shared_task
from django.conf import settings
from django.utils import translation

from bwise.accounts import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def send_password_reset(self, user_pks):
    # No request to take the language from: the site's, as for the reminder digest.
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return services.password_reset_send(user_pks=user_pks)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries)
