"""THE declaration of special-category data: which fields, and which roles see them.

This module is the single source of truth. ``bwise.privacy.minimise`` applies it for
every reader (history, printed documents, ``trajects.sensitive`` for the forms, the API
serializers and the timeline); the register of access ("who may access which data in what role", kept by
the controller under the GDPR and the Belgian data-protection act of 30 July 2018)
is exported from it; and the leak test plants markers in every field named here.

A field listed here is *absent* (not hidden) for everyone outside its audience:
left out of the HTML, the API's JSON, printed documents, exports and e-mails.
Adding a sensitive field anywhere means adding it here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from bwise.access import is_worker_session
from bwise.roles import Role


class Audience(StrEnum):
    """Who, relative to one worker, may see a field group."""

    OWN_COACH = "own_coach"
    HR = "hr"
    # The host company's mentor on a stage link, without an account: sees no declared
    # group, only the fields in EXTERNAL_MENTOR_FIELDS below.
    EXTERNAL_MENTOR = "external_mentor"
    # An employer opening a competency passport the worker shared, without an account: sees
    # no declared group, only what the worker chose, cut to PASSPORT_EMPLOYER_FIELDS below.
    PASSPORT_EMPLOYER = "passport_employer"
    # The worker themselves, signed in with their card on their own pages: sees no declared
    # group, only their own records and only the fields in WORKER_FIELDS below.
    WORKER = "worker"


AUDIENCE_LABELS = {
    Audience.OWN_COACH: _("the worker's own transition coach"),
    Audience.HR: _("HR of the worker's organisation"),
    Audience.EXTERNAL_MENTOR: _("the host's mentor of a stage, through the stage's link"),
    Audience.PASSPORT_EMPLOYER: _("an employer, through a competency passport the worker shared"),
    Audience.WORKER: _("the worker, on their own pages"),
}

# The role that an audience member holds, and how they relate to the worker.
AUDIENCE_ROLES = {Audience.OWN_COACH: Role.COACH, Audience.HR: Role.HR}

_AUDIENCE_RULES: dict[Audience, Callable[[object, object], bool]] = {
    Audience.OWN_COACH: lambda user, worker: user.has_role(Role.COACH) and worker.coach_id == user.pk,
    Audience.HR: lambda user, worker: user.has_role(Role.HR),
    Audience.WORKER: lambda user, worker: is_worker_session(user) and user.worker_id == worker.pk,
}


@dataclass(frozen=True)
class FieldGroup:
    key: str
    label: str
    purpose: str
    fields: tuple[tuple[str, str], ...]  # (model label, field name)
    audience: frozenset[Audience]


OWN_COACH_AND_HR = frozenset({Audience.OWN_COACH, Audience.HR})

DECLARATION: tuple[FieldGroup, ...] = (
    FieldGroup(
        key="health",
        label=_("Health"),
        purpose=_("Adapting work and coaching to the worker's health."),
        fields=(("trajects.Worker", "health_notes"),),
        audience=OWN_COACH_AND_HR,
    ),
    FieldGroup(
        key="disability",
        label=_("Disability"),
        purpose=_("Reasonable accommodations and the choice of a realistic job target."),
        fields=(("trajects.Worker", "disability_notes"),),
        audience=OWN_COACH_AND_HR,
    ),
    FieldGroup(
        key="justice",
        label=_("Justice history"),
        purpose=_("Preparing applications where a certificate of good conduct is asked."),
        fields=(("trajects.Worker", "justice_notes"),),
        audience=OWN_COACH_AND_HR,
    ),
    FieldGroup(
        key="icf",
        label=_("ICF distance indication"),
        purpose=_("The worker's distance to the regular labour market, which sets the statuut."),
        fields=(("trajects.Worker", "icf_indication"), ("trajects.Worker", "icf_distance")),
        audience=OWN_COACH_AND_HR,
    ),
    FieldGroup(
        key="personal_situation",
        label=_("Personal and social situation"),
        purpose=_("The screening of the second intake: what helps or hinders the trajectory."),
        fields=(
            ("trajects.Intake", "personal_and_social_situation"),
            ("trajects.Intake", "limitations"),
        ),
        audience=OWN_COACH_AND_HR,
    ),
    FieldGroup(
        key="intake_questionnaire",
        label=_("Intake questionnaire"),
        purpose=_(
            "The worker's own answers about their past, present and future, kept with the first "
            "intake to understand their situation and wishes."
        ),
        fields=(("trajects.Intake", "questionnaire_scan"),),
        audience=OWN_COACH_AND_HR,
    ),
    FieldGroup(
        key="stoefboek_photos",
        label=_("Photos in the stoefboek"),
        purpose=_(
            "Showing what the worker achieved; a photo can show the worker, colleagues or a place, "
            "so it stays with those who coach the worker."
        ),
        fields=(("competenties.Achievement", "photo"),),
        audience=OWN_COACH_AND_HR,
    ),
)


# Everything the external mentor's page receives, per model, as an allow-list: a field
# not named here does not reach the page. "shared" holds for every record of the stage,
# "own" only for the records the mentor entered through the link; what a coach wrote
# (absence reasons, evaluation notes and critical incidents, the stage's goal and
# programme) is in neither.
EXTERNAL_MENTOR_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "shared": {
        "trajects.Worker": ("first_name",),
        "partners.Attendance": ("day", "status"),
    },
    "own": {
        "partners.Attendance": ("day", "status", "absence_reason"),
        "partners.Evaluation": (
            "kind",
            "method",
            "held_on",
            "critical_incidents",
            "notes",
            "contract_in_prospect",
        ),
        "partners.EvaluationLevel": ("competency", "level"),
    },
}


# The CV's sections, what a CV says: for the worker who writes it and the employer it is shown to.
CV_SECTIONS = ("profile", "work_experience", "education", "strengths", "achievements", "languages")

# Everything a competency passport's page receives, per model, as an allow-list: the
# worker's name and, of each item the worker chose, only these fields. A kind of passport
# item added later (``competenties.passport``) adds its model's fields here. A coach's
# justification of an agreed level, the raters' levels and every note stay out.
PASSPORT_EMPLOYER_FIELDS: dict[str, tuple[str, ...]] = {
    "trajects.Worker": ("first_name", "last_name"),
    "competenties.Passport": ("expires_at",),
    "competenties.AgreedLevel": ("competency_name", "level"),
    "competenties.MeasurementRound": ("closed_at",),
    "competenties.Framework": ("name",),
    # A stoefboek item the coach confirmed: what the worker did and when, not the photo.
    "competenties.Achievement": ("text", "achieved_on"),
    "partners.CurriculumVitae": CV_SECTIONS,
}


# Everything the worker's own pages (``bwise.portal``) receive, per model, as an allow-list:
# a field not named here does not reach those pages. What the worker agreed or does
# themselves (the plan's actions, their progress, the agreed next steps, the appointments)
# is here; what a coach wrote about them (coaching notes, remarks, assessments' notes and
# evidence, observations, intakes) is not, nor any declared group above.
WORKER_FIELDS: dict[str, tuple[str, ...]] = {
    # The name and contact details head the worker's own CV and letters.
    "trajects.Worker": ("first_name", "last_name", "address", "phone", "email"),
    "trajects.CoachingMoment": ("kind", "held_on", "next_steps", "next_steps_due"),
    # The commitment statement the worker signs: the agreed commitments of the first intake,
    # none of its other answers (motivation, screening, the questionnaire).
    "trajects.Intake": ("held_on", "commitment_statement", "mutual_expectations", "milestones"),
    # The worker's own answers to the intake questions (past, present, future) and when
    # they sent them; the questions hold no special category (trajects.models.INTAKE_QUESTIONS).
    "trajects.IntakeAnswers": (
        "education",
        "work_history",
        "likes_now",
        "hard_now",
        "future_job",
        "want_to_learn",
        "needs",
        "sent_at",
    ),
    "competenties.Plan": ("kind", "year", "title", "status"),
    "competenties.PlanAction": ("action", "who_helps", "due_date", "time_span", "who", "done"),
    "competenties.MeasurementRound": ("title", "starts_on", "ends_on"),
    # The organisation's own framework, which the self-assessment asks about.
    "competenties.Competency": ("name",),
    "competenties.Indicator": ("description",),
    "partners.Stage": ("kind", "partner", "start_date", "end_date"),
    "partners.FollowUp": ("with_whom", "due_on"),
    "portal.PlanProgress": ("done", "comment", "at"),
    # The worker's own stoefboek items: what they wrote, not who confirmed it (the page says
    # only whether it is confirmed). The photo is a declared group the worker is not in.
    "competenties.Achievement": ("text", "achieved_on"),
    # The worker's own passport links: with whom, until when, and each time one was opened;
    # not the token (only its hash exists) nor which coach made or revoked it.
    "competenties.Passport": ("recipient", "created_at", "expires_at", "revoked_at"),
    # The levels agreed with the worker, which they may put in a passport; not the coach's
    # justification.
    "competenties.AgreedLevel": ("competency_name", "level"),
    "competenties.PassportView": ("viewed_at", "outcome"),
    # A STARR note the coach chose to share with the worker as a story.
    "trajects.StarrNote": ("situation", "task", "activities", "result", "reflection", "created_at"),
    # The CV and the motivation letters the worker writes with the coach: every word is
    # theirs to read; who drafted or last saved it is not on the page.
    "partners.CurriculumVitae": (*CV_SECTIONS, "updated_at"),
    "partners.MotivationLetter": (
        "job_title",
        "employer",
        "why_this_job",
        "why_this_employer",
        "experience",
        "strengths",
        "example",
        "availability",
        "updated_at",
    ),
    # The jobs on the worker's job-search log they can write a letter for, not the coach's notes.
    "partners.JobSearchEntry": ("job_title", "employer", "found_on"),
    # A partner's vacancy a coach applied for with the worker: its title and the partner's name.
    "partners.Vacancy": ("title",),
    "partners.Partner": ("name",),
}


def sensitive_fields_of(model_label: str) -> tuple[str, ...]:
    """Every declared field of one model ("app_label.ModelName"), in declaration order."""
    return tuple(name for group in DECLARATION for label, name in group.fields if label == model_label)


def all_sensitive_fields() -> tuple[tuple[str, str], ...]:
    return tuple(field for group in DECLARATION for field in group.fields)


def group_visible(user, worker, group: FieldGroup) -> bool:
    """Whether ``user`` belongs to ``group``'s audience for ``worker`` (roles only; the
    organisation and the VIEW_SENSITIVE capability are checked in ``bwise.access``)."""
    return any(_AUDIENCE_RULES[audience](user, worker) for audience in group.audience)


# Text columns of worker records that hold no personal data: codes and copies of the
# organisation's own framework. Pseudonymisation keeps them (the statistics need them);
# every other text column of a worker record is treated as free text and replaced.
NOT_PERSONAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("trajects.Worker", "team"),
        ("trajects.TrajectoryTransition", "name"),
        ("competenties.IndicatorScore", "competency_name"),
        ("competenties.IndicatorScore", "indicator_text"),
        # Hashes of random tokens and of a document's version, and registry keys.
        ("competenties.Passport", "token_hash"),
        ("competenties.PassportItem", "kind"),
        ("documents.Signature", "kind"),
        ("documents.Signature", "content_hash"),
        ("competenties.DigitalSkillEvidence", "competency_name"),
        ("competenties.DigitalSkillEvidence", "indicator_text"),
    }
)
