"""The worker's session in the browser: opened by a card and its PIN, ended by "Stoppen",
by a few minutes without activity (``WORKER_SESSION_IDLE_MINUTES``), or when the card is
revoked or locked. It is not Django's login: ``request.user`` stays anonymous, so no staff
page opens for it, and a staff login in the same browser ends it."""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from bwise.access import WorkerSession
from bwise.portal import services

CARD_KEY = "portal_card"
SEEN_KEY = "portal_seen"
# Between the code and the PIN: the card scanned, for a few minutes.
PENDING_KEY = "portal_pending"
PENDING_SECONDS = 300
WORKER_KEYS = (CARD_KEY, SEEN_KEY, PENDING_KEY)


def idle_seconds() -> int:
    return settings.WORKER_SESSION_IDLE_MINUTES * 60


def begin(request, session: WorkerSession) -> None:
    """A fresh session for the worker: whatever the browser's session held before (another
    worker, a coach) is gone, and the CSRF token is new."""
    request.session.flush()
    request.session[CARD_KEY] = session.card_id
    request.session[SEEN_KEY] = time.time()
    rotate_token(request)


def end(request) -> None:
    request.session.flush()


def remember_pending(request, card) -> None:
    request.session.flush()
    request.session[PENDING_KEY] = [card.pk, time.time()]


def pending_card(request):
    card_id, since = request.session.get(PENDING_KEY) or (None, 0)
    if card_id is None or time.time() - since > PENDING_SECONDS:
        return None
    return services.card_in_session(card_id)


def current(request) -> WorkerSession | None:
    """The worker's session of this request, or None (then nothing of it is left)."""
    if request.user.is_authenticated:
        # A staff login took over this browser: the worker's session does not survive it.
        for key in WORKER_KEYS:
            request.session.pop(key, None)
        return None
    card_id = request.session.get(CARD_KEY)
    if card_id is None:
        return None
    if time.time() - request.session.get(SEEN_KEY, 0) > idle_seconds():
        end(request)
        request.worker_session_expired = True
        return None
    card = services.card_in_session(card_id)
    if card is None:
        end(request)
        return None
    request.session[SEEN_KEY] = time.time()
    return WorkerSession(
        worker_id=card.worker_id, organisation_id=card.worker.organisation_id, card_id=card.pk
    )


def no_store(response):
    """Nothing of a worker's page stays in the browser's cache or its back-forward cache."""
    patch_cache_control(response, no_store=True, private=True)
    return response


def worker_page(view):
    """A page of the worker's own (the audience "worker" of ``bwise.privacy.declaration``):
    ``request.worker_session`` is the signed-in worker; without one the browser goes to the
    sign-in page, and a staff user, who is never the worker, is refused."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        session = current(request)
        if request.user.is_authenticated:
            raise PermissionDenied
        if session is None:
            url = reverse("portal:sign_in")
            if getattr(request, "worker_session_expired", False):
                url += "?ended=1"
            return no_store(redirect(url))
        request.worker_session = session
        return no_store(view(request, *args, **kwargs))

    wrapped.worker_page = True
    return wrapped
