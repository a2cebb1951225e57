from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm
from bwise.accounts import services
from bwise.accounts.forms import OrganisationSecurityForm
from bwise.core.views_mixins import ServiceFormView


class OrganisationSecurityView(ServiceFormView):
    required_perm = Perm.MANAGE_USERS
    template_name = "accounts/organisation_security.html"
    form_class = OrganisationSecurityForm
    success_message = _("The security settings have been saved.")

    def get_initial(self):
        organisation = self.request.user.organisation
        return {"require_2fa_for_sensitive_roles": organisation.require_2fa_for_sensitive_roles}

    def save(self, form):
        services.organisation_update_security(
            organisation=self.request.user.organisation,
            require_2fa_for_sensitive_roles=form.cleaned_data["require_2fa_for_sensitive_roles"],
            by=self.request.user,
        )
        return reverse("accounts:organisation_security")
