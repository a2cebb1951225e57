"""API authentication with personal access tokens.

A token stands for a session of its owner and never for more: the owner must still be
active, the organisation's two-factor requirement applies exactly as to a session (the
middleware that enforces it for sessions runs before DRF knows the user, so it is checked
here with the same decision), and a read-only token refuses every unsafe method whatever
the view's own permissions say.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from bwise.accounts.mfa import activation_message, must_activate_2fa
from bwise.api.models import PersonalAccessToken, TokenScope
from bwise.api.services import hash_secret

# Writing last_used_at on every call would turn each read into a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class PersonalAccessTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: give one token."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self._check(request, secret)

    def _check(self, request, secret: str):
        # A lookup by hash, before anyone is known: no user scope can apply yet.
        token = (
            PersonalAccessToken.objects.unscoped(reason="finds a token by its hash before anyone is known")
            .select_related("user__organisation")
            .filter(token_hash=hash_secret(secret))
            .first()
        )
        if token is None or not token.is_usable:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if must_activate_2fa(user):
            raise exceptions.PermissionDenied(activation_message(user))
        if token.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This token may only read."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            PersonalAccessToken.objects.unscoped(reason="the token just authenticated").filter(
                pk=token.pk
            ).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI schema."""

    target_class = PersonalAccessTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
