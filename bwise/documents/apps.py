from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "bwise.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # Each app declares its printable documents in `<app>/documents.py`.
        autodiscover_modules("documents")
