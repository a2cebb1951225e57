from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetentiesConfig(AppConfig):
    name = "competenties"
    verbose_name = _("Competencies and plans")

    def ready(self):
        from competenties.summaries import register

        register()
