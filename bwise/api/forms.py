from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bwise.api.models import TokenScope
from bwise.api.services import lifetime_choices
from bwise.core.forms import CrispyMixin


class TokenCreateForm(CrispyMixin, forms.Form):
    submit_label = _("Create token")

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or application that uses it."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect
    )
    lifetime_days = forms.TypedChoiceField(label=_("Valid for"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = lifetime_choices()
        self.fields["lifetime_days"].choices = [
            (day, ngettext("%(days)d day", "%(days)d days", day) % {"days": day}) for day in days
        ]
        self.fields["lifetime_days"].initial = days[-1]
