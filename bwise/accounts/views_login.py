from django.http import Http404


def email_addresses(request):
    """Allauth's page for managing one's own e-mail addresses, closed.

    An organisation's administrator keeps each user's address; merely opening allauth's page
    records it as unverified, and allauth then refuses an authenticator app.
    """
    raise Http404
