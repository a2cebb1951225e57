"""Competency passports: the coach's page to share and revoke them, and the employer's
read-only page behind the link.

The employer has no account: the link's token is the credential. The page receives only
``competenties.passport.employer_page``, the declaration's allow-list copies of what the
worker chose; it is never cached (no-store, from the security middleware), never indexed
and sends no referrer. A revoked or expired link gets a page that says so (410); an
unknown or altered one the same page as any unknown address (404).
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from bwise.access import Perm
from bwise.core.lookups import visible_or_404
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, WorkerMixin, run_service
from competenties import services_passport
from competenties.forms import PassportForm
from competenties.models import Passport
from competenties.passport import employer_page, passport_choices

NEW_LINK_SESSION_KEY = "passport_new_link"


def _passports_url(worker_pk) -> str:
    return reverse("competenties:passports", kwargs={"worker_pk": worker_pk})


class WorkerPassportsView(WorkerMixin, ServiceFormView):
    """The worker's passports with their openings, and the form to share a new one. The new
    link is shown once, right after it was made: only its hash is kept."""

    required_perm = Perm.EDIT_WORKERS
    template_name = "competenties/passports.html"
    form_class = PassportForm
    success_message = _("The passport is shared. Copy the link now: it is shown only once.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "choices": passport_choices(self.get_worker())}

    def save(self, form):
        worker = self.get_worker()
        passport, token = services_passport.passport_create(
            worker=worker,
            recipient=form.cleaned_data["recipient"],
            days=form.cleaned_data["days"],
            items=form.chosen_items(),
            by=self.request.user,
        )
        link = self.request.build_absolute_uri(
            reverse("competenties:passport_public", kwargs={"token": token})
        )
        self.request.session[NEW_LINK_SESSION_KEY] = {"passport": passport.pk, "link": link}
        return _passports_url(worker.pk)

    def get_context_data(self, **kwargs):
        worker = self.get_worker()
        return {
            **super().get_context_data(**kwargs),
            "passports": services_passport.passports_of(worker),
            "new_link": self.request.session.pop(NEW_LINK_SESSION_KEY, None),
            "max_days": services_passport.MAX_DAYS,
        }


class PassportRevokeView(PermRequiredMixin, View):
    required_perm = Perm.EDIT_WORKERS

    def post(self, request, passport_pk):
        passport = visible_or_404(Passport.objects.select_related("worker"), request.user, pk=passport_pk)
        run_service(
            request,
            lambda: services_passport.passport_revoke(passport=passport, by=request.user),
            success=_("The link is revoked: it no longer opens the passport."),
        )
        return redirect(_passports_url(passport.worker_id))


@method_decorator(never_cache, name="dispatch")
class PassportPublicView(View):
    def get(self, request, token):
        access = services_passport.passport_open(token)
        if access.shown:
            response = render(request, "competenties/passport/public.html", employer_page(access.passport))
        else:
            status = 404 if access.outcome == "unknown" else 410
            response = render(
                request,
                "competenties/passport/refused.html",
                {"outcome": access.outcome},
                status=status,
            )
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        response["Referrer-Policy"] = "no-referrer"
        return response
