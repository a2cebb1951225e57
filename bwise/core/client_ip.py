"""The address of the browser behind our own proxies: one answer for lockout and rate limits.

django-axes (login lockout) and allauth (rate limits) both ask for it; both are pointed here so
that they cannot disagree. Only the last ``PROXY_COUNT`` entries of X-Forwarded-For were written
by proxies we run; anything to their left was sent by the client and can be anything.
"""

import ipaddress

from django.conf import settings


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR"))
    hops = settings.PROXY_COUNT
    if not hops:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        # The request did not come through every proxy (someone reached the app directly):
        # the connection's own address is the only one nobody could have made up.
        return remote
    return _address(forwarded[-hops]) or remote
