from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "bwise.privacy"
    label = "privacy"
    verbose_name = "Privacy"
