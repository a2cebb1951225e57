"""Form pieces every app shares: the crispy submit button and the widgets for dates and
for long lists of choices."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from bwise.core.errors import TEXT_MAX_LENGTH

# Above this many choices a filter offers a search field instead of a select.
SELECT_LIMIT = 50


def options_html(options) -> str:
    """``<option>`` elements for (value, label, selected) triples, in one pass: Django's
    select renders a template per option, which costs most of a page with hundreds."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if selected else "", label) for value, label, selected in options),
    )


class DateInput(forms.DateInput):
    """The browser's date picker, which only reads ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def limit_text(fields) -> None:
    """Give every free-text field without a maximum the platform's (``TEXT_MAX_LENGTH``):
    the browser stops typing there, and the form refuses a longer paste before any service
    sees it. Model fields' own, smaller limits stay."""
    for field in fields.values():
        # Exactly CharField: subclasses may clean to something else than a string.
        if type(field) is forms.CharField and field.max_length is None:
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))


class LimitedTextMixin:
    """Every form of the platform takes this (directly or through ``CrispyMixin``):
    tests/core/test_every_error_at_once.py fails on a form without it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self.fields)

    def full_clean(self):
        # Again for the fields a form's own __init__ adds after this one's.
        limit_text(self.fields)
        super().full_clean()


class CrispyMixin(LimitedTextMixin):
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


class FastSelect(forms.Select):
    """A select whose options are rendered in one pass rather than a template each."""

    template_name = "core/widgets/select.html"

    def get_context(self, name, value, attrs):
        # The filters' selects have no option groups.
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = options_html(
            (option["value"], option["label"], option["selected"])
            for _group, options, _index in context["widget"]["optgroups"]
            for option in options
        )
        return context


class AutocompleteInput(forms.TextInput):
    """A search field for a choice among hundreds: the browser's suggestion list is filled
    by ``source`` (an endpoint answering ``<option>`` elements for the typed text) as the
    reader types, so the page carries only the chosen option. The field still receives the
    chosen record's id and validates it against its own queryset."""

    template_name = "core/widgets/autocomplete.html"

    def __init__(self, *, source: str, attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.source = source

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = []
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None and value not in (None, "") and str(value).isdigit():
            chosen = [(record.pk, str(record), True) for record in queryset.filter(pk=value)]
        context["widget"]["source"] = self.source
        context["widget"]["options_html"] = options_html(chosen)
        return context
