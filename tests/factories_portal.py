"""Sign-in cards, and a worker signed in on a test client."""

import time

from django.contrib.auth.hashers import make_password

from bwise.portal import services
from bwise.portal import session as worker_session
from bwise.portal.models import SignInCard

PIN = "2468"


def make_card(worker, *, pin: str | None = PIN, code: str | None = None) -> tuple[SignInCard, str]:
    """An active card of ``worker`` (with ``pin`` chosen, or none), and its code."""
    code = code or f"code-{worker.pk}-{time.monotonic_ns()}"
    card = SignInCard.objects.create(
        worker=worker, code_hash=services._digest(code), pin_hash=make_password(pin) if pin else ""
    )
    return card, code


def sign_in_worker(client, worker, card: SignInCard | None = None) -> SignInCard:
    """``client`` as the worker signed in with their card (staff login, if any, is gone)."""
    client.logout()
    card = (
        card
        or SignInCard.objects.unscoped(reason="test").filter(worker=worker, revoked_at__isnull=True).first()
        or make_card(worker)[0]
    )
    session = client.session
    session[worker_session.CARD_KEY] = card.pk
    session[worker_session.SEEN_KEY] = time.time()
    session.save()
    return card


def sign_in_in_browser(page, code: str, pin: str = PIN) -> None:
    """A browser page signed in as a worker does it: the card's address, then the PIN."""
    page.goto(f"/me/sign-in/#{code}")
    page.wait_for_url("**/me/pin/")
    page.fill("input[name=pin]", pin)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")
