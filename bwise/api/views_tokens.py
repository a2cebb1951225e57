"""Pages for personal access tokens: a user's own, and the organisation's for its beheerder."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from bwise.access import Perm
from bwise.api import services
from bwise.api.forms import TokenCreateForm
from bwise.api.models import PersonalAccessToken
from bwise.audit.services import log_refused_lookup
from bwise.core.views_mixins import PermRequiredMixin, ServiceFormView, run_service


@method_decorator(reauthentication_required(allow_get=True), name="post")
class TokenListView(ServiceFormView):
    """The user's own tokens and the form to make one. Users who must still activate
    two-factor authentication never get here (the middleware sends them to set it up).
    Making a token asks for the password again if it was not given recently, so that a
    stolen session cannot turn itself into a credential that outlives it."""

    template_name = "api/token_list.html"
    form_class = TokenCreateForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "tokens": PersonalAccessToken.objects.owned_by(self.request.user),
            "max_lifetime_days": settings.API_TOKEN_LIFETIME_DAYS,
        }

    def save(self, form):
        return services.token_create(user=self.request.user, **form.cleaned_data)

    def saved(self, created):
        token, secret = created
        response = render(self.request, "api/token_created.html", {"token": token, "secret": secret})
        # The secret is on this page only: no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response


class OrganisationTokenListView(PermRequiredMixin, ListView):
    required_perm = Perm.MANAGE_USERS
    template_name = "api/organisation_token_list.html"
    paginate_by = 50

    def get_queryset(self):
        return PersonalAccessToken.objects.visible_to(self.request.user).select_related("user")


class TokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, personalaccesstoken_pk):
        manageable = PersonalAccessToken.objects.manageable_by(request.user)
        token = manageable.filter(pk=personalaccesstoken_pk).first()
        if token is None:
            # Someone else's token, or none: the same answer, and a refused row either way.
            log_refused_lookup(user=request.user, queryset=manageable, lookup={"pk": personalaccesstoken_pk})
            raise Http404
        run_service(
            request,
            lambda: services.token_revoke(by=request.user, token=token),
            success=_("The token “%(name)s” has been revoked.") % {"name": token.name},
        )
        if token.user_id == request.user.pk:
            return redirect("tokens:list")
        return redirect("tokens:organisation")


class ApiDocsView(LoginRequiredMixin, TemplateView):
    """The API's reference, rendered in the browser from the schema (Redoc, served from the
    project's own static files) for anyone logged in: what each role may call the schema
    cannot say, the API answers it."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "schema_url": reverse("api_schema") + "?format=json",
            "tokens_url": reverse("tokens:list"),
        }
