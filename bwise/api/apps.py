from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "bwise.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from bwise.api import signals  # noqa: F401  (connects the revocation receivers)
