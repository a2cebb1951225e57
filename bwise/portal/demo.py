"""A sign-in card for one demo worker, so that the demo shows the worker's own pages too.

The card's code and PIN are fixed and printed by ``seed_demo``: demo data only, as the
staff's shared demo password is.
"""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bwise.portal.models import SignInCard
from bwise.portal.services import _digest
from competenties.models import Plan
from competenties.plan_state import RUNNING_STATUSES
from trajects.models import Worker

DEMO_CARD_CODE = "demo-kaart-voor-de-werkpagina-s-van-b-wise"
DEMO_PIN = "2468"


def seed_demo(ctx) -> None:
    coach = ctx.users["coach"]
    # A worker with a plan running, so that every page has something to show.
    running = Plan.objects.filter(status__in=RUNNING_STATUSES).values("worker_id")
    worker = (
        Worker.objects.filter(organisation=coach.organisation, coach=coach, pk__in=running)
        .order_by("last_name", "first_name", "pk")
        .first()
    )
    if worker is None:
        return
    demo_cards = SignInCard.objects.filter(code_hash=_digest(DEMO_CARD_CODE))
    if not demo_cards.filter(worker=worker, revoked_at__isnull=True, locked_at__isnull=True).exists():
        # One card answers to the demo code: an older one (another worker's) goes.
        demo_cards.delete()
        SignInCard.objects.of_worker(worker).active().update(revoked_at=timezone.now())
        SignInCard.objects.create(
            worker=worker,
            code_hash=_digest(DEMO_CARD_CODE),
            pin_hash=make_password(DEMO_PIN),
            issued_by=coach,
        )
    ctx.log.append(
        f"The worker's own pages: /me/sign-in/#{DEMO_CARD_CODE} signs in as {worker.first_name} "
        f"{worker.last_name} (PIN {DEMO_PIN})."
    )
