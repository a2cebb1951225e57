from django import forms
from django.utils.translation import gettext_lazy as _

from bwise.core.forms import LimitedTextMixin
from bwise.portal.services import INTAKE_ANSWER_MAX_LENGTH, WORKER_TEXT_MAX_LENGTH
from competenties.forms import PassportForm
from competenties.models import Done

_PIN_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*", "class": "form-control-lg"}


class CodeForm(LimitedTextMixin, forms.Form):
    code = forms.CharField(
        label=_("The code on your card"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )


class PinForm(LimitedTextMixin, forms.Form):
    pin = forms.CharField(label=_("Your PIN"), max_length=6, widget=forms.PasswordInput(attrs=_PIN_ATTRS))


class ChoosePinForm(LimitedTextMixin, forms.Form):
    pin = forms.CharField(
        label=_("Choose a PIN"),
        help_text=_("4 to 6 digits. Remember them well."),
        max_length=6,
        widget=forms.PasswordInput(attrs=_PIN_ATTRS),
    )
    repeat = forms.CharField(
        label=_("Type the same PIN again"), max_length=6, widget=forms.PasswordInput(attrs=_PIN_ATTRS)
    )


class ProgressForm(LimitedTextMixin, forms.Form):
    done = forms.ChoiceField(
        choices=[(Done.NOT, Done.NOT), (Done.PARTLY, Done.PARTLY), (Done.DONE, Done.DONE)]
    )
    comment = forms.CharField(
        label=_("Do you want to say something about it?"), required=False, max_length=1000
    )


class StoefboekForm(LimitedTextMixin, forms.Form):
    """An item of the worker's own stoefboek; the competencies to choose from are the
    worker's organisation's (``selectors.competency_choices``)."""

    text = forms.CharField(
        label=_("What did you do?"),
        help_text=_("Write it in a few short sentences."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    competencies = forms.TypedMultipleChoiceField(
        label=_("What does it show you can do?"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    photo = forms.FileField(
        label=_("Take a photo"),
        help_text=_("You can skip this."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )

    def __init__(self, *args, choices=(), with_photo=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = choices
        if not with_photo:
            del self.fields["photo"]


# How long a passport link works, in a few simple choices (days).
SHARE_FOR = ((7, _("1 week")), (30, _("1 month")), (90, _("3 months")))


class PassportShareForm(PassportForm):
    """The coach's passport form in the worker's words, with a few simple durations."""

    recipient = forms.CharField(
        label=_("Who is the link for?"),
        help_text=_("For example the name of the company. Only you and your coach see this."),
        max_length=200,
    )
    items = forms.MultipleChoiceField(
        label=_("What do you want to show?"), widget=forms.CheckboxSelectMultiple
    )
    days = forms.TypedChoiceField(
        label=_("How long does the link work?"),
        choices=SHARE_FOR,
        coerce=int,
        initial=30,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(group.label, group.options) for group in groups]


def _text(label, help_text="", rows=4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=WORKER_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CvForm(LimitedTextMixin, forms.Form):
    """The sections of the CV the worker writes (``CV_WORKER_FIELDS``), in their words."""

    profile = _text(_("About me"), _("Who are you? What work do you look for? What do you like to do?"))
    work_experience = _text(
        _("Where did I work?"), _("Write it in your own words. One job per line."), rows=6
    )
    strengths = _text(_("What am I good at?"), _("For example: I work neatly. I am always on time."))
    languages = _text(_("Which languages do I speak?"), rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LetterJobForm(LimitedTextMixin, forms.Form):
    job = forms.ChoiceField(label=_("For which job do you write the letter?"), widget=forms.RadioSelect)

    def __init__(self, *args, jobs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = [(job.key, f"{job.job_title} · {job.employer}") for job in jobs]


class LetterForm(LimitedTextMixin, forms.Form):
    """Each sentence of the letter: its start is fixed (the label), the worker writes the rest."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, sentences=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, start, _text_now in sentences:
            self.fields[name] = _text(f"{start} …", rows=2)


class IntakeAnswerForm(LimitedTextMixin, forms.Form):
    """One intake question on one screen: the question is the label, the worker writes the answer."""

    answer = forms.CharField(
        required=False,
        max_length=INTAKE_ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _("Your text is too long. Write at most %(limit_value)s characters."),
        },
    )

    def __init__(self, *args, question="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = question
        self.fields["answer"].help_text = _("Write it in your own words. You can leave it empty.")
