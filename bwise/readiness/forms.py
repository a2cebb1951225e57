from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import colleagues_of
from bwise.core.forms import DateInput, LimitedTextMixin
from bwise.readiness.models import ActionItem, ActionStatus, Score
from bwise.readiness.statements import STATEMENTS


class SelfAssessmentForm(LimitedTextMixin, forms.Form):
    """Agree or not, and a note, per statement."""

    assessed_on = forms.DateField(label=_("Assessed on"), initial=timezone.localdate, widget=DateInput())
    note = forms.CharField(label=_("General note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in STATEMENTS:
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=text, choices=Score.choices, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1})
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def answers(self) -> dict[str, tuple[int, str]]:
        return {
            key: (self.cleaned_data[f"score_{key}"], self.cleaned_data[f"note_{key}"])
            for key, _t in STATEMENTS
        }


class ActionItemForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "statement", "owner", "deadline", "status", "note"]
        widgets = {
            "deadline": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = colleagues_of(user)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ActionStatusForm(LimitedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
