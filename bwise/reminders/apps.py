from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "bwise.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # Each app declares what it reminds people of in `<app>/scanners.py`.
        autodiscover_modules("scanners")

        from bwise.core.navigation import register_badge
        from bwise.reminders.selectors import unread_count

        register_badge("reminders:inbox", unread_count)
