import contextlib

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from bwise.access import scoping_enforced

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Bootstrap components and server-rendered SVG charts set style attributes.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict Content Security Policy everywhere, and no caching of pages.

    Pages show personal data; a shared tablet on the shop floor must not keep them
    in its cache. Static files never reach this middleware (WhiteNoise answers first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ScopingMiddleware:
    """Every request runs with scoping enforced: a query on an organisation's data that
    was not read through ``visible_to(user)`` or a named ``unscoped(reason=...)`` raises
    (``bwise.access.UnscopedQueryError``) instead of answering with other people's rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scoping_enforced():
            return self.get_response(request)


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """The language the user chose (the language switch's cookie), otherwise Dutch; for the
    API, without the cookie, the client's ``Accept-Language``.

    Django's own middleware would follow the browser's Accept-Language, so a coach whose
    browser is set to English would meet an English product she never asked for. The
    product speaks Dutch first; English is one click away in the menu.
    """

    def process_request(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not chosen and request.path.startswith("/api/"):
            # A program has no language switch: it asks for its language as HTTP has it.
            chosen = translation.get_language_from_request(request)
        if chosen:
            with contextlib.suppress(LookupError):
                language = translation.get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
