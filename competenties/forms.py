import datetime

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bwise.access import colleagues_of
from bwise.core.errors import DomainError
from bwise.core.forms import CrispyMixin, DateInput, LimitedTextMixin
from bwise.core.params import BoundedDateField
from bwise.roles import Role
from competenties.framework_presets import TEMPLATE_CHOICES
from competenties.models import (
    Competency,
    Framework,
    Indicator,
    JobProfile,
    Level,
    Method,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatus,
    RaterRole,
    Valence,
)
from competenties.services import observation_check_facts, rater_roles_for
from competenties.services_passport import DEFAULT_DAYS, MAX_DAYS
from trajects.models import Worker


class CopyTemplateForm(LimitedTextMixin, forms.Form):
    template_key = forms.ChoiceField(label=_("Template"), choices=TEMPLATE_CHOICES)
    name = forms.CharField(
        label=_("Name of your copy"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to keep the name."),
    )


class FrameworkForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "description"]


class CompetencyForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["name", "definition", "category", "order"]


class IndicatorForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["description", "level_1", "level_2", "level_3", "level_4", "order"]
        widgets = {f"level_{n}": forms.Textarea(attrs={"rows": 2}) for n in range(1, 5)}


LEVEL_CHOICES = [("", _("—"))] + [(str(value), f"{value} · {label}") for value, label in Level.choices]


class JobProfileForm(LimitedTextMixin, forms.ModelForm):
    """The profile plus one cut-off field per competency of its framework."""

    class Meta:
        model = JobProfile
        fields = ["name", "description", "kind", "framework"]

    def __init__(self, *args, user, competencies=(), requirements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.visible_to(user)
        requirements = requirements or {}
        self.competencies = list(competencies)
        main = self.instance.framework_id
        for competency in self.competencies:
            self.fields[f"req_{competency.pk}"] = forms.ChoiceField(
                label=competency.name
                if competency.framework_id == main
                else format_lazy("{} · {}", competency.framework.name, competency.name),
                choices=LEVEL_CHOICES,
                required=False,
                initial=str(requirements.get(competency.pk, "")),
            )

    def requirement_fields(self):
        return [self[f"req_{c.pk}"] for c in self.competencies]

    def requirements(self) -> dict[int, int | None]:
        return {
            c.pk: int(self.cleaned_data[f"req_{c.pk}"]) if self.cleaned_data.get(f"req_{c.pk}") else None
            for c in self.competencies
        }


class IndicatorLevelsMixin:
    """Per indicator, a level (radio buttons, "not observed" first) and an evidence note."""

    def add_indicator_fields(self, competencies):
        self.competencies = competencies
        for competency in competencies:
            for indicator in competency.indicators.all():
                self.fields[f"level_{indicator.pk}"] = forms.TypedChoiceField(
                    label=indicator.description,
                    choices=[("", _("Not observed"))]
                    + [(v, format_lazy("{} · {}", v, label)) for v, label in Level.choices],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"evidence_{indicator.pk}"] = forms.CharField(
                    label=_("Evidence"), required=False, max_length=2000
                )

    def blocks(self):
        """For the template: competency -> [(indicator, level field, evidence field)]."""
        return [
            (
                competency,
                [
                    (indicator, self[f"level_{indicator.pk}"], self[f"evidence_{indicator.pk}"])
                    for indicator in competency.indicators.all()
                ],
            )
            for competency in self.competencies
        ]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        scores = {}
        for competency in self.competencies:
            for indicator in competency.indicators.all():
                level = self.cleaned_data.get(f"level_{indicator.pk}")
                evidence = self.cleaned_data.get(f"evidence_{indicator.pk}", "")
                if level is not None or evidence:
                    scores[indicator.pk] = (level, evidence)
        return scores


class AssessmentForm(LimitedTextMixin, IndicatorLevelsMixin, forms.Form):
    """The session's header plus, per indicator, a level (radio buttons) and an evidence note."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    rater_role = forms.ChoiceField(label=_("Rater"))
    external_rater_name = forms.CharField(label=_("External assessor"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        roles = rater_roles_for(user)
        self.fields["rater_role"].choices = [(r, RaterRole(r).label) for r in roles]
        # Rating as oneself is the usual case; the self-assessment is asked for explicitly.
        own = [r for r in roles if r in (RaterRole.COACH, RaterRole.SUPERVISOR)]
        if own and not self.initial.get("rater_role"):
            self.fields["rater_role"].initial = own[0]
        self.add_indicator_fields(competencies)


class RoundRatingForm(LimitedTextMixin, IndicatorLevelsMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, competencies, self_assessment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["method"].initial = Method.SELF_ASSESSMENT if self_assessment else Method.OBSERVATION
        self.add_indicator_fields(competencies)


class CalibrationCaseForm(CrispyMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.none())
    description = forms.CharField(
        label=_("The recorded case"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the raters watch or read: facts only, and no real worker's name."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.visible_to(user)


class CalibrationRatingForm(LimitedTextMixin, IndicatorLevelsMixin, forms.Form):
    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_indicator_fields(competencies)

    def levels(self) -> dict[int, int | None]:
        return {pk: level for pk, (level, _evidence) in self.scores().items()}


class RoundOpenForm(LimitedTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.none(), required=False
    )
    job_profile = forms.ModelChoiceField(
        label=_("or job profile"),
        queryset=JobProfile.objects.none(),
        required=False,
        help_text=_("With a job profile the round measures its framework."),
    )
    workers = forms.ModelMultipleChoiceField(
        label=_("Workers"), queryset=Worker.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    coach = forms.ModelChoiceField(label=_("Transition coach"), queryset=None, required=False)
    second_coach = forms.ModelChoiceField(label=_("Second coach"), queryset=None, required=False)
    supervisors = forms.ModelMultipleChoiceField(
        label=_("Shop-floor supervisors"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    self_assessment = forms.BooleanField(
        label=_("The worker's self-assessment"), required=False, initial=True
    )
    external_name = forms.CharField(label=_("External assessor (name)"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.visible_to(user)
        self.fields["job_profile"].queryset = JobProfile.objects.visible_to(user)
        self.fields["workers"].queryset = Worker.objects.visible_to(user).order_by("last_name", "first_name")
        coaches = colleagues_of(user, [Role.COACH])
        self.fields["coach"].queryset = coaches
        self.fields["second_coach"].queryset = coaches
        self.fields["supervisors"].queryset = colleagues_of(user, [Role.BEGELEIDER])
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=14)
        if user.has_role(Role.COACH):
            self.fields["coach"].initial = user.pk

    def raters(self) -> list[tuple[str, object, str]]:
        data = self.cleaned_data
        raters = [(RaterRole.COACH, c, "") for c in (data["coach"], data["second_coach"]) if c]
        raters += [(RaterRole.SUPERVISOR, s, "") for s in data["supervisors"]]
        if data["external_name"].strip():
            raters.append((RaterRole.EXTERNAL, None, data["external_name"]))
        if data["self_assessment"]:
            raters.append((RaterRole.SELF, None, ""))
        return raters


class ConsensusForm(LimitedTextMixin, forms.Form):
    """Per competency the agreed level and a short justification."""

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for row in sheet.rows:
            pk = row.competency.pk
            initial = row.agreed.level if row.agreed else row.provisional
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(
                label=row.competency.name,
                choices=[("", _("—"))] + list(Level.choices),
                coerce=int,
                empty_value=None,
                required=False,
                initial=initial,
            )
            self.fields[f"justification_{pk}"] = forms.CharField(
                label=_("Justification"),
                required=False,
                max_length=1000,
                initial=row.agreed.justification if row.agreed else "",
            )

    def rows(self):
        return [
            (row, self[f"level_{row.competency.pk}"], self[f"justification_{row.competency.pk}"])
            for row in self.sheet.rows
        ]

    def levels(self) -> dict[int, tuple[int | None, str]]:
        return {
            row.competency.pk: (
                self.cleaned_data.get(f"level_{row.competency.pk}"),
                self.cleaned_data.get(f"justification_{row.competency.pk}", ""),
            )
            for row in self.sheet.rows
        }


class ObservationForm(LimitedTextMixin, forms.Form):
    text = forms.CharField(
        label=_("What did you see or hear?"),
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        help_text=_("Only facts: what the worker did or said. Interpretation comes later."),
        max_length=4000,
    )
    # Shown only after a warning about personality words: ticking it saves the note as written.
    save_as_written = forms.BooleanField(label=_("Save as written"), required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        try:
            observation_check_facts(data.get("text", ""), save_as_written=data.get("save_as_written", False))
        except DomainError as warning:
            self.fields["save_as_written"].widget = forms.CheckboxInput()
            self.add_error("text", forms.ValidationError(warning.message, code=warning.code))
        return data


class QuickObservationForm(ObservationForm):
    """On a tablet on the shop floor: pick the worker with one tap, then write what happened."""

    worker = forms.ModelChoiceField(
        label=_("Worker"), queryset=Worker.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    field_order = ["worker", "text"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = Worker.objects.visible_to(user).order_by("first_name", "last_name")
        self.fields["text"].widget.attrs.pop("autofocus", None)


class ClassificationForm(LimitedTextMixin, forms.Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.none())
    valence = forms.ChoiceField(label=_("Reading"), choices=Valence.choices)
    interpretation = forms.CharField(
        label=_("Interpretation"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.visible_to(user).select_related("framework")
        self.fields["competency"].label_from_instance = lambda c: f"{c.framework.name} · {c.name}"


class PeriodForm(LimitedTextMixin, forms.Form):
    start = BoundedDateField(label=_("From"), widget=DateInput(), required=False)
    end = BoundedDateField(label=_("To"), widget=DateInput(), required=False)


class PlanForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["kind", "year", "title", "reflection"]


class PlanEditForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "reflection"]


class GapPlanForm(LimitedTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Plan"), choices=PlanKind.choices)
    year = forms.IntegerField(label=_("Year (POP)"), required=False, min_value=2000, max_value=2100)


POP_FIELDS = [
    "action",
    "who_helps",
    "due_date",
    "expected_result",
    "technical_competencies",
    "generic_competencies",
]
PDP_FIELDS = ["action", "time_span", "who", "done", "remarks"]


class PlanActionForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = sorted(set(POP_FIELDS + PDP_FIELDS))
        widgets = {
            "due_date": DateInput(),
            "action": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        keep = POP_FIELDS if kind == PlanKind.POP else PDP_FIELDS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.order_fields(keep)
        if kind == PlanKind.PDP:
            self.fields["action"].label = _("Concrete action")


class PlanStatusForm(LimitedTextMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    agreed_by_worker_on = forms.DateField(
        label=_("Agreed by the worker on"), required=False, widget=DateInput()
    )
    agreed_by_coach_on = forms.DateField(
        label=_("Agreed by the coach on"), required=False, widget=DateInput()
    )
    evaluation = forms.CharField(
        label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, PlanStatus(s).label) for s in allowed]
        # Ask only for what the reachable statuses need.
        if PlanStatus.AGREED not in allowed:
            del self.fields["agreed_by_worker_on"], self.fields["agreed_by_coach_on"]
        if PlanStatus.EVALUATED not in allowed:
            del self.fields["evaluation"]


class PassportForm(LimitedTextMixin, forms.Form):
    """What to share with an employer and for how long; ``choices`` are
    ``competenties.passport.passport_choices(worker)``."""

    recipient = forms.CharField(
        label=_("Shared with"),
        max_length=200,
        help_text=_("The employer or the vacancy, for you to recognise the link later."),
    )
    items = forms.MultipleChoiceField(label=_("What to share"), widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=format_lazy(_("At most {max} days; you can revoke the link at any time."), max=MAX_DAYS),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (kind.label, [(f"{kind.key}:{choice.ref}", choice.label) for choice in kind_choices])
            for kind, kind_choices in choices
        ]

    def chosen_items(self) -> list[tuple[str, int]]:
        return [(value.split(":")[0], int(value.split(":")[1])) for value in self.cleaned_data["items"]]


class AchievementForm(CrispyMixin, forms.Form):
    """A stoefboek item as the coach writes it down with the worker."""

    text = forms.CharField(
        label=_("What did the worker do?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the worker's own words: what they did and what came of it."),
    )
    achieved_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
        help_text=_("JPEG or PNG, at most 5 MB. The place and the camera's details are removed."),
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies it shows"),
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = (
            Competency.objects.visible_to(user)
            .select_related("framework")
            .order_by("framework__name", "order")
        )
        self.fields["competencies"].label_from_instance = lambda c: f"{c.framework.name} · {c.name}"


class DigitalConsentForm(LimitedTextMixin, forms.Form):
    given = forms.TypedChoiceField(
        label=_("Does the worker agree?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
    )
