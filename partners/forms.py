from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, colleagues_of, has_perm
from bwise.core.forms import CrispyMixin, DateInput
from bwise.roles import Role
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
    PartnerEventKind,
    Stage,
    TrainingOnTheJob,
    TrainingSession,
    Vacancy,
    Visit,
)
from partners.models.hires import FollowUpWith
from partners.models.register import AgreedRole
from partners.models.stages import KIND_PURPOSE, EvaluationMethod, StageKind
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
            "owner",
            "kind_of_work",
            "pace",
            "colleagues",
            "work_environment",
            "contact_with_managers",
            "working_conditions",
            "wage",
            "extra_legal_benefits",
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
                "work_environment",
                "contact_with_managers",
                "working_conditions",
                "extra_legal_benefits",
                "location_and_accessibility",
                "csr_notes",
                "hr_notes",
            )
        }
        help_texts = {"owner": _("The coach who keeps in touch; reminded when the contact goes cold.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = colleagues_of(user, [Role.COACH])


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
        fields = [
            "planned_on",
            "done_on",
            "direction",
            "visitors",
            "partner_contacts",
            "preparation_checklist",
            "notes",
            "follow_up",
        ]
        widgets = {
            "planned_on": DateInput(),
            "done_on": DateInput(),
            "preparation_checklist": forms.Textarea(attrs={"rows": 8}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = colleagues_of(user)
        self.fields["partner_contacts"].queryset = PartnerContact.objects.visible_to(user).filter(
            partner_id=self.instance.partner_id
        )


class VisitChecklistForm(CrispyMixin, forms.Form):
    items = forms.CharField(
        label=_("Checklist for company visits"),
        help_text=_("One item per line. Every new company visit starts from this list."),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=4000,
    )


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


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.partner.name}"


class PartnerEventForm(ParticipantsMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = PartnerEvent
        fields = [
            "kind",
            "title",
            "held_on",
            "partner",
            "notes",
            "staff",
            "contacts",
            "leertafel_kind",
            "duobaan_direction",
            "questionnaire_on",
            "questionnaire_leading",
            "questionnaire_differences",
            "questionnaire_take_home",
        ]
        widgets = {
            "held_on": DateInput(),
            "questionnaire_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "questionnaire_leading": forms.Textarea(attrs={"rows": 2}),
            "questionnaire_differences": forms.Textarea(attrs={"rows": 2}),
            "questionnaire_take_home": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "staff": _("Shop-floor supervisors, managers and other colleagues of your organisation."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["staff"].queryset = colleagues_of(user)
        self.fields["contacts"] = ContactChoiceField(
            label=_("Partner contacts taking part"),
            queryset=PartnerContact.objects.visible_to(user).select_related("partner"),
            required=False,
            initial=list(self.instance.contacts.values_list("pk", flat=True)) if self.instance.pk else None,
        )
        self.helper.attrs = {"data-kind-field": "kind"}
        self.helper.render_unmentioned_fields = True
        self.helper.layout = Layout(
            "kind",
            "title",
            "held_on",
            "partner",
            Fieldset(_("Who takes part"), "participants", "staff", "contacts"),
            Fieldset(_("Learning table"), "leertafel_kind", data_kinds=PartnerEventKind.LEERTAFEL),
            Fieldset(
                _("Duo job and the questionnaire after the shadow days"),
                "duobaan_direction",
                "questionnaire_on",
                "questionnaire_leading",
                "questionnaire_differences",
                "questionnaire_take_home",
                data_kinds=PartnerEventKind.DUOBAAN,
            ),
            "notes",
        )


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


# The stage form's sections and the kinds each belongs to; the page shows the chosen kind's
# (static/js/stage_form.js) and the service keeps only those (``partners.services.stages``).
STAGE_SECTIONS = (
    (_("Mentor at the host"), "tbs bvs", ("mentor_name", "mentor_email", "mentor_phone")),
    (
        _("TBS: payment and return"),
        "tbs",
        ("tbs_paid_by", "tbs_on_sec_payroll", "tbs_return_guaranteed", "tbs_return_arrangement"),
    ),
    (
        _("BVS: length and three-party agreement"),
        "bvs",
        ("day_unit", "day_count", "programme", "coaching_organisation", "agreement_signed_on"),
    ),
    (
        _("Enclave: client, team and notices"),
        "enclave",
        (
            "client_contract",
            "site_supervisor",
            "team",
            "union_informed_on",
            "works_council_meeting_on",
            "works_council_informed_on",
            "prevention_committee_meeting_on",
            "prevention_committee_informed_on",
            "moves_trajectory_to_stage",
        ),
    ),
    (_("Prospect"), "tbs bvs", ("contract_in_prospect",)),
)


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
            "start_date",
            "end_date",
            *(name for _legend, _kinds, names in STAGE_SECTIONS for name in names),
        ]
        widgets = {
            **dict.fromkeys(
                (
                    "start_date",
                    "end_date",
                    "agreement_signed_on",
                    "union_informed_on",
                    "works_council_meeting_on",
                    "works_council_informed_on",
                    "prevention_committee_meeting_on",
                    "prevention_committee_informed_on",
                ),
                DateInput(),
            ),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "programme": forms.Textarea(attrs={"rows": 3}),
            "tbs_return_arrangement": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "agreement_signed_on": _(
                "Leave empty while the agreement is not signed: it then prints as a draft to sign."
            ),
            "union_informed_on": _("As soon as possible; a reminder follows until it is filled in."),
            "works_council_meeting_on": _("The notice is due at this meeting."),
            "prevention_committee_meeting_on": _("The notice is due at this meeting."),
            "moves_trajectory_to_stage": _(
                "An enclave is not a stage: tick this only if it is the worker's stage step."
            ),
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
        purposes = format_html_join(
            "",
            '<li data-kinds="{}"><strong>{}</strong>: {}</li>',
            ((kind.value, kind.label, KIND_PURPOSE[kind]) for kind in StageKind),
        )
        self.helper.form_id = "stage-form"
        # Hidden fields added after the layout (the edit's version) still render.
        self.helper.render_unmentioned_fields = True
        self.helper.attrs = {"data-kind-field": "kind"}
        self.helper.layout = Layout(
            "kind",
            HTML(
                format_html(
                    '<ul class="small text-body-secondary" id="stage-kind-purposes">{}</ul>', purposes
                )
            ),
            "partner",
            "post",
            "goal",
            "start_date",
            "end_date",
            *(Fieldset(legend, *names, data_kinds=kinds) for legend, kinds, names in STAGE_SECTIONS),
        )


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

    def __init__(self, *args, competencies=(), by_mentor=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_id = "evaluation-form"
        if by_mentor:
            # The coach files the final evaluation on site; the mentor gives input for it.
            self.fields["kind"].choices = [c for c in EvaluationKind.choices if c[0] != EvaluationKind.FINAL]
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


class TrainingOnTheJobForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Record training")

    class Meta:
        model = TrainingOnTheJob
        fields = ["given_on", "topic", "given_by", "notes"]
        widgets = {"given_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}


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
