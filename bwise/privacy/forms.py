from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from bwise.privacy.models import ErasureAction


class _Crispy:
    submit_label = _("Save")
    button_class = "btn-primary"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label, css_class=self.button_class))


class ErasureForm(_Crispy, forms.Form):
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


class LegalHoldForm(_Crispy, forms.Form):
    submit_label = _("Keep the records")
    reason = forms.CharField(label=_("Legal obligation"), max_length=300)
    until = forms.DateField(
        label=_("Kept until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: until lifted."),
    )
