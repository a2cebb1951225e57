from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an organisation's administrator, never by sign-up."""

    def is_open_for_signup(self, request):
        return False


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
