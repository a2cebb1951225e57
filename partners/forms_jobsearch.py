"""Forms of the jobmatching toolkit, the CV and the motivation-letter assistant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bwise.core.forms import CrispyMixin, DateInput
from partners.letters import SENTENCES, sentence_start
from partners.models import (
    CV_FIELDS,
    Application,
    CurriculumVitae,
    JobSearchEntry,
    MotivationLetter,
    SearchMode,
    Vacancy,
)


class JobmatchingSetupForm(CrispyMixin, forms.Form):
    search_mode = forms.ChoiceField(
        label=_("How does the worker search?"), choices=SearchMode.choices, widget=forms.RadioSelect
    )
    vdab_job_seeker_on = forms.DateField(
        label=_('VDAB status "werkend en werkzoekend" since'),
        required=False,
        widget=DateInput(),
        help_text=_(
            'When jobmatching starts, VDAB changes the status from "werkend" to "werkend en werkzoekend".'
        ),
    )


class JobSearchEntryForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = JobSearchEntry
        fields = ["found_on", "source", "vacancy", "job_title", "employer", "outcome", "application", "notes"]
        widgets = {"found_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = Vacancy.objects.visible_to(user).select_related("partner")
        self.fields["vacancy"].help_text = _(
            "For a partner's vacancy; the job and employer then come from it."
        )
        self.fields["application"].queryset = Application.objects.of_worker(
            self.instance.worker
        ).select_related("partner")


class CvForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = CurriculumVitae
        fields = list(CV_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in CV_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].help_text = _(
            "In the worker's own words: who they are and what work they look for."
        )


class LetterStartForm(CrispyMixin, forms.Form):
    submit_label = _("Start the letter")

    vacancy = forms.ModelChoiceField(
        label=_("Partner vacancy"), queryset=Vacancy.objects.none(), required=False
    )
    job_title = forms.CharField(label=_("Job"), max_length=200, required=False)
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = Vacancy.objects.visible_to(user).select_related("partner")
        self.fields["job_title"].help_text = _("For a job found elsewhere, name the job and the employer.")


class LetterForm(CrispyMixin, forms.ModelForm):
    """Each sentence's start is its label; the worker's completion is the field."""

    class Meta:
        model = MotivationLetter
        fields = [name for name, _start in SENTENCES]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name, _start in SENTENCES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = f"{sentence_start(self.instance, name)} …"
