from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, colleagues_of, has_perm
from bwise.accounts.models import Role
from bwise.core.forms import CrispyMixin, DateInput, LimitedTextMixin
from trajects.models import (
    CoachingMoment,
    EmploymentEndReason,
    Intake,
    IntakeKind,
    JobDefinition,
    Precondition,
    StarrNote,
    Worker,
)
from trajects.sensitive import SENSITIVE_INTAKE_FIELDS, SENSITIVE_WORKER_FIELDS, hidden_fields
from trajects.services import needs_distance_confirmation
from trajects.state import TRANSITIONS, Status, Trigger, outcomes_for


class WorkerForm(CrispyMixin, forms.ModelForm):
    preconditions = forms.MultipleChoiceField(
        label=_("Preconditions to remedy"),
        choices=Precondition.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Worker
        fields = [
            "first_name",
            "last_name",
            "external_id",
            "email",
            "phone",
            "birth_date",
            "address",
            "statuut",
            "statuut_start",
            "employment_start",
            "team",
            "coach",
            "supervisor",
            "languages",
            "dutch_level",
            "persona",
            "preconditions",
            "precondition_notes",
            "support_network",
            "obstacles",
        ]
        widgets = {
            "birth_date": DateInput(),
            "statuut_start": DateInput(),
            "employment_start": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = colleagues_of(user, [Role.COACH, Role.HR])
        self.fields["supervisor"].queryset = colleagues_of(user, [Role.BEGELEIDER])
        if self.instance.pk and not has_perm(user, Perm.ASSIGN_STAFF):
            # Shown for information; trajects.services.worker_staff_check refuses a change anyway.
            self.fields["coach"].disabled = self.fields["supervisor"].disabled = True
        for name in ("precondition_notes", "support_network", "obstacles"):
            self.fields[name].widget.attrs["rows"] = 3


class WorkerSensitiveForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Worker
        fields = list(SENSITIVE_WORKER_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in SENSITIVE_WORKER_FIELDS[1:]
            if name != "icf_distance"
        }


PRETEXT_WARNING = _(
    "A trajectory is never a way to end someone's employment: not because a subsidy runs out, "
    "not after repeated poor performance, not for any other reason to part ways. The organisation "
    "proposes it only because the worker is ready to grow towards a better job, for example "
    "because of the competency level reached or the years of service."
)
DISTANCE_WARNING = _(
    "The further someone is from the labour market (too little Dutch, an unrealistic job target, "
    "a training need still open), the smaller the chance of moving on to the regular economy. "
    "VDAB's ICF indication measures this distance. This worker's persona or ICF indication "
    "shows a large distance: confirm explicitly that you propose the trajectory anyway."
)


class TrajectoryStartForm(CrispyMixin, forms.Form):
    submit_label = _("Start the trajectory")
    trigger = forms.ChoiceField(
        label=_("Why does it start?"), choices=Trigger.choices, widget=forms.RadioSelect
    )
    trigger_reason = forms.CharField(
        label=_("Reason for the organisation's proposal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the organisation proposes the trajectory."),
    )
    pretext_ruled_out = forms.BooleanField(
        label=_("I confirm that this trajectory is not a way to end the worker's employment."),
        required=False,
        help_text=PRETEXT_WARNING,
    )
    distance_confirmed = forms.BooleanField(
        label=_("I propose this trajectory despite the large distance to the labour market."),
        required=False,
        help_text=DISTANCE_WARNING,
    )
    distance_reason = forms.CharField(
        label=_("Why, despite the distance?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the worker's timeline with the start of the trajectory."),
    )

    def __init__(self, *args, worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        if worker is None or not needs_distance_confirmation(worker):
            del self.fields["distance_confirmed"], self.fields["distance_reason"]


class LdeSettingsForm(CrispyMixin, forms.Form):
    months = forms.IntegerField(
        label=_("Months after the LDE start"),
        min_value=1,
        max_value=60,
        help_text=_(
            "An LDE worker works towards the regular economy from the first day: their coach is "
            "reminded when the worker has no trajectory this many months after the LDE start."
        ),
    )


class EmploymentEndForm(CrispyMixin, forms.Form):
    submit_label = _("Record the end of employment")
    on = forms.DateField(label=_("Last day of employment"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=EmploymentEndReason.choices)
    c4_reason = forms.CharField(
        label=_("Reason on form C4"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Proposed from the hire when the worker moves on to the regular economy; you can change it."
        ),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(LimitedTextMixin, forms.Form):
    """One form per allowed transition; the choices come from the table in trajects.state."""

    transition = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, trajectory, step=None, **kwargs):
        if step is not None:
            # Several of these forms share the worker page: keep their HTML ids apart.
            kwargs.setdefault("auto_id", f"id_{step.name}_%s")
        super().__init__(*args, **kwargs)
        self.step = step
        if step is not None:
            self.fields["transition"].initial = step.name
        self.fields["outcome"].choices = [("", "—"), *outcomes_for(trajectory.phase)]
        if step is not None and not step.is_close:
            del self.fields["outcome"]
        if step is not None and step.reason_required:
            self.fields["reason"].required = True

    def clean_transition(self):
        name = self.cleaned_data["transition"]
        if name not in TRANSITIONS:
            raise forms.ValidationError(_("This is not a step a trajectory can take."))
        return name


INTAKE_FIRST_FIELDS = [
    "held_on",
    "information_given",
    "motivation",
    "mutual_expectations",
    "milestones",
    "commitment_statement",
    "agreed_by_worker_on",
    "agreed_by_coach_on",
    "questionnaire_scan",
    "completed_on",
]
INTAKE_SECOND_FIELDS = [
    "held_on",
    "second_coach",
    "external_second_coach",
    "external_second_coach_organisation",
    "education_and_work_history",
    "personal_and_social_situation",
    "limitations",
    "motivation",
    "completed_on",
]
DATE_FIELDS = ("held_on", "agreed_by_worker_on", "agreed_by_coach_on", "completed_on")


class IntakeForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Intake
        fields = sorted(set(INTAKE_FIRST_FIELDS) | set(INTAKE_SECOND_FIELDS))
        # A plain file input: the stored scan is downloaded from the worker's page, which checks
        # who reads it; the form neither links to it nor shows its name.
        widgets = {**dict.fromkeys(DATE_FIELDS, DateInput()), "questionnaire_scan": forms.FileInput()}

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        keep = INTAKE_FIRST_FIELDS if kind == IntakeKind.FIRST else INTAKE_SECOND_FIELDS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.order_fields(keep)
        trajectory = getattr(self.instance, "trajectory", None)
        hidden = (
            hidden_fields(user, trajectory.worker, "trajects.Intake")
            if trajectory
            else SENSITIVE_INTAKE_FIELDS
        )
        for name in hidden:
            # Absent for whoever may not see it: not rendered, and not overwritten on save.
            self.fields.pop(name, None)
        if "second_coach" in self.fields:
            colleagues = colleagues_of(user, [Role.COACH, Role.HR])
            if trajectory is not None and trajectory.worker.coach_id:
                colleagues = colleagues.exclude(pk=trajectory.worker.coach_id)
            self.fields["second_coach"].queryset = colleagues
            self.fields["second_coach"].help_text = _(
                "Someone other than the worker's own coach; or name someone from outside below."
            )
        if "questionnaire_scan" in self.fields:
            self.fields["questionnaire_scan"].help_text = _(
                "The questionnaire about past, present and future that the worker filled in on paper "
                "(PDF, JPEG or PNG)."
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
        self.fields["completed_on"].help_text = _("Fill in when the intake is finished.")


# The kind of question the guide asks for each letter of STARR, in the product's words.
STARR_PROMPTS = {
    "situation": _("What was going on? Where and when was it?"),
    "task": _("What was your task; what was expected of you?"),
    "activities": _("What exactly did you say or do?"),
    "result": _("What happened next; what came of it?"),
    "reflection": _("Looking back: what did you learn, what would you do differently?"),
}


class StarrNoteForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Add the STARR note")

    class Meta:
        model = StarrNote
        fields = [
            "situation",
            "task",
            "activities",
            "result",
            "reflection",
            "competencies",
            "shared_with_worker",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 2}) for name in STARR_PROMPTS},
            "competencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, prompt in STARR_PROMPTS.items():
            self.fields[name].help_text = prompt
            self.fields[name].widget.attrs["placeholder"] = prompt
        competencies = StarrNote._meta.get_field("competencies").related_model.objects.visible_to(user)
        self.fields["competencies"].queryset = competencies.select_related("framework").order_by(
            "framework__name", "order", "name"
        )
        self.fields["competencies"].help_text = _("The competencies this example shows.")
        self.fields["shared_with_worker"].help_text = _(
            "The worker then sees this note as a story in their stoefboek."
        )


class KickOffForm(CrispyMixin, forms.Form):
    submit_label = _("Record the kick-off meeting")
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    workers = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=Worker.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Approach, commitments and expectations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Fellow candidates: the current workers with a trajectory under way.
        self.fields["workers"].queryset = (
            Worker.objects.visible_to(user)
            .employed_on(timezone.localdate())
            .filter(trajectories__status__in=[Status.OPEN, Status.PAUSED])
            .distinct()
        )


class JobDefinitionForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = JobDefinition
        fields = ["dreams_and_interests", "job_target", "intermediate_steps"]
        widgets = {
            "dreams_and_interests": forms.Textarea(attrs={"rows": 3}),
            "intermediate_steps": forms.Textarea(attrs={"rows": 3}),
        }


class CoachingMomentForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = CoachingMoment
        fields = ["kind", "held_on", "notes", "next_steps", "next_steps_due"]
        widgets = {
            "held_on": DateInput(),
            "next_steps_due": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }


class ImportUploadForm(CrispyMixin, forms.Form):
    submit_label = _("Preview")
    file = forms.FileField(
        label=_("Worker list (CSV or Excel)"),
        help_text=_("The first row names the columns. Workers with a known external id are updated."),
    )
