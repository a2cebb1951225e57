from django import forms
from django.utils.translation import gettext_lazy as _

from bwise.core.forms import CrispyMixin, DateInput
from bwise.privacy.models import ErasureAction


class ErasureForm(CrispyMixin, forms.Form):
    submit_label = _("Carry out")
    button_class = "btn-danger"
    action = forms.ChoiceField(label=_("What to do"), choices=ErasureAction.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("For example: the worker's request of a given date.")
    )
    confirm = forms.CharField(
        label=_("Type the worker's last name to confirm"),
        max_length=100,
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.worker = worker

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.strip().casefold() != self.worker.last_name.strip().casefold():
            raise forms.ValidationError(_("This is not the worker's last name."))
        return value


class LegalHoldForm(CrispyMixin, forms.Form):
    submit_label = _("Keep the records")
    reason = forms.CharField(label=_("Legal obligation"), max_length=300)
    until = forms.DateField(
        label=_("Kept until"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: until lifted."),
    )
