from celery import shared_task
from django.conf import settings
from django.utils import translation

from bwise.accounts.models import Organisation
from bwise.dashboard.period import PeriodForm
from bwise.dashboard.selectors import federation_figures
from trajects import summaries


@shared_task
def recompute_summaries():
    """Nightly: every organisation's summaries computed in full from its records, which puts
    right whatever a change outside the services left out (and starts the new year's counts)."""
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        summaries.recompute(organisation_id)


@shared_task
def refresh_federation_figures():
    """Every few minutes: the federation's figures of the current period computed again in
    each language, before the kept copy runs out, so that platform staff never wait for them."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            federation_figures(PeriodForm({}).period(), fresh=True)
