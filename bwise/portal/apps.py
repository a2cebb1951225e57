from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "bwise.portal"
    label = "portal"
    verbose_name = _("Worker pages")

    def ready(self):
        from bwise.portal import selectors
        from trajects.selectors import register_timeline_source

        # The coach sees what the worker did on their own pages in the worker's timeline.
        register_timeline_source(selectors.plan_progress_entries)
        register_timeline_source(selectors.intake_answers_entries)
