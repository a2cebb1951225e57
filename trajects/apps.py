from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectsConfig(AppConfig):
    name = "trajects"
    verbose_name = _("Workers and trajectories")

    def ready(self):
        # The privacy layer reaches the workers through this registration, not by import.
        from bwise.privacy import subjects
        from trajects.importing import discard_uploads_of
        from trajects.retention import workers_closed_before

        subjects.register(
            subjects.DataSubjects(closed_before=workers_closed_before, discard_uploads=discard_uploads_of)
        )
