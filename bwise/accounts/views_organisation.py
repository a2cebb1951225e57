from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm
from bwise.accounts import services
from bwise.accounts.forms import OrganisationLogoForm
from bwise.core.pdf import logo_data_uri
from bwise.core.views_mixins import ServiceFormView


class OrganisationLogoView(ServiceFormView):
    required_perm = Perm.MANAGE_USERS
    template_name = "accounts/organisation_logo.html"
    form_class = OrganisationLogoForm
    success_message = _("The logo has been saved.")

    def get_context_data(self, **kwargs):
        # Stored privately like the documents it is printed on: shown inline, never by URL.
        return {**super().get_context_data(**kwargs), "logo": logo_data_uri(self.request.user.organisation)}

    def save(self, form):
        upload = None if form.cleaned_data["remove"] else form.cleaned_data["logo"]
        services.organisation_set_logo(
            organisation=self.request.user.organisation, upload=upload, by=self.request.user
        )
        return reverse("accounts:organisation_logo")
