from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, has_perm
from bwise.core.forms import CrispyMixin, DateInput
from competenties.models import JobProfile, JobProfileKind, Level
from partners.matching import routes_open_to
from partners.models import (
    Application,
    AttendanceStatus,
    Commitment,
    EvaluationKind,
    FollowUp,
    Hire,
    Partner,
    PartnerActivity,
    PartnerContact,
    PartnerEvent,
    Stage,
    StageKind,
    TrainingSession,
    Vacancy,
    Visit,
)
from partners.models.hires import FollowUpWith
from partners.models.register import AgreedRole
from partners.models.stages import EvaluationMethod
from trajects.models import C4_REASON_NEC, Worker


class PartnerForm(CrispyMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "region",
            "address",
            "website",
            "kind_of_work",
            "pace",
            "colleagues",
            "working_conditions",
            "wage",
            "location_and_accessibility",
            "reachable_by_public_transport",
            "csr_notes",
            "hr_notes",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "address",
                "kind_of_work",
                "colleagues",
                "working_conditions",
                "location_and_accessibility",
                "csr_notes",
                "hr_notes",
            )
        }


class PartnerContactForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "role", "email", "phone"]


class CommitmentForm(CrispyMixin, forms.ModelForm):
    agreed_roles = forms.MultipleChoiceField(
        label=_("Agreed roles"), choices=AgreedRole.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Commitment
        fields = ["signed_on", "agreed_roles", "notes"]
        widgets = {"signed_on": DateInput()}


class PartnerActivityForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = PartnerActivity
        fields = ["kind", "on", "summary"]
        widgets = {"on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


class VisitForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["planned_on", "done_on", "preparation_checklist", "notes", "follow_up"]
        widgets = {
            "planned_on": DateInput(),
            "done_on": DateInput(),
            "preparation_checklist": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }


def _workers(user):
    return Worker.objects.visible_to(user)


class ParticipantsMixin:
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = forms.ModelMultipleChoiceField(
            label=_("Participants"), queryset=_workers(user), required=False
        )
        if self.instance.pk:
            self.fields["participants"].initial = [
                p.worker_id for p in self.instance.participants.filter(worker__in=_workers(user))
            ]
        if "partner" in self.fields:
            self.fields["partner"].queryset = Partner.objects.visible_to(user)


class PartnerEventForm(ParticipantsMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = PartnerEvent
        fields = ["kind", "title", "held_on", "partner", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class TrainingSessionForm(ParticipantsMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["topic", "format", "provider", "partner", "held_on", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class VacancyForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = [
            "title",
            "description",
            "job_profile",
            "route",
            "needs_own_transport",
            "status",
            "opened_on",
        ]
        widgets = {"opened_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_profile"].queryset = JobProfile.objects.visible_to(user).filter(
            kind=JobProfileKind.PARTNER_VACANCY
        )
        help_text = _("The job profiles for partner vacancies of your organisation.")
        if has_perm(user, Perm.MANAGE_FRAMEWORKS):
            # A new tab, so that what is typed here stays while the profile is made.
            new = f"{reverse('competenties:jobprofile_create')}?kind={JobProfileKind.PARTNER_VACANCY}"
            help_text = format_html(
                '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
                help_text,
                new,
                _("Make a new job profile (opens in a new tab)"),
            )
        self.fields["job_profile"].help_text = help_text


class ApplicationForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["kind", "partner", "vacancy", "sent_on", "interview_on", "result", "notes"]
        widgets = {
            "sent_on": DateInput(),
            "interview_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.visible_to(user)
        self.fields["vacancy"].queryset = Vacancy.objects.visible_to(user).select_related("partner")


class StageForm(CrispyMixin, forms.ModelForm):
    team = forms.ModelMultipleChoiceField(
        label=_("Team of workers (enclave)"), queryset=Worker.objects.none(), required=False
    )

    class Meta:
        model = Stage
        fields = [
            "kind",
            "partner",
            "post",
            "goal",
            "mentor_name",
            "mentor_email",
            "mentor_phone",
            "start_date",
            "end_date",
            "day_unit",
            "day_count",
            "agreement_signed_on",
            "programme",
            "client_contract",
            "team",
            "union_informed_on",
            "works_council_informed_on",
            "prevention_committee_informed_on",
            "contract_in_prospect",
        ]
        widgets = {
            **dict.fromkeys(
                (
                    "start_date",
                    "end_date",
                    "agreement_signed_on",
                    "union_informed_on",
                    "works_council_informed_on",
                    "prevention_committee_informed_on",
                ),
                DateInput(),
            ),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "programme": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.visible_to(user)
        self.fields["team"].queryset = Worker.objects.visible_to(user)
        # Only the kinds the worker's statute allows are offered (the service refuses the others).
        allowed = routes_open_to(self.instance.worker.statuut, StageKind.values)
        self.fields["kind"].choices = [
            (v, label) for v, label in self.fields["kind"].choices if v in ("", *allowed)
        ]
        if self.instance.pk:
            self.fields["team"].initial = list(self.instance.team.values_list("pk", flat=True))


class AttendanceForm(CrispyMixin, forms.Form):
    submit_label = _("Record attendance")
    day = forms.DateField(label=_("Day"), widget=DateInput())
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    absence_reason = forms.CharField(label=_("Reason for absence"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = ""
        self.helper.form_id = "attendance-form"
        # The date picker offers no day still to come (the service refuses one too).
        self.fields["day"].widget.attrs["max"] = timezone.localdate().isoformat()


class EvaluationForm(CrispyMixin, forms.Form):
    submit_label = _("Record evaluation")
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluationKind.choices)
    method = forms.ChoiceField(label=_("Held"), choices=EvaluationMethod.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    critical_incidents = forms.CharField(
        label=_("Critical incidents"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contract_in_prospect = forms.BooleanField(label=_("Contract in prospect"), required=False)

    def __init__(self, *args, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_id = "evaluation-form"
        self.competencies = list(competencies)
        for competency in self.competencies:
            self.fields[f"level_{competency.pk}"] = forms.TypedChoiceField(
                label=competency.name,
                choices=[("", "—"), *Level.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def levels(self) -> dict:
        return {c: self.cleaned_data.get(f"level_{c.pk}") for c in self.competencies}


class HireForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Hire
        fields = [
            "employer",
            "vacancy",
            "contract_type",
            "start_date",
            "agreed_wage",
            "wage_subsidy",
            "c4_reason",
        ]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Partner.objects.visible_to(user)
        self.fields["vacancy"].queryset = Vacancy.objects.visible_to(user).select_related("partner")
        self.fields["contract_type"].help_text = _(
            "Prefer an open-ended contract, or a written intention to hire that names the wage; a "
            "fixed-term or temporary agency contract gets a warning."
        )
        self.fields["wage_subsidy"].help_text = _("For example the ACTIVA-werkkaart.")
        if not self.instance.pk:
            self.initial.setdefault("c4_reason", str(C4_REASON_NEC))


class ActivaForm(CrispyMixin, forms.Form):
    submit_label = _("Record the application")
    applied_on = forms.DateField(label=_("Applied for at the RVA on"), widget=DateInput())
    accompanied = forms.BooleanField(label=_("The coach went along"), required=False)


class FollowUpAddForm(CrispyMixin, forms.Form):
    submit_label = _("Add the contact")
    with_whom = forms.ChoiceField(label=_("With"), choices=FollowUpWith.choices)
    due_on = forms.DateField(label=_("Planned on"), widget=DateInput())


class FollowUpSkipForm(CrispyMixin, forms.Form):
    submit_label = _("Skip the contact")
    reason = forms.CharField(label=_("Why is it skipped?"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpRescheduleForm(CrispyMixin, forms.Form):
    submit_label = _("Move the contact")
    due_on = forms.DateField(label=_("New date"), widget=DateInput())


class FollowUpForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Log contact")

    class Meta:
        model = FollowUp
        fields = ["done_on", "notes"]
        widgets = {"done_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["notes"].required = True
