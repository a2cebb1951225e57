"""A changed or reset password, or a deactivated account, revokes the user's API tokens.

Receivers on the user model rather than on allauth's signals, so that every path counts:
the account pages, a reset link, the organisation's user management, the platform admin
and ``manage.py changepassword``.
"""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from bwise.api.services import tokens_revoke_all

WATCHED_FIELDS = {"password", "is_active"}


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_credential_change(sender, instance, update_fields=None, **kwargs):
    instance._revoke_api_tokens = False
    if instance.pk is None or (update_fields is not None and not WATCHED_FIELDS & set(update_fields)):
        return
    before = sender._base_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    instance._revoke_api_tokens = before["password"] != instance.password or (
        before["is_active"] and not instance.is_active
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_tokens_after_credential_change(sender, instance, created, **kwargs):
    if getattr(instance, "_revoke_api_tokens", False):
        tokens_revoke_all(user=instance)
        instance._revoke_api_tokens = False
