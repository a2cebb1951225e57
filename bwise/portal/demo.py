"""A sign-in card for one demo worker, so that the demo shows the worker's own pages too.

The card's code and PIN are fixed and printed by ``seed_demo``: demo data only, as the
staff's shared demo password is.
"""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bwise.portal.models import SignInCard
from bwise.portal.services import _digest
from trajects.models import Worker

DEMO_CARD_CODE = "demo-kaart-voor-de-werkpagina-s-van-b-wise"
DEMO_PIN = "2468"


def seed_demo(ctx) -> None:
    coach = ctx.users["coach"]
    worker = (
        Worker.objects.filter(organisation=coach.organisation, coach=coach, trajectories__isnull=False)
        .order_by("last_name", "first_name", "pk")
        .first()
    )
    if worker is None:
        return
    if not SignInCard.objects.filter(code_hash=_digest(DEMO_CARD_CODE), revoked_at__isnull=True).exists():
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
