"""Pages that work without network: the installable app, the device key, and the sync base.

The browser half is ``static/js/offline_queue.js`` (the queue on the device),
``static/js/offline_form.js`` (a form that submits into it) and ``static/js/service_worker.js``
(the pages and their files kept for offline use). A page takes part with ``OfflinePageMixin``,
a form marked ``data-offline="<queue>"``, the includes ``offline_head.html`` and
``offline_status.html`` and the script ``offline_form.js``; its writes reach the server through
a subclass of ``OfflineSyncView``, one service call per queued item.

What the device keeps and why it is safe enough is in docs/operations.md ("Offline pages").
"""

import base64
import datetime
import hashlib
import json
import secrets
from functools import cache, wraps

from django import forms
from django.contrib.staticfiles import finders
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe

from bwise.access import Perm, has_perm
from bwise.core.errors import DomainError
from bwise.core.forms import LimitedTextMixin

# The device's queue key lives in the server session: a new one with every sign-in, gone at
# sign-out or expiry, so a queue copied off a signed-out tablet cannot be read.
SESSION_KEY = "offline_queue_key"
OFFLINE_PAGE_HEADER = "X-Offline-Page"
# A device sends its queue in batches; one request never holds more than this.
MAX_ITEMS = 50
THEME_COLOUR = "#1d4f5c"
# How far ahead of the server's clock a device may date what it wrote before the services
# refuse it as dated in the future.
CLOCK_SLACK = datetime.timedelta(minutes=5)


@cache
def service_worker_source() -> bytes:
    with open(finders.find("js/service_worker.js"), "rb") as source:
        return source.read()


@require_safe
def service_worker(request):
    """The service worker, from the project's static files but under the site's root, so that
    its scope covers every page (a script under /static/ would only control /static/)."""
    response = HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def manifest(request):
    """The web app manifest: the shop-floor observation page, installable on a tablet."""
    body = {
        "id": "/",
        "name": "B-WISE Doorstroom",
        "short_name": "B-WISE",
        "description": _("Observations on the shop floor, also without network."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("competenties:observation_quick"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(f"icons/app-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")


def _refusal(code, message, status):
    return JsonResponse({"code": code, "message": message}, status=status)


def _session_expired():
    message = _("Your session has ended: sign in again to send what is waiting.")
    return _refusal("session_expired", message, 401)


@require_safe
def device_session(request):
    """The key the device encrypts its queue with, and a fresh CSRF token for the sync.

    The device asks whenever it is online; a changed ``key_id`` tells it to re-encrypt what
    waits under the new key (the session was renewed by signing in again)."""
    if not request.user.is_authenticated:
        return _session_expired()
    key = request.session.get(SESSION_KEY)
    if key is None:
        key = request.session[SESSION_KEY] = base64.b64encode(secrets.token_bytes(32)).decode()
    return JsonResponse(
        {
            "user": request.user.pk,
            "key": key,
            "key_id": hashlib.sha256(key.encode()).hexdigest()[:16],
            "csrf": get_token(request),
        }
    )


def clearing_device(logout_view):
    """Sign-out also wipes what this site kept on the device: the queue, its key, the cached
    pages and the service worker (``Clear-Site-Data``)."""

    @wraps(logout_view)
    def wrapped(request, *args, **kwargs):
        response = logout_view(request, *args, **kwargs)
        if request.method == "POST" and not request.user.is_authenticated:
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return wrapped


class OfflinePageMixin:
    """A page the service worker keeps for offline use (it caches only pages that say so)."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response[OFFLINE_PAGE_HEADER] = "1"
        return response


class QueuedItemForm(LimitedTextMixin, forms.Form):
    """What every queued item carries besides the form's own fields."""

    client_id = forms.UUIDField()
    written_at = forms.DateTimeField()


class OfflineSyncView(View):
    """Receives a device's queue, ``{"items": [...]}``, and answers each item on its own.

    Subclasses name the ``item_form`` (a ``QueuedItemForm``) that reads one item and
    ``save_item(data)``, which calls the service and returns the confirmation to show. An item
    is ``stored`` (also when it was stored before: the device may delete it) or ``refused``
    with the ``DomainError``'s code and message (the device keeps it for the user to copy).
    A refusal whose code is one of ``warning_codes`` is answered ``warning``: the service asks
    the writer to reconsider, and the device offers to send the item again with
    ``save_as_written`` set, the field the item form then reads.
    """

    http_method_names = ["post"]
    required_perm: Perm
    item_form: type[QueuedItemForm]
    warning_codes: frozenset[str] = frozenset()

    def save_item(self, data) -> str:
        raise NotImplementedError

    def check_target(self) -> None:
        """Fetch the record the URL names, if any, raising Http404 when the user may not see it."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _session_expired()
        if not has_perm(request.user, self.required_perm):
            return _refusal("not_allowed", _("You are not allowed to do this."), 403)
        try:
            self.check_target()
        except Http404:
            # The record the page is for left the user's scope while the items waited: the
            # device shows every item refused, with this reason, for the user to copy.
            return _refusal("not_visible", _("This is no longer yours to change."), 404)
        try:
            items = json.loads(request.body)["items"]
        except (ValueError, KeyError, TypeError):
            items = None
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            return _refusal("bad_request", _("The device sent something unreadable."), 400)
        return JsonResponse({"results": [self._answer(item) for item in items]})

    def _answer(self, item) -> dict:
        form = self.item_form(item if isinstance(item, dict) else {})
        answer = {"client_id": str(item.get("client_id", "")) if isinstance(item, dict) else ""}
        if not form.is_valid():
            errors = next(iter(form.errors.values()))
            return {**answer, "status": "refused", "code": "invalid", "message": errors[0]}
        try:
            with transaction.atomic():
                message = self.save_item(form.cleaned_data)
        except DomainError as error:
            verdict = "warning" if error.code in self.warning_codes else "refused"
            return {**answer, "status": verdict, "code": error.code, "message": str(error.message)}
        return {**answer, "status": "stored", "message": str(message)}
