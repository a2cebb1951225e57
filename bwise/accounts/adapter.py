from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied

from bwise.accounts import lockout
from bwise.core.client_ip import client_ip


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an organisation's administrator, never by sign-up."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request) -> str:
        # The same address axes locks on, so rate limits and lockout agree behind the proxy.
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request, **credentials):
        """Before a password is checked: allauth's per-address limit and our per-username delay.

        Allauth's own version also refuses a username that failed too often from any address,
        the right password included; that would let anyone lock any user out. Its usage is kept
        under allauth's attribute so that a successful login still rolls it back.
        """
        lockout.slow_down(request, credentials)
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_password_failed"
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")


class ResetLinkTokenGenerator(PasswordResetTokenGenerator):
    """The token in invitation and password-reset links, without a side effect of allauth's.

    Allauth's generator records the user's address as an *unverified* e-mail address each time
    a link is made or checked, and allauth refuses an authenticator app while any address is
    unverified: an anonymous reset request (or the invitation itself) would keep the user from
    ever activating two-factor authentication. The hash is the same as allauth's, so links sent
    before this generator was installed stay valid, and a link dies when an address changes.
    """

    def _make_hash_value(self, user, timestamp):
        from allauth.account.models import EmailAddress

        emails = set(EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True))
        if user.email:
            emails.add(user.email)
        return super()._make_hash_value(user, timestamp) + "|".join(sorted(emails))
