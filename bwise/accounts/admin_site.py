"""The platform admin (``/platform/``) without a login of its own.

Django's admin has a password-only login form. Platform staff sign in through the
product's login instead, which asks for the authenticator code, and the admin opens only
for a session in which that code was given.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from bwise.accounts.mfa import has_totp


def session_passed_totp(request) -> bool:
    """Whether the signed-in user gave an authenticator or recovery code in this session."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class PlatformAdminSite(admin.AdminSite):
    site_header = site_title = "B-WISE Doorstroom platform"

    def has_permission(self, request):
        return super().has_permission(request) and session_passed_totp(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
        if self.has_permission(request):
            return redirect(next_url)
        if not (user.is_active and user.is_staff):
            # Sending them to the login page would bounce straight back here.
            raise PermissionDenied
        if not has_totp(user):
            messages.warning(
                request, _("Activate two-factor authentication to open the platform administration.")
            )
            return redirect("mfa_activate_totp")
        # Signed in before the code was asked (or just activated it): ask for a code now.
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
