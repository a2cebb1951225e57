"""Form pieces every app shares: the crispy submit button and the date field's widget."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker, which only reads ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CrispyMixin:
    """A form rendered by crispy-forms with one submit button.

    ``button_class`` is added to crispy's own button classes (``btn-danger`` for an
    irreversible action); a caller may pass ``submit_label`` for one use of the form.
    """

    submit_label = _("Save")
    button_class: str | None = None

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", submit_label or self.submit_label, css_class=self.button_class)
        )
