"""Personal access tokens: how scripts and integrations call the API as one user."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, ScopedQuerySet, marks_scoped, organisation_scope


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class PersonalAccessTokenQuerySet(ScopedQuerySet):
    """The organisation's beheerder sees the tokens of every user of the organisation."""

    organisation_path = "user__organisation"
    view_perm = Perm.MANAGE_USERS

    @marks_scoped
    def owned_by(self, user):
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(user_id=user.pk)

    @marks_scoped
    def manageable_by(self, user):
        """Tokens ``user`` may revoke: their own, and as beheerder their organisation's."""
        if not (user and user.is_authenticated):
            return self.none()
        of_organisation = organisation_scope(user, self.organisation_path, self.view_perm)
        return self.filter(Q(user_id=user.pk) | of_organisation)

    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PersonalAccessToken(models.Model):
    """A credential a user made for themselves. Only the SHA-256 hash of the secret is kept:
    the secret is shown once, at creation, and cannot be recovered from the database."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=20, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")

    def __str__(self):
        return self.name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
