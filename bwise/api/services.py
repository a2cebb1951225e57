"""Creating and revoking personal access tokens. Every path that makes a token goes through
``token_create``, which only ever makes one for the user who asks."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bwise.accounts.mfa import must_activate_2fa
from bwise.api.models import PersonalAccessToken, TokenScope
from bwise.core.errors import DomainError

# A prefix lets secret scanners (and people) recognise a leaked token.
SECRET_PREFIX = "bwise_pat_"  # noqa: S105 - a label, not a secret


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lifetime_choices() -> list[int]:
    """Lifetimes in days a user may pick; the longest is the configured maximum."""
    longest = settings.API_TOKEN_LIFETIME_DAYS
    return sorted({days for days in (7, 30) if days < longest} | {longest})


@transaction.atomic
def token_create(*, user, name: str, scope: str, lifetime_days: int | None = None):
    """Make a token for ``user`` themselves. Returns the token and its secret, which is
    not stored and must be shown to the user now."""
    if not (user.is_authenticated and user.is_active and user.organisation_id):
        raise DomainError(_("Only users of an organisation can create API tokens."), code="no_organisation")
    if must_activate_2fa(user):
        raise DomainError(
            _("Activate two-factor authentication before you create an API token."), code="needs_2fa"
        )
    if scope not in TokenScope.values:
        raise DomainError(
            _("Choose whether the token may only read or also write."), field="scope", code="scope"
        )
    days = lifetime_days or settings.API_TOKEN_LIFETIME_DAYS
    if days not in lifetime_choices():
        raise DomainError(_("Choose one of the offered lifetimes."), field="lifetime_days", code="lifetime")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip(),
        scope=scope,
        token_hash=hash_secret(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, secret


def token_revoke(*, by, token: PersonalAccessToken) -> PersonalAccessToken:
    """Revoke ``token``; ``by`` is its owner or a beheerder of the owner's organisation."""
    if not PersonalAccessToken.objects.manageable_by(by).filter(pk=token.pk).exists():
        raise DomainError(_("You cannot revoke this token."), code="not_revocable")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def tokens_revoke_all(*, user, by=None) -> int:
    """Revoke every token of ``user``: after a password change or reset, or deactivation."""
    tokens = PersonalAccessToken.objects.unscoped(reason="a password change or deactivation revokes them all")
    return tokens.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
