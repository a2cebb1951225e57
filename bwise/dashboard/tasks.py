from celery import shared_task

from bwise.accounts.models import Organisation
from trajects import summaries


@shared_task
def recompute_summaries():
    """Nightly: every organisation's summaries computed in full from its records, which puts
    right whatever a change outside the services left out (and starts the new year's counts)."""
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        summaries.recompute(organisation_id)
