from django import forms
from django.utils.translation import gettext_lazy as _

from competenties.models import Done

_PIN_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*", "class": "form-control-lg"}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code on your card"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )


class PinForm(forms.Form):
    pin = forms.CharField(label=_("Your PIN"), max_length=6, widget=forms.PasswordInput(attrs=_PIN_ATTRS))


class ChoosePinForm(forms.Form):
    pin = forms.CharField(
        label=_("Choose a PIN"),
        help_text=_("4 to 6 digits. Remember them well."),
        max_length=6,
        widget=forms.PasswordInput(attrs=_PIN_ATTRS),
    )
    repeat = forms.CharField(
        label=_("Type the same PIN again"), max_length=6, widget=forms.PasswordInput(attrs=_PIN_ATTRS)
    )


class ProgressForm(forms.Form):
    done = forms.ChoiceField(
        choices=[(Done.NOT, Done.NOT), (Done.PARTLY, Done.PARTLY), (Done.DONE, Done.DONE)]
    )
    comment = forms.CharField(
        label=_("Do you want to say something about it?"), required=False, max_length=1000
    )
