import uuid
from datetime import date

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import ORGANISATION_WIDE_ROLES, Perm, ScopedQuerySet, has_perm
from bwise.accounts.models import Organisation
from bwise.core.versioning import Versioned
from trajects import state
from trajects.state import Outcome, Phase, Status, Trigger


class Statuut(models.TextChoices):
    LDE = "lde", _("LDE (local services economy)")
    MAATWERK = "maatwerk", _("customised work (maatwerk)")
    ARTIKEL_60 = "artikel_60", _("article 60")
    LEERWERKNEMER = "leerwerknemer", _("work-study employee (leerwerknemer)")
    OTHER = "other", _("other")


class Persona(models.TextChoices):
    VEILIG_HIER = "veilig_hier", _("Safe here (Veilig Hier)")
    ONGESCHOOLD = "ongeschoold_zacht", _("Unschooled in soft skills (Ongeschoold in zachte vaardigheden)")
    OP_GROEI = "op_groei", _("Growth-oriented (Op groei gericht)")
    STERKER = "sterker_teruggekeerd", _("Returned stronger (Sterker teruggekeerd)")


class IcfDistance(models.TextChoices):
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


class DutchLevel(models.TextChoices):
    NONE = "none", _("none")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    NATIVE = "native", _("native speaker")


class Precondition(models.TextChoices):
    CHILDCARE = "childcare", _("childcare")
    TRANSPORT = "transport", _("transport")
    HOUSING = "housing", _("housing")
    HEALTH = "health", _("health")
    LANGUAGE = "language", _("language")


class EmploymentEndReason(models.TextChoices):
    EXTERN = "extern_doorgestroomd", _("moved on externally (extern doorgestroomd)")
    INTERN = "intern_doorgestroomd", _("moved on internally to another social-economy employer")
    CONTRACT_END = "contract_end", _("end of contract")
    RETIREMENT = "retirement", _("retirement")
    OTHER = "other", _("other")


# The guide's C4 reason for a move to the regular economy, in the product's own words.
C4_REASON_NEC = _(
    "Termination by mutual consent to move on to an employment contract in the regular economy "
    "(NEC) with better working conditions."
)


def _employed_q(day: date) -> models.Q:
    return models.Q(employment_end__isnull=True) | models.Q(employment_end__gte=day)


class WorkerQuerySet(ScopedQuerySet):
    worker_path = ""

    def employed_on(self, day: date):
        """The workers still employed on ``day``: the one rule for who counts in the caseload,
        the yearly POP, the LDE limit, every figure of today and every reminder. The end of
        employment is the last day worked."""
        return self.filter(_employed_q(day))

    def left_by(self, day: date):
        """The workers ``employed_on`` leaves out: their employment ended before ``day``."""
        return self.exclude(_employed_q(day))

    def employed_ids_on(self, day: date):
        """``employed_on`` as a subquery of worker ids, for records that hang on a worker."""
        return self.employed_on(day).values("pk")

    def team_names(self, user) -> list[str]:
        """The team names of the workers ``user`` sees. A reader of the whole organisation
        reads its short team list; anyone else the teams of their own few workers."""
        if has_perm(user, Perm.VIEW_WORKERS) and user.has_role(*ORGANISATION_WIDE_ROLES):
            return list(Team.objects.visible_to(user).values_list("name", flat=True))
        workers = self.visible_to(user).exclude(team="")
        return list(workers.order_by("team").values_list("team", flat=True).distinct())


class TeamQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_WORKERS


class Team(models.Model):
    """A team name that workers of the organisation carry: the team filter's choices, so
    that offering them reads a short list rather than every worker. Kept in step with the
    workers by ``trajects.services.teams_sync``."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("team or department"), max_length=100)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_per_organisation")
        ]

    def __str__(self):
        return self.name


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    # The history page diffs each event with the one before it of the same worker: an
    # index lookup each, rather than a scan of all the worker's events per event.
    meta={"indexes": [models.Index(fields=["pgh_obj", "pgh_id"], name="workerevent_obj_pgh_id")]},
)
class Worker(Versioned):
    """A doelgroepmedewerker: a target-group worker of one organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="workers"
    )
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The worker's number in the payroll or HR system; a re-import updates the same worker."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transition coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_workers",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shop-floor supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_workers",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    statuut = models.CharField(_("statuut"), max_length=20, choices=Statuut.choices, blank=True)
    statuut_start = models.DateField(
        _("statuut start date"),
        null=True,
        blank=True,
        help_text=_(
            "Start of the current statuut; for LDE the five-year limit counts from here. A new "
            "statuut keeps the previous one in the worker's statuut history."
        ),
    )
    employment_start = models.DateField(_("employed since"), null=True, blank=True)
    employment_end = models.DateField(
        _("employment ended on"),
        null=True,
        blank=True,
        help_text=_("The last day of employment at the organisation."),
    )
    employment_end_reason = models.CharField(
        _("reason the employment ended"), max_length=30, choices=EmploymentEndReason.choices, blank=True
    )
    employment_end_c4_reason = models.CharField(_("reason on form C4"), max_length=300, blank=True)
    employment_end_notes = models.TextField(_("notes on the end of employment"), blank=True)
    team = models.CharField(_("team or department"), max_length=100, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    dutch_level = models.CharField(_("level of Dutch"), max_length=10, choices=DutchLevel.choices, blank=True)
    persona = models.CharField(_("B-WISE persona"), max_length=30, choices=Persona.choices, blank=True)
    preconditions = ArrayField(
        models.CharField(max_length=20, choices=Precondition.choices),
        verbose_name=_("preconditions to remedy"),
        default=list,
        blank=True,
    )
    precondition_notes = models.TextField(_("notes on the preconditions"), blank=True)
    support_network = models.TextField(_("support network"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    # Special-category data: see trajects.sensitive for who sees it.
    icf_indication = models.CharField(_("ICF distance indication"), max_length=200, blank=True)
    icf_distance = models.CharField(
        _("distance to the labour market (ICF)"), max_length=10, choices=IcfDistance.choices, blank=True
    )
    health_notes = models.TextField(_("health"), blank=True)
    disability_notes = models.TextField(_("disability"), blank=True)
    justice_notes = models.TextField(_("justice history"), blank=True)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("also shared with"),
        blank=True,
        related_name="shared_workers",
        help_text=_("Other coaches who may follow this worker."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="worker_external_id_unique_per_organisation",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "coach"]),
            models.Index(fields=["organisation", "supervisor"]),
            models.Index(fields=["organisation", "last_name", "first_name"]),
            # The ids of an organisation's workers from the index alone: records bounded by
            # them (stages, hires, nazorg contacts on the dashboard) semi-join every worker,
            # and reading 30,000 rows of the table for their ids cost about 8 ms a query.
            models.Index(fields=["organisation", "id"], name="worker_organisation_ids"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_employed_on(self, day: date) -> bool:
        return self.employment_end is None or self.employment_end >= day

    @property
    def has_left(self) -> bool:
        return not self.is_employed_on(timezone.localdate())

    @property
    def lde_limit_date(self) -> date | None:
        """LDE workers must move on to the regular economy within a fixed number of years."""
        if self.statuut != Statuut.LDE or self.statuut_start is None:
            return None
        return self.statuut_start + relativedelta(years=settings.LDE_LIMIT_YEARS)

    @property
    def lde_warning(self) -> bool:
        limit = self.lde_limit_date
        if limit is None or self.has_left:
            return False
        return timezone.localdate() >= limit - relativedelta(months=settings.LDE_WARNING_MONTHS)

    @property
    def lde_limit_passed(self) -> bool:
        limit = self.lde_limit_date
        return limit is not None and not self.has_left and timezone.localdate() >= limit


class StatuutPeriodQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class StatuutPeriod(models.Model):
    """One statuut a worker held from ``start`` until the next period's start. The worker's
    ``statuut`` and ``statuut_start`` are the newest period; ``trajects.services`` keeps
    both in step."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="statuut_periods"
    )
    statuut = models.CharField(_("statuut"), max_length=20, choices=Statuut.choices)
    start = models.DateField(_("from"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = StatuutPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["worker", "start", "pk"]
        verbose_name = _("statuut period")
        verbose_name_plural = _("statuut periods")

    def __str__(self):
        return f"{self.get_statuut_display()} · {self.start or '—'}"


class TrajectoryQuerySet(ScopedQuerySet):
    worker_path = "worker"

    def current(self):
        """The open or paused trajectories: a worker has at most one (a database constraint)."""
        return self.exclude(status=Status.CLOSED)

    def closed(self):
        """The trajectories that ended with a closing outcome."""
        return self.filter(status=Status.CLOSED)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Trajectory(models.Model):
    """One doorstroom trajectory of a worker. Its phase and status change only through
    ``trajects.state.apply``, which users reach through ``trajects.services``."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="trajectories"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.VOORTRAJECT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    trigger = models.CharField(_("started on"), max_length=30, choices=Trigger.choices)
    trigger_reason = models.TextField(_("reason for the proposal"), blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    phase_since = models.DateTimeField(_("in this phase since"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=~models.Q(status=Status.CLOSED),
                name="one_open_trajectory_per_worker",
            ),
            models.CheckConstraint(
                condition=~models.Q(trigger=Trigger.ORGANISATION_PROPOSAL) | ~models.Q(trigger_reason=""),
                name="organisation_proposal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.worker} · {self.get_phase_display()} · {self.get_status_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_paused(self) -> bool:
        return self.status == Status.PAUSED


class TrajectoryTransitionQuerySet(ScopedQuerySet):
    worker_path = "trajectory__worker"


class TrajectoryTransition(models.Model):
    """One row per state change: who, when, from, to and why. Never updated."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="transitions"
    )
    name = models.CharField(_("transition"), max_length=30)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_phase = models.CharField(_("from phase"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to phase"), max_length=20, choices=Phase.choices)
    from_status = models.CharField(_("from status"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, choices=Status.choices)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = TrajectoryTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("trajectory transition")
        verbose_name_plural = _("trajectory transitions")
        indexes = [models.Index(fields=["trajectory", "at"])]

    def __str__(self):
        return f"{self.name} {self.from_phase}/{self.from_status} → {self.to_phase}/{self.to_status}"

    @property
    def label(self):
        transition = state.named(self.name)
        return transition.label if transition else self.name


class IntakeKind(models.TextChoices):
    FIRST = "first", _("first intake")
    SECOND = "second", _("second intake")


def _questionnaire_path(intake, filename: str) -> str:
    # A random name: the worker's name from the uploaded file never reaches the disk.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"intake-questionnaires/{uuid.uuid4().hex}.{suffix}"


class IntakeQuerySet(ScopedQuerySet):
    worker_path = "trajectory__worker"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Intake(Versioned):
    """Intakegesprek 1 (information, motivation, commitment) or 2 (screening, with a second coach)."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="intakes"
    )
    kind = models.CharField(_("intake"), max_length=10, choices=IntakeKind.choices)
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    # Intake 1
    information_given = models.TextField(_("information given on internal and external options"), blank=True)
    motivation = models.TextField(_("motivation and interest"), blank=True)
    mutual_expectations = models.TextField(_("mutual expectations"), blank=True)
    milestones = models.TextField(_("milestones"), blank=True)
    commitment_statement = models.TextField(_("commitment statement"), blank=True)
    agreed_by_worker_on = models.DateField(_("agreed by the worker on"), null=True, blank=True)
    agreed_by_coach_on = models.DateField(_("agreed by the coach on"), null=True, blank=True)
    # Intake 2
    second_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Or someone from outside: the guide recommends an independent second coach.
    external_second_coach = models.CharField(_("external second coach (name)"), max_length=200, blank=True)
    external_second_coach_organisation = models.CharField(
        _("organisation of the external second coach"), max_length=200, blank=True
    )
    # Intake 1: the worker's own answers about past, present and future, scanned from paper.
    questionnaire_scan = models.FileField(
        _("intake questionnaire (scan)"), upload_to=_questionnaire_path, blank=True, max_length=200
    )
    education_and_work_history = models.TextField(_("education and work history"), blank=True)
    personal_and_social_situation = models.TextField(_("personal and social situation"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["trajectory", "kind"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "kind"], name="one_intake_of_each_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.trajectory.worker}"


# The worker's own questions about their past, present and future (the guide's intake
# questionnaire, 3.1.3.1), asked on the worker's pages before the first intake: (field, part,
# question) in the order asked. Deliberately no question about health, disability, justice
# or the personal and social situation: those special categories stay in the conversation
# with the coach, under the privacy declaration (the second intake's screening).
INTAKE_ANSWER_PARTS = {
    "past": _("In the past"),
    "now": _("Now"),
    "later": _("Later"),
}
INTAKE_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("education", "past", _("Which school or training did you do?")),
    ("work_history", "past", _("Where have you worked before?")),
    ("likes_now", "now", _("What do you like to do in your work now?")),
    ("hard_now", "now", _("What do you find difficult in your work?")),
    ("future_job", "later", _("What work do you want to do later?")),
    ("want_to_learn", "later", _("What do you want to learn?")),
    ("needs", "later", _("What do you need to do that?")),
)
INTAKE_ANSWER_FIELDS = tuple(name for name, _part, _question in INTAKE_QUESTIONS)


class IntakeAnswersQuerySet(ScopedQuerySet):
    worker_path = "trajectory__worker"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class IntakeAnswers(models.Model):
    """The worker's own answers to the intake questions (``INTAKE_QUESTIONS``), written on
    their own pages before the first intake. A record of its own, so that the coach's intake
    fields are never written over: the coach reads the answers once they are sent and goes
    through them in the conversation ("overloop en vul het aan"). Sent, they are read-only."""

    trajectory = models.OneToOneField(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="intake_answers"
    )
    education = models.TextField(_("school or training"), blank=True)
    work_history = models.TextField(_("where the worker has worked"), blank=True)
    likes_now = models.TextField(_("what the worker likes in their work now"), blank=True)
    hard_now = models.TextField(_("what the worker finds difficult"), blank=True)
    future_job = models.TextField(_("the work the worker wants to do later"), blank=True)
    want_to_learn = models.TextField(_("what the worker wants to learn"), blank=True)
    needs = models.TextField(_("what the worker needs for that"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = IntakeAnswersQuerySet.as_manager()

    class Meta:
        verbose_name = _("the worker's intake answers")
        verbose_name_plural = _("the workers' intake answers")

    def __str__(self):
        return f"{self._meta.verbose_name} · {self.trajectory.worker}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class StarrNoteQuerySet(ScopedQuerySet):
    worker_path = "intake__trajectory__worker"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class StarrNote(models.Model):
    """An observation in STARR form: Situatie, Taak, Activiteiten, Resultaat, Reflectie."""

    intake = models.ForeignKey(
        Intake, verbose_name=_("intake"), on_delete=models.CASCADE, related_name="starr_notes"
    )
    situation = models.TextField(_("situation"))
    task = models.TextField(_("task"), blank=True)
    competencies = models.ManyToManyField(
        "competenties.Competency",
        verbose_name=_("competencies it shows"),
        blank=True,
        related_name="starr_notes",
    )
    activities = models.TextField(_("activities"), blank=True)
    result = models.TextField(_("result"), blank=True)
    reflection = models.TextField(_("reflection"), blank=True)
    # The coach's notes stay the coach's until the coach chooses to show one to the worker,
    # in whose stoefboek it then appears as a story.
    shared_with_worker = models.BooleanField(_("shared with the worker as a story"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = StarrNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("STARR note")
        verbose_name_plural = _("STARR notes")

    def __str__(self):
        return self.situation[:60]


class JobDefinitionQuerySet(ScopedQuerySet):
    worker_path = "trajectory__worker"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class JobDefinition(models.Model):
    """Job-bepaling: from dreams and interests to a realistic job target and the steps towards it."""

    trajectory = models.OneToOneField(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="job_definition"
    )
    dreams_and_interests = models.TextField(_("dreams, interests and passions"), blank=True)
    job_target = models.CharField(_("job target"), max_length=200, blank=True)
    intermediate_steps = models.TextField(_("realistic intermediate steps"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = JobDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("job definition")
        verbose_name_plural = _("job definitions")

    def __str__(self):
        return self.job_target or str(_("job definition"))


class CoachingKind(models.TextChoices):
    FORMAL = "formal", _("formal")
    INFORMAL = "informal", _("informal")


class CoachingMomentQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CoachingMoment(models.Model):
    """A formal or informal coaching conversation; they go on through every phase."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="coaching_moments"
    )
    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_moments",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=CoachingKind.choices, default=CoachingKind.FORMAL
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"))
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    next_steps_due = models.DateField(_("next steps due by"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = CoachingMomentQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("coaching moment")
        verbose_name_plural = _("coaching moments")
        indexes = [models.Index(fields=["worker", "held_on"])]

    def __str__(self):
        return f"{self.held_on} · {self.get_kind_display()}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being imported")
    DONE = "done", _("done")
    FAILED = "failed", _("not imported")


class ImportJobQuerySet(ScopedQuerySet):
    """An import is followed by whoever started it, as a printed document is."""

    organisation_path = "organisation"
    view_perm = Perm.IMPORT_WORKERS

    def visible_to(self, user):
        return super().visible_to(user).filter(requested_by_id=user.pk)


class ImportJob(models.Model):
    """A large worker import, checked and saved by a Celery worker (all rows or none) while
    the page shows how far the check is."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="+"
    )
    # The private upload the rows are in (``trajects.importing.save_upload``), never a path.
    upload = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"))
    checked = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("new workers"), default=0)
    updated_count = models.PositiveIntegerField(_("updated workers"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("worker import")
        verbose_name_plural = _("worker imports")

    def __str__(self):
        return str(_("Import of %(rows)s rows") % {"rows": self.total})

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.checked / self.total) if self.total else 100


class SummaryQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_DASHBOARD


class Summary(models.Model):
    """One count of the dashboard's summaries (``trajects.summaries``): how many workers (or
    trajectories, or stays) of an organisation fall on one key. ``kind`` says which figure
    the row serves and which of the key's columns it uses; the others keep their empty
    value. Written only by ``trajects.summaries``."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    # A month (its first day) for counts over time, a date for deadlines.
    day = models.DateField(null=True)
    phase = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=30, blank=True)
    statuut = models.CharField(max_length=20, blank=True)
    team = models.CharField(max_length=100, blank=True)
    # A user's id as part of the key (0: none), not a reference: the row is a count.
    coach_id = models.IntegerField(default=0)
    days = models.IntegerField(default=0)
    # The last day of employment of the workers a count of today holds: the row is read only
    # up to that day, so that an end of employment leaves the figures on its date, with no
    # job having to run at midnight (empty: still employed, or a count over time).
    until = models.DateField(null=True)
    n = models.IntegerField(default=0)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary count")
        verbose_name_plural = _("summary counts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "kind",
                    "day",
                    "phase",
                    "outcome",
                    "statuut",
                    "team",
                    "coach_id",
                    "days",
                    "until",
                ],
                nulls_distinct=False,
                name="summary_key",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.day or ''} {self.phase} {self.statuut} {self.team}: {self.n}"


class SummaryState(models.Model):
    """When an organisation's summaries were last computed in full: from then on the services
    keep them up to date and the dashboard reads them."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.organisation_id}: {self.computed_at:%Y-%m-%d %H:%M}"


class KickOffQuerySet(ScopedQuerySet):
    # Seen by whoever sees one of its participants.
    worker_path = "participants"

    def visible_to(self, user):
        return super().visible_to(user).distinct()


class KickOff(models.Model):
    """A kick-off meeting with fellow candidates: the approach explained, commitments and
    expectations listed together. It shows on the timeline of every participant."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="kick_offs"
    )
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    notes = models.TextField(_("approach, commitments and expectations"), blank=True)
    participants = models.ManyToManyField(
        Worker, verbose_name=_("participants"), through="KickOffParticipant", related_name="kick_offs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = KickOffQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("kick-off meeting")
        verbose_name_plural = _("kick-off meetings")

    def __str__(self):
        return f"{_('kick-off meeting')} {self.held_on}"


class KickOffParticipantQuerySet(ScopedQuerySet):
    worker_path = "worker"


class KickOffParticipant(models.Model):
    kick_off = models.ForeignKey(
        KickOff, verbose_name=_("kick-off meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="kick_off_attendances"
    )

    objects = KickOffParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("kick-off participant")
        verbose_name_plural = _("kick-off participants")
        constraints = [
            models.UniqueConstraint(fields=["kick_off", "worker"], name="kick_off_participant_once"),
        ]

    def __str__(self):
        return f"{self.worker} · {self.kick_off}"
