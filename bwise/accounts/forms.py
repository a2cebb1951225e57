from allauth.account.adapter import get_adapter
from allauth.account.forms import ResetPasswordForm, ResetPasswordKeyForm
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bwise.access import TWO_FACTOR_ROLES
from bwise.accounts import services
from bwise.accounts.models import Role, User
from bwise.core.forms import CrispyMixin, LimitedTextMixin


class UserForm(CrispyMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        if self.instance.pk:
            self.fields["roles"].initial = self.instance.roles


class InviteForm(UserForm):
    username = forms.SlugField(label=_("Username"), max_length=150)

    class Meta(UserForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]


class OrganisationSecurityForm(CrispyMixin, forms.Form):
    require_2fa_for_sensitive_roles = forms.BooleanField(
        label=_("Require two-factor authentication for the roles that reach sensitive data"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = ", ".join(str(label) for value, label in Role.choices if value in TWO_FACTOR_ROLES)
        self.fields["require_2fa_for_sensitive_roles"].help_text = _(
            "These roles see health, disability or justice data, every worker, or manage users: "
            "%(roles)s. Once this is on, they must activate an authenticator app before they can "
            "open any other page."
        ) % {"roles": roles}


class OrganisationLogoForm(CrispyMixin, forms.Form):
    # A plain file field: the service checks type, size and dimensions in one place.
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "A PNG or JPEG image of at most 1 MB and 2,000 pixels a side; "
            "printed at the top of every document."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("logo") and not data.get("remove"):
            self.add_error("logo", _("Choose an image, or tick that the logo is to be removed."))
        return data


class RequestPasswordResetForm(LimitedTextMixin, ResetPasswordForm):
    """Asking for a reset link: the same answer and the same work for every address.

    Allauth's form makes the token and sends the mail in the request, so a known address
    takes measurably longer; here the request looks up and enqueues, and the task mails."""

    def clean_email(self) -> str:
        return get_adapter().clean_email(self.cleaned_data["email"])

    def save(self, request, **kwargs) -> str:
        email = self.cleaned_data["email"]
        services.password_reset_request(email=email)
        return email


class SetPasswordFromLinkForm(LimitedTextMixin, ResetPasswordKeyForm):
    """Choosing a password through an invitation or reset link, which also proves the address."""

    def save(self):
        with transaction.atomic():
            super().save()
            services.user_address_proven(user=self.user)
