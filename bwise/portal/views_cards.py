"""The coach's side of the sign-in card: issue (and so replace), print, unlock, revoke, and
e-mail a sign-in link to a worker with an address."""

import segno
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from bwise.access import Perm
from bwise.core.views_mixins import WorkerMixin, run_service
from bwise.portal import services
from bwise.portal.models import SignInCard
from bwise.portal.session import no_store


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG, drawn in Python (segno) on the server: the
    printed card needs no script and no outside service."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2, title=_("QR code to sign in"))


class CardView(WorkerMixin, TemplateView):
    required_perm = Perm.EDIT_WORKERS
    template_name = "portal/card.html"

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        cards = list(SignInCard.objects.of_worker(worker)[:5])
        active = next((card for card in cards if card.revoked_at is None), None)
        return {
            **super().get_context_data(**kwargs),
            "cards": cards,
            "active": active,
            "link_status": services.link_status(active),
            "link_hours": settings.WORKER_SIGN_IN_LINK_HOURS,
        }

    def post(self, request, *args, **kwargs):
        worker = self.get_worker()
        action = request.POST.get("action")
        if action == "issue":
            done, result = run_service(request, lambda: services.card_issue(worker=worker, by=request.user))
            if done:
                card, code = result
                # Shown once, in this answer: only the code's hash is kept.
                url = request.build_absolute_uri(reverse("portal:sign_in")) + f"#{code}"
                context = {"worker": worker, "card": card, "code": code, "qr": qr_svg(url), "url": url}
                return no_store(self.response_class(request, "portal/card_print.html", context))
        elif action == "send_link":
            page_url = request.build_absolute_uri(reverse("portal:link"))
            run_service(
                request,
                lambda: services.sign_in_link_send(worker=worker, by=request.user, page_url=page_url),
                success=_("The sign-in link is sent to %(address)s.") % {"address": worker.email},
            )
        elif action in ("revoke", "unlock"):
            card_id = request.POST.get("card", "")
            card = (
                SignInCard.objects.of_worker(worker).active().filter(pk=card_id).first()
                if card_id.isdigit()
                else None
            )
            if card is not None:
                service = services.card_revoke if action == "revoke" else services.card_unlock
                message = _("The card no longer works.") if action == "revoke" else _("The card works again.")
                run_service(request, lambda: service(card=card, by=request.user), success=message)
        return redirect("cards:card", worker_pk=worker.pk)
