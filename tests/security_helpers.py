"""Helpers shared by the security tests."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import URLPattern, URLResolver, get_resolver

# A <script> element with inline code, which the Content Security Policy refuses. JSON data
# blocks (type="application/json", as json_script and allauth write) are data, not code.
INLINE_SCRIPT = re.compile(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', re.IGNORECASE)


def totp_code(secret: str, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset in periods: -1 is the previous code)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


def password_login(client, user, password="secret-password-1"):
    """Log in through the login form, as a browser does (the MFA stage starts here)."""
    return client.post("/accounts/login/", {"login": user.username, "password": password})


def reauthenticate(client, password="secret-password-1"):
    """Allauth asks for the password again before 2FA settings change."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:1000]
    return response


def _route_names(resolver=None, namespace=None):
    """Names of every URL pattern that takes no arguments: the pages a user can simply open."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else entry.namespace or namespace
            )
            yield from _route_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groupindex:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


PAGES = sorted(set(_route_names()))
