from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bwise.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from bwise.access import guard_uniqueness_checks
        from bwise.core import checks  # noqa: F401 (registers the system checks)

        guard_uniqueness_checks()
