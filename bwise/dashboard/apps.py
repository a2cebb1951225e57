from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "bwise.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        # Each app adds its figures in `<app>/figures.py` (see bwise.dashboard.registry).
        autodiscover_modules("figures")
        from bwise.dashboard import overview  # noqa: F401 - registers the figures at a glance
