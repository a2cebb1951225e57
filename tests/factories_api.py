import datetime
import secrets

from django.utils import timezone

from bwise.api.models import PersonalAccessToken, TokenScope
from bwise.api.services import SECRET_PREFIX, hash_secret


def make_token(user, *, scope=TokenScope.READ_WRITE, name="script", **fields):
    """A token for ``user`` as the create page makes it, without its checks; returns the
    token and the header that sends it."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    fields.setdefault("expires_at", timezone.now() + datetime.timedelta(days=90))
    token = PersonalAccessToken.objects.create(
        user=user, name=name, scope=scope, token_hash=hash_secret(secret), **fields
    )
    return token, f"Bearer {secret}"
