from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from bwise.access import Perm
from bwise.accounts import services
from bwise.accounts.forms import OrganisationSecurityForm
from bwise.core.errors import DomainError
from bwise.core.views_mixins import PermRequiredMixin, apply_domain_error


class OrganisationSecurityView(PermRequiredMixin, FormView):
    required_perm = Perm.MANAGE_USERS
    template_name = "accounts/organisation_security.html"
    form_class = OrganisationSecurityForm

    def get_initial(self):
        organisation = self.request.user.organisation
        return {"require_2fa_for_sensitive_roles": organisation.require_2fa_for_sensitive_roles}

    def form_valid(self, form):
        try:
            services.organisation_update_security(
                organisation=self.request.user.organisation,
                require_2fa_for_sensitive_roles=form.cleaned_data["require_2fa_for_sensitive_roles"],
                by=self.request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The security settings have been saved."))
        return redirect("accounts:organisation_security")
