from allauth.account.adapter import DefaultAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an organisation's administrator, never by sign-up."""

    def is_open_for_signup(self, request):
        return False
