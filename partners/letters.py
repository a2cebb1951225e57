"""The motivation-letter assistant's sentences: the start of each sentence is ours and the same
for everyone, the rest is the worker's. Nothing else is written for the worker."""

from django.utils.translation import gettext_lazy as _

# (field of MotivationLetter, the sentence start; %(job)s and %(employer)s are the letter's).
SENTENCES = (
    ("why_this_job", _("I am applying for the job of %(job)s because")),
    ("why_this_employer", _("I would like to work at %(employer)s because")),
    ("experience", _("In my work so far I learned to")),
    ("strengths", _("I am good at")),
    ("example", _("An example of this:")),
    ("availability", _("I can start")),
)
FIELDS = tuple(name for name, _start in SENTENCES)


def sentence_start(letter, name: str) -> str:
    start = dict(SENTENCES)[name]
    return str(start) % {"job": letter.job_title, "employer": letter.employer}


def sentences(letter) -> list[tuple[str, str]]:
    """(sentence start, the worker's completion) of every sentence the worker completed, in
    order; a sentence left empty is left out of the letter."""
    return [
        (sentence_start(letter, name), getattr(letter, name).strip())
        for name in FIELDS
        if getattr(letter, name).strip()
    ]
