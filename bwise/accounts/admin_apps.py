from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Django's admin app with the platform site (kept apart: this module loads before the models)."""

    default_site = "bwise.accounts.admin_site.PlatformAdminSite"
