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

        # Sign-in belongs to accounts, a layer below, which cannot call this app: the digest's
        # language is recorded from the first sign-in on (``preference_language_record``).
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_record_language, dispatch_uid="reminders-language-at-sign-in")


def _record_language(sender, request, user, **kwargs):
    from django.utils import translation

    from bwise.reminders.services import preference_language_record

    preference_language_record(user=user, language=translation.get_language(), first=True)
