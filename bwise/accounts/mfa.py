"""Two-factor authentication: when an organisation requires it, and enforcing that.

Allauth's mfa app provides the pages (activate an authenticator app, recovery
codes, the second login step); this module decides who must have one.
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from bwise.access import requires_two_factor

# Pages a user who still has to activate two-factor authentication may open:
# the set-up pages themselves, re-entering the password they ask for, logging out,
# the language switch and the health probe. Static files never reach middleware.
ALWAYS_ALLOWED = frozenset({"account_logout", "account_reauthenticate", "set_language", "health"})


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def is_platform_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def must_activate_2fa(user) -> bool:
    """True for a user who needs an authenticator and has none yet: platform staff always
    (they reach the federation view and the platform administration across organisations),
    and a user whose roles reach special-category data (``bwise.access.TWO_FACTOR_ROLES``)
    in an organisation that requires 2FA."""
    if is_platform_staff(user):
        return not has_totp(user)
    if not requires_two_factor(user):
        return False
    # base.html shows the organisation on every page, so this fetch is reused there.
    if not user.organisation.require_2fa_for_sensitive_roles:
        return False
    return not has_totp(user)


def activation_message(user) -> str:
    """Why ``must_activate_2fa(user)`` holds, for the set-up page and refused API calls."""
    if is_platform_staff(user):
        return _("Platform staff need two-factor authentication. Activate an authenticator app to continue.")
    return _(
        "Your organisation requires two-factor authentication for your role. "
        "Activate an authenticator app to continue."
    )


class RequireTwoFactorMiddleware:
    """Send users who must activate two-factor authentication to its set-up page first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.url_name if match else None
        if name and (name in ALWAYS_ALLOWED or name.startswith("mfa_")):
            return None
        if not must_activate_2fa(request.user):
            return None
        explanation = activation_message(request.user)
        setup_url = reverse("mfa_activate_totp")
        if request.path.startswith("/api/"):
            # The API's problem shape (bwise.api.exceptions), which this layer may not import.
            body = {
                "type": "urn:bwise:problem:needs_2fa",
                "title": str(_("Not allowed")),
                "status": 403,
                "detail": str(explanation),
                "code": "needs_2fa",
                "field": None,
                "setup_url": setup_url,
            }
            return JsonResponse(body, status=403, content_type="application/problem+json")
        messages.warning(request, explanation)
        if getattr(request, "htmx", False):
            # A plain redirect would swap the set-up page into a fragment of the page.
            return HttpResponseClientRedirect(setup_url)
        return redirect(setup_url)
