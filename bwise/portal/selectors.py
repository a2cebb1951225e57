"""What the worker's own pages read, for a ``WorkerSession`` only.

Every read starts from ``visible_to(session)`` (the worker's own rows) or from a record
read that way, and every record leaves here cut to the fields the privacy declaration
gives the worker (``WORKER_FIELDS``), so that a template cannot reach a coach's notes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bwise.access import is_worker_session
from bwise.documents.models import SignerRole
from bwise.documents.signatures import signature_state
from bwise.portal.models import PlanProgress
from bwise.privacy.declaration import WORKER_FIELDS
from bwise.privacy.minimise import allowed_fields
from competenties.models import (
    Achievement,
    Assessment,
    Done,
    PassportOpening,
    Plan,
    PlanAction,
    RaterRole,
    RoundParticipant,
    RoundStatus,
)
from competenties.passport import passport_choices
from competenties.plan_state import RUNNING_STATUSES
from competenties.services import round_competencies
from competenties.services_passport import passports_of
from competenties.services_portfolio import competencies_for
from partners.letters import FIELDS as LETTER_FIELDS
from partners.letters import sentence_start
from partners.models import (
    Application,
    CurriculumVitae,
    FollowUp,
    FollowUpWith,
    JobSearchEntry,
    JobSearchOutcome,
    MotivationLetter,
    Stage,
)
from trajects.models import (
    INTAKE_ANSWER_PARTS,
    INTAKE_QUESTIONS,
    CoachingMoment,
    Intake,
    IntakeAnswers,
    IntakeKind,
    StarrNote,
    Trajectory,
    Worker,
)
from trajects.selectors import TimelineEntry
from trajects.state import Phase

# How far an action is, in the worker's words (the plan's own column says "-", "+/-", "+").
DONE_LABELS = {
    Done.NOT: gettext_lazy("Not yet"),
    Done.PARTLY: gettext_lazy("A bit"),
    Done.DONE: gettext_lazy("Yes, done"),
}

# How far back the list of appointments reaches: last week's conversation is still useful.
APPOINTMENTS_SINCE_DAYS = 14


def for_worker(instance):
    """``instance`` as the worker may see it: the declared fields only."""
    return allowed_fields(instance, WORKER_FIELDS[instance._meta.label])


def me(session):
    worker = Worker.objects.visible_to(session).first()
    return for_worker(worker) if worker is not None else None


# --- Mijn plan ----------------------------------------------------------------------------


def _running_plan(session):
    return (
        Plan.objects.visible_to(session)
        .filter(status__in=RUNNING_STATUSES)
        .order_by("-created_at", "-pk")
        .first()
    )


def current_plan(session):
    """The worker's running POP or PDP (the newest), with each action and what the worker
    last said about it; None when no plan is running."""
    plan = _running_plan(session)
    if plan is None:
        return None
    view = for_worker(plan)
    latest: dict[int, PlanProgress] = {}
    for progress in PlanProgress.objects.visible_to(session).filter(action__plan=plan).order_by("at", "pk"):
        latest[progress.action_id] = progress
    view.actions = []
    for action in plan.actions.all():
        item = for_worker(action)
        item.pk = action.pk
        item.progress = for_worker(latest[action.pk]) if action.pk in latest else None
        view.actions.append(item)
    return view


def plan_action(session, pk):
    """One action of one of the worker's plans, or None (another worker's id)."""
    return PlanAction.objects.visible_to(session).filter(pk=pk).first()


# --- Mijn zelfbeoordeling -----------------------------------------------------------------


def _open_participations(session):
    return (
        RoundParticipant.objects.visible_to(session)
        .filter(round__status=RoundStatus.OPEN, round__raters__role=RaterRole.SELF)
        .select_related("round")
        .distinct()
        .order_by("round__ends_on", "round_id")
    )


def open_self_assessments(session) -> list:
    """The open rounds that ask the worker for a self-assessment they have not sent yet."""
    sent = set(
        Assessment.objects.visible_to(session)
        .filter(round_rater__role=RaterRole.SELF, round__isnull=False)
        .values_list("round_id", flat=True)
    )
    rounds = []
    for participation in _open_participations(session):
        if participation.round_id in sent:
            continue
        view = for_worker(participation.round)
        view.pk = participation.round_id
        rounds.append(view)
    return rounds


@dataclass
class Question:
    indicator_pk: int
    competency: str
    behaviour: str


@dataclass
class SelfAssessment:
    round: object
    # The round itself (a model instance) for the service; never given to a template.
    record: object = field(repr=False)
    questions: list[Question]
    sent: bool


def self_assessment(session, round_pk) -> SelfAssessment | None:
    """The questions of one open round the worker takes part in: one per behaviour indicator
    of every competency the round measures (``round_competencies``: its own framework and
    those its job profile draws on, as on the coach's rating form), in that order. None
    outside the worker's rounds."""
    participation = _open_participations(session).filter(round_id=round_pk).first()
    if participation is None:
        return None
    measurement_round = participation.round
    questions = []
    for competency in round_competencies(measurement_round):
        for indicator in competency.indicators.all():
            questions.append(
                Question(indicator.pk, for_worker(competency).name, for_worker(indicator).description)
            )
    sent = (
        Assessment.objects.visible_to(session)
        .filter(round_id=measurement_round.pk, round_rater__role=RaterRole.SELF)
        .exists()
    )
    view = for_worker(measurement_round)
    view.pk = measurement_round.pk
    return SelfAssessment(view, measurement_round, questions, sent)


# --- Mijn afspraken -----------------------------------------------------------------------


@dataclass
class Appointment:
    uid: str
    day: datetime.date
    title: str
    last_day: datetime.date | None = None
    detail: str = ""
    icon: str = "calendar"


def appointments(session, today: datetime.date | None = None) -> list[Appointment]:
    """Coaching moments and the next steps agreed in them, stage days and aftercare
    conversations, from two weeks ago on, in date order."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=APPOINTMENTS_SINCE_DAYS)
    found: list[Appointment] = []
    moments = CoachingMoment.objects.visible_to(session).filter(
        Q(held_on__gte=since) | Q(next_steps_due__gte=since)
    )
    for record in moments:
        moment = for_worker(record)
        if moment.held_on >= since:
            found.append(
                Appointment(
                    f"coaching-{record.pk}",
                    moment.held_on,
                    _("Talk with your coach"),
                    # What was agreed, with its own date when it has one.
                    detail="" if moment.next_steps_due else moment.next_steps,
                    icon="message-square",
                )
            )
        if moment.next_steps_due and moment.next_steps_due >= since:
            found.append(
                Appointment(
                    f"next-steps-{record.pk}",
                    moment.next_steps_due,
                    _("What we agreed"),
                    detail=moment.next_steps,
                    icon="circle-check",
                )
            )
    stages = (
        Stage.objects.visible_to(session)
        .filter(start_date__isnull=False)
        .filter(Q(end_date__gte=since) | Q(end_date__isnull=True, start_date__gte=since))
    )
    for record in stages.select_related("partner"):
        stage = for_worker(record)
        found.append(
            Appointment(
                f"stage-{record.pk}",
                stage.start_date,
                _("Stage at %(place)s") % {"place": stage.partner},
                last_day=stage.end_date,
                icon="briefcase",
            )
        )
    follow_ups = (
        FollowUp.objects.visible_to(session).open().filter(with_whom=FollowUpWith.WORKER, due_on__gte=since)
    )
    for record in follow_ups:
        follow_up = for_worker(record)
        found.append(
            Appointment(
                f"follow-up-{record.pk}", follow_up.due_on, _("Talk about your new job"), icon="phone"
            )
        )
    return sorted(found, key=lambda appointment: (appointment.day, appointment.uid))


# --- Mijn stoefboek -----------------------------------------------------------------------


@dataclass
class Stoefboek:
    items: list
    stories: list


def _item(achievement):
    item = for_worker(achievement)
    item.pk = achievement.pk
    item.confirmed = achievement.is_confirmed
    # Whether there is a photo, never the photo: photos are a declared group for the coach.
    item.has_photo = bool(achievement.photo)
    item.competencies = [for_worker(competency).name for competency in achievement.competencies.all()]
    item.competency_pks = [competency.pk for competency in achievement.competencies.all()]
    return item


def stoefboek(session) -> Stoefboek:
    """The worker's own items, newest first, and the STARR notes the coach shared as stories."""
    achievements = (
        Achievement.objects.visible_to(session)
        .prefetch_related("competencies")
        .order_by("-achieved_on", "-pk")
    )
    stories = StarrNote.objects.visible_to(session).filter(shared_with_worker=True).order_by("-created_at")
    return Stoefboek([_item(a) for a in achievements], [for_worker(note) for note in stories])


def stoefboek_item(session, pk):
    """One item of the worker's own stoefboek as the page shows it, or None (another
    worker's id)."""
    achievement = (
        Achievement.objects.visible_to(session).filter(pk=pk).prefetch_related("competencies").first()
    )
    return _item(achievement) if achievement is not None else None


def competency_choices(session) -> list[tuple[int, str]]:
    """The competencies the worker can link to an item: their organisation's."""
    worker = Worker.objects.visible_to(session).first()
    if worker is None:
        return []
    return [(competency.pk, for_worker(competency).name) for competency in competencies_for(worker)]


# --- Tekenen ------------------------------------------------------------------------------


@dataclass
class ToSign:
    # What the page shows of it: the plan, or the first intake's commitments, cut to
    # WORKER_FIELDS.
    document: object
    # The record the signatures bind (the plan, the trajectory).
    pk: int
    # Per role (the worker, the coach): signed for this version, or signed an older one.
    worker_signed: bool
    worker_outdated: bool
    coach_signed: bool


def _to_sign(kind_key: str, record, document) -> ToSign:
    state = signature_state(kind_key, record)
    return ToSign(
        document=document,
        pk=record.pk,
        worker_signed=SignerRole.WORKER in state.current,
        worker_outdated=SignerRole.WORKER not in state.current and SignerRole.WORKER in state.outdated,
        coach_signed=SignerRole.COACH in state.current,
    )


def plan_to_sign(session) -> ToSign | None:
    """The worker's running plan and who signed its current version; None without a plan."""
    plan = _running_plan(session)
    if plan is None:
        return None
    return _to_sign("plan", plan, for_worker(plan))


def commitment_intake(session, trajectory_pk=None):
    """The first intake of the worker's current trajectory (or of ``trajectory_pk``, when it
    is that one) once it holds a commitment statement: the intake the statement is part
    of. None otherwise, and for another worker's trajectory."""
    trajectories = Trajectory.objects.visible_to(session).current()
    if trajectory_pk is not None:
        trajectories = trajectories.filter(pk=trajectory_pk)
    trajectory = trajectories.first()
    if trajectory is None:
        return None
    intake = (
        Intake.objects.visible_to(session)
        .filter(trajectory=trajectory, kind=IntakeKind.FIRST)
        .select_related("trajectory__worker")
        .first()
    )
    if intake is None or not intake.commitment_statement.strip():
        return None
    return intake


def commitment_to_sign(session) -> ToSign | None:
    """The commitment statement of the worker's current trajectory, as the worker reads it
    (only the commitments: none of the intake's other answers), and who signed its current
    version; None while there is no statement."""
    intake = commitment_intake(session)
    if intake is None:
        return None
    return _to_sign("commitment_statement", intake.trajectory, for_worker(intake))


# --- Vragen over mij ----------------------------------------------------------------------


@dataclass
class IntakeQuestion:
    name: str
    part: str
    question: str
    answer: str


@dataclass
class MyIntake:
    # The worker may still write and send: the current trajectory is in its voortraject and
    # neither the worker sent the answers nor the coach completed the first intake.
    open: bool
    sent_at: datetime.datetime | None
    questions: list[IntakeQuestion]

    @property
    def answered(self) -> int:
        return sum(1 for question in self.questions if question.answer.strip())


def intake_open(session, trajectory, answers) -> bool:
    """Whether the worker may still change their answers for ``trajectory`` (the service
    checks the same before each save)."""
    if trajectory.phase != Phase.VOORTRAJECT or (answers is not None and answers.is_sent):
        return False
    return not (
        Intake.objects.visible_to(session)
        .filter(trajectory=trajectory, kind=IntakeKind.FIRST, completed_on__isnull=False)
        .exists()
    )


def my_intake(session) -> MyIntake | None:
    """The intake questions of the worker's current trajectory with their answers so far;
    None without a current trajectory."""
    trajectory = Trajectory.objects.visible_to(session).current().first()
    if trajectory is None:
        return None
    record = IntakeAnswers.objects.visible_to(session).filter(trajectory=trajectory).first()
    answers = for_worker(record) if record is not None else None
    questions = [
        IntakeQuestion(name, str(INTAKE_ANSWER_PARTS[part]), str(question), getattr(answers, name, "") or "")
        for name, part, question in INTAKE_QUESTIONS
    ]
    return MyIntake(intake_open(session, trajectory, record), answers.sent_at if answers else None, questions)


# --- Mijn paspoort -----------------------------------------------------------------------

# What each kind of passport item is called on the worker's page, in easy words.
PASSPORT_KIND_LABELS = {
    "agreed_level": gettext_lazy("What I can do (agreed with my coach)"),
    "stoefboek": gettext_lazy("From my stoefboek (confirmed by my coach)"),
    "cv": gettext_lazy("My CV"),
}

# What happened when someone opened a link, in the worker's words.
OPENING_LABELS = {
    PassportOpening.SHOWN: gettext_lazy("Opened and read"),
    PassportOpening.REVOKED: gettext_lazy("Tried after the link was stopped"),
    PassportOpening.EXPIRED: gettext_lazy("Tried after the link ended"),
}


@dataclass
class PassportGroup:
    key: str
    label: str
    # (value for the form, what the worker sees)
    options: list[tuple[str, str]]


def passport_groups(session) -> list[PassportGroup]:
    """What the worker may put in a passport now, per kind, with the form's values."""
    worker = Worker.objects.visible_to(session).first()
    if worker is None:
        return []
    return [
        PassportGroup(
            kind.key,
            PASSPORT_KIND_LABELS.get(kind.key, kind.label),
            [(f"{kind.key}:{choice.ref}", choice.label) for choice in choices],
        )
        for kind, choices in passport_choices(worker)
    ]


@dataclass
class MyPassports:
    active: list = field(default_factory=list)
    ended: list = field(default_factory=list)


def my_passports(session, now=None) -> MyPassports:
    """The worker's own links, newest first: with whom, until when, what each still shows,
    and every time it was opened. A link works until it is stopped or its end date."""
    worker = Worker.objects.visible_to(session).first()
    found = MyPassports()
    if worker is None:
        return found
    now = now or timezone.now()
    labels = {option[0]: option[1] for group in passport_groups(session) for option in group.options}
    for passport in passports_of(worker):
        view = for_worker(passport)
        view.pk = passport.pk
        view.expired = passport.is_expired(now)
        view.shows = [
            labels[f"{item.kind}:{item.ref}"]
            for item in passport.items.all()
            if f"{item.kind}:{item.ref}" in labels
        ]
        view.openings = []
        for opening in passport.views.all():
            row = for_worker(opening)
            row.label = OPENING_LABELS.get(opening.outcome, row.outcome_display)
            view.openings.append(row)
        (found.ended if passport.is_revoked or view.expired else found.active).append(view)
    return found


# --- Mijn cv en brief ---------------------------------------------------------------------


@dataclass
class MyCv:
    cv: object
    # The version the page shows: a save compares it, so that nobody's edit in between is lost.
    version: int
    me: object


def my_cv(session) -> MyCv | None:
    """The worker's CV with their name and contact details as it heads it; None without one."""
    record = CurriculumVitae.objects.visible_to(session).select_related("worker").first()
    if record is None:
        return None
    return MyCv(for_worker(record), record.version, for_worker(record.worker))


def cv_record(session):
    """The worker's own CV, to print; None without one."""
    return CurriculumVitae.objects.visible_to(session).first()


@dataclass
class LetterJob:
    key: str
    job_title: str
    employer: str
    # The partner vacancy, for the service; never given to a template.
    vacancy: object = field(default=None, repr=False)


def letter_jobs(session) -> list[LetterJob]:
    """The jobs the worker can write a letter for: those on their job-search log that are
    still open (to apply for, or applied), and the partner vacancies the coach applied for
    with them; each job and employer once."""
    jobs: dict[tuple[str, str], LetterJob] = {}
    entries = (
        JobSearchEntry.objects.visible_to(session)
        .filter(outcome__in=(JobSearchOutcome.TO_APPLY, JobSearchOutcome.APPLIED))
        .select_related("vacancy__partner")
    )
    for record in entries:
        entry = for_worker(record)
        job = LetterJob(f"search-{record.pk}", entry.job_title, entry.employer, record.vacancy)
        jobs.setdefault((job.job_title, job.employer), job)
    applications = (
        Application.objects.visible_to(session)
        .filter(vacancy__isnull=False)
        .select_related("vacancy__partner")
        .order_by("-sent_on", "-pk")
    )
    for record in applications:
        vacancy = for_worker(record.vacancy)
        employer = for_worker(record.vacancy.partner).name
        job = LetterJob(f"application-{record.pk}", vacancy.title, employer, record.vacancy)
        jobs.setdefault((job.job_title, job.employer), job)
    return [job for job in jobs.values() if job.job_title.strip() and job.employer.strip()]


def _letter_item(record):
    letter = for_worker(record)
    letter.pk = record.pk
    return letter


def my_letters(session) -> list:
    return [_letter_item(record) for record in MotivationLetter.objects.visible_to(session)]


@dataclass
class MyLetter:
    letter: object
    version: int
    me: object
    # (field name, the fixed start of the sentence, what the worker wrote) in the letter's order.
    sentences: list[tuple[str, str, str]]


def my_letter(session, pk) -> MyLetter | None:
    """One of the worker's letters with each sentence's start; None for another worker's id."""
    record = MotivationLetter.objects.visible_to(session).filter(pk=pk).select_related("worker").first()
    if record is None:
        return None
    letter = _letter_item(record)
    sentences = [(name, sentence_start(letter, name), getattr(letter, name)) for name in LETTER_FIELDS]
    return MyLetter(letter, record.version, for_worker(record.worker), sentences)


def letter_record(session, pk):
    """One of the worker's own letters, to print; None for another worker's id."""
    return MotivationLetter.objects.visible_to(session).filter(pk=pk).first()


# --- For the coach ------------------------------------------------------------------------


def plan_progress_entries(worker, reader, window) -> list[TimelineEntry]:
    """The worker's ticks and comments on their plan, in the worker's timeline (for staff
    readers; the worker's own pages show them with the plan)."""
    if is_worker_session(reader):
        return []
    rows = PlanProgress.objects.of_worker(worker).select_related("action")
    entries = []
    for progress in window.newest(rows, "at", "portal_plan"):
        lines = [
            (_("action"), progress.action.action),
            (_("done"), str(DONE_LABELS.get(progress.done, progress.done))),
        ]
        if progress.comment:
            lines.append((_("comment"), progress.comment))
        entries.append(
            TimelineEntry(
                progress.at,
                "portal_plan",
                _("The worker ticked their plan"),
                _("the worker"),
                lines,
                progress.pk,
            )
        )
    return entries


def intake_answers_entries(worker, reader, window) -> list[TimelineEntry]:
    """The worker's answers to the intake questions, when they sent them, in the worker's
    timeline (for staff readers; a draft stays the worker's until sent)."""
    if is_worker_session(reader):
        return []
    rows = IntakeAnswers.objects.of_worker(worker).filter(sent_at__isnull=False)
    entries = []
    for record in window.newest(rows, "sent_at", "portal_intake"):
        lines = [
            (str(question), getattr(record, name))
            for name, _part, question in INTAKE_QUESTIONS
            if getattr(record, name)
        ]
        entries.append(
            TimelineEntry(
                record.sent_at,
                "portal_intake",
                _("The worker sent their answers to the intake questions"),
                _("the worker"),
                lines,
                record.pk,
            )
        )
    return entries
