"""Competency frameworks, job profiles, measurement rounds, assessments, WAKKER observations,
POP/PDP plans, the worker's stoefboek and the evidence of their digital skills.

Past assessments never change when a framework is edited: every indicator score keeps
a snapshot of the competency name and indicator text it was given against, and its
links to the live competency and indicator survive their deletion as NULL. Snapshots
were chosen over versioned frameworks because they keep one editable framework per
organisation (what coaches expect) while an assessment stays readable on its own.
"""

import uuid

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bwise.access import Perm, ScopedQuerySet
from bwise.accounts.models import Organisation
from bwise.core.versioning import Versioned
from competenties.plan_state import PlanStatus
from trajects.models import Worker


class Level(models.IntegerChoices):
    INSUFFICIENT = 1, _("Insufficient")
    FAIR = 2, _("Fair")
    GOOD = 3, _("Good")
    VERY_GOOD = 4, _("Very good")


class Category(models.TextChoices):
    CORE = "core", _("Core")
    ADDITIONAL = "additional", _("Additional")
    EXTRA = "extra", _("Extra")
    # A framework that does not group its competencies (the BW/MELBA map) invents no groups.
    NONE = "none", _("No group")


class FrameworkQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_WORKERS


class Framework(Versioned):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="frameworks"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    template_key = models.CharField(
        _("copied from template"),
        max_length=50,
        blank=True,
        help_text=_("The shipped template it started from."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="framework_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return self.name


class CompetencyQuerySet(ScopedQuerySet):
    organisation_path = "framework__organisation"
    view_perm = Perm.VIEW_WORKERS


class Competency(Versioned):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.CORE)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "order", "pk"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self):
        return self.name


class IndicatorQuerySet(ScopedQuerySet):
    organisation_path = "competency__framework__organisation"
    view_perm = Perm.VIEW_WORKERS


class Indicator(Versioned):
    """A gedragsindicator: one observable behaviour, described at each of the four levels."""

    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="indicators"
    )
    description = models.CharField(_("behaviour"), max_length=300)
    level_1 = models.TextField(_("insufficient"), blank=True)
    level_2 = models.TextField(_("fair"), blank=True)
    level_3 = models.TextField(_("good"), blank=True)
    level_4 = models.TextField(_("very good"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["competency", "order", "pk"]
        verbose_name = _("behaviour indicator")
        verbose_name_plural = _("behaviour indicators")

    def __str__(self):
        return self.description


class JobProfileKind(models.TextChoices):
    INTERNAL = "internal", _("Internal job")
    PARTNER_VACANCY = "partner_vacancy", _("Partner vacancy")


class JobProfileQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_WORKERS


class JobProfile(models.Model):
    """A functieprofiel / jobdoelwit: the minimum level (cut-off) per competency that a job needs."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="job_profiles"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=JobProfileKind.choices, default=JobProfileKind.INTERNAL
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="job_profiles"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = JobProfileQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("job profile")
        verbose_name_plural = _("job profiles")

    def __str__(self):
        return self.name


class JobProfileRequirementQuerySet(ScopedQuerySet):
    organisation_path = "job_profile__organisation"
    view_perm = Perm.VIEW_WORKERS


class JobProfileRequirement(models.Model):
    job_profile = models.ForeignKey(
        JobProfile, verbose_name=_("job profile"), on_delete=models.CASCADE, related_name="requirements"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="requirements"
    )
    minimum_level = models.PositiveSmallIntegerField(_("minimum level"), choices=Level.choices)

    objects = JobProfileRequirementQuerySet.as_manager()

    class Meta:
        ordering = ["competency__order", "competency__pk"]
        verbose_name = _("job profile requirement")
        verbose_name_plural = _("job profile requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["job_profile", "competency"], name="one_requirement_per_competency"
            ),
        ]

    def __str__(self):
        return f"{self.competency} ≥ {self.minimum_level}"


class RaterRole(models.TextChoices):
    SELF = "self", _("The worker (self-assessment)")
    COACH = "coach", _("Transition coach")
    SUPERVISOR = "werkvloerbegeleider", _("Shop-floor supervisor")
    EXTERNAL = "external", _("External assessor")


class Method(models.TextChoices):
    OBSERVATION = "observation", _("Shop-floor observation")
    ASSESSMENT_CENTER = "assessment_center", _("Assessment center")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    INTERVIEW = "interview", _("Interview")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open: raters rate")
    CLOSED = "closed", _("Closed: levels agreed")


class MeasurementRoundQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_WORKERS

    def visible_to(self, user):
        """A round of the organisation with at least one worker the user may see."""
        participants = RoundParticipant.objects.visible_to(user).values("round_id")
        return super().visible_to(user).filter(pk__in=participants)


@pghistory.track()
class MeasurementRound(models.Model):
    """A competency measurement: several raters rate the same workers against one framework
    in a period, independently, after which the coach records the agreed levels."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="rounds"
    )
    job_profile = models.ForeignKey(
        "JobProfile",
        verbose_name=_("job profile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        help_text=_("Optional: the job the round measures against; its framework is the round's."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MeasurementRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("measurement round")
        verbose_name_plural = _("measurement rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="round_period_order"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class RoundParticipantQuerySet(ScopedQuerySet):
    worker_path = "worker"


class RoundParticipant(models.Model):
    round = models.ForeignKey(
        MeasurementRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="participants"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="round_participations"
    )

    objects = RoundParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["worker__last_name", "worker__first_name", "pk"]
        verbose_name = _("worker in a round")
        verbose_name_plural = _("workers in a round")
        constraints = [
            models.UniqueConstraint(fields=["round", "worker"], name="one_participation_per_round")
        ]

    def __str__(self):
        return f"{self.round} · {self.worker}"


class RoundRaterQuerySet(ScopedQuerySet):
    organisation_path = "round__organisation"
    view_perm = Perm.VIEW_WORKERS


class RoundRater(models.Model):
    """An invitation to rate every worker of the round. The self-assessment stands for each
    worker rating themselves; an external assessor has a name but no account, and the
    coach enters that rating on their behalf."""

    round = models.ForeignKey(
        MeasurementRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="raters"
    )
    role = models.CharField(_("rater"), max_length=30, choices=RaterRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_invitations",
    )
    external_name = models.CharField(_("external assessor"), max_length=200, blank=True)

    objects = RoundRaterQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("invited rater")
        verbose_name_plural = _("invited raters")

    def __str__(self):
        if self.role == RaterRole.EXTERNAL:
            return self.external_name
        if self.role == RaterRole.SELF:
            return str(RaterRole(self.role).label)
        return str(self.user or RaterRole(self.role).label)

    @property
    def is_professional(self) -> bool:
        return self.role != RaterRole.SELF


class AgreedLevelQuerySet(ScopedQuerySet):
    worker_path = "participant__worker"


@pghistory.track()
class AgreedLevel(models.Model):
    """The consensus step: the level the coach records for one competency of one worker
    after putting the raters' levels side by side."""

    participant = models.ForeignKey(
        RoundParticipant,
        verbose_name=_("worker in the round"),
        on_delete=models.CASCADE,
        related_name="agreed",
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    competency_name = models.CharField(_("competency"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("agreed level"), choices=Level.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    justification = models.TextField(_("justification"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    objects = AgreedLevelQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("agreed level")
        verbose_name_plural = _("agreed levels")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "competency"], name="one_agreed_level_per_competency"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="agreed_level_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.competency_name}: {self.level}"


class AssessmentQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class Assessment(models.Model):
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="assessments"
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="assessments"
    )
    date = models.DateField(_("date"))
    rater_role = models.CharField(_("rater"), max_length=30, choices=RaterRole.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The colleague who rated; empty for the worker's own and external ratings."),
    )
    external_rater_name = models.CharField(_("external assessor"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=30, choices=Method.choices)
    notes = models.TextField(_("notes"), blank=True)
    # Empty for a single rating entered outside a round: it counts as provisional only.
    round = models.ForeignKey(
        MeasurementRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    round_rater = models.ForeignKey(
        RoundRater,
        verbose_name=_("invited rater"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["worker", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round_rater", "worker"], name="one_rating_per_invited_rater_and_worker"
            ),
        ]

    def __str__(self):
        return f"{self.get_rater_role_display()} · {self.date}"

    @property
    def rater_name(self) -> str:
        if self.rater_role == RaterRole.EXTERNAL:
            return self.external_rater_name
        if self.rater_role == RaterRole.SELF:
            return str(self.worker)
        return str(self.rater or "")


class IndicatorScoreQuerySet(ScopedQuerySet):
    worker_path = "assessment__worker"


# Scores are written once with their assessment and never edited, so only changes and
# deletions are recorded: an insert event would double every bulk write for no information.
@pghistory.track(pghistory.UpdateEvent(), pghistory.DeleteEvent())
class IndicatorScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.SET_NULL, null=True, related_name="scores"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.SET_NULL, null=True, related_name="scores"
    )
    # What the rater saw when scoring; shown for past assessments whatever the framework became.
    competency_name = models.CharField(_("competency"), max_length=200)
    indicator_text = models.CharField(_("behaviour"), max_length=300)
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=Level.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    evidence = models.TextField(_("evidence"), blank=True)

    objects = IndicatorScoreQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=4),
                name="indicator_score_level_in_range",
            )
        ]

    def __str__(self):
        return f"{self.indicator_text}: {self.level or '-'}"


class ObservationQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class Observation(models.Model):
    """WAKKER's Waarnemen and Aantekenen: what was seen or said, without interpretation."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="observations"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("observer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    observed_at = models.DateTimeField(_("observed at"))
    text = models.TextField(_("what was seen or said"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The id a device gave an observation written offline: a retried sync finds it and stores nothing twice.
    client_id = models.UUIDField(_("device id"), null=True, blank=True, unique=True, editable=False)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_at", "-pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [models.Index(fields=["worker", "observed_at"])]

    def __str__(self):
        return self.text[:60]


class Valence(models.TextChoices):
    POSITIVE = "positive", _("Shows the competency")
    NEGATIVE = "negative", _("Falls short")
    NEUTRAL = "neutral", _("Neutral")


class ObservationClassificationQuerySet(ScopedQuerySet):
    worker_path = "observation__worker"


@pghistory.track()
class ObservationClassification(models.Model):
    """WAKKER's Klasseren: a later interpretation of one observation, kept apart from the facts."""

    observation = models.ForeignKey(
        Observation, verbose_name=_("observation"), on_delete=models.CASCADE, related_name="classifications"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="classifications"
    )
    valence = models.CharField(_("reading"), max_length=20, choices=Valence.choices, default=Valence.POSITIVE)
    interpretation = models.TextField(_("interpretation"), blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classified by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    classified_at = models.DateTimeField(_("classified at"), auto_now_add=True)

    objects = ObservationClassificationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("interpretation")
        verbose_name_plural = _("interpretations")
        constraints = [
            models.UniqueConstraint(fields=["observation", "competency"], name="one_reading_per_competency"),
        ]

    def __str__(self):
        return f"{self.competency}: {self.get_valence_display()}"


class PlanKind(models.TextChoices):
    POP = "pop", _("POP (personal development plan)")
    PDP = "pdp", _("PDP (personal transition plan)")


class PlanQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class Plan(Versioned):
    """A POP or PDP. Its status changes only through ``competenties.plan_state.apply``,
    which users reach through ``competenties.services.plan_change_status``."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="plans"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind.choices)
    year = models.PositiveIntegerField(
        _("year"), null=True, blank=True, help_text=_("For a POP: the year it covers.")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    reflection = models.TextField(
        _("reflection"), blank=True, help_text=_("Where the worker stands, wants to go, needs and obstacles.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    agreed_by_worker_on = models.DateField(_("agreed by the worker on"), null=True, blank=True)
    agreed_by_coach_on = models.DateField(_("agreed by the coach on"), null=True, blank=True)
    # The later of the two agreement dates: the day the plan became binding, from which
    # the next yearly POP falls due.
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True, editable=False)
    evaluation = models.TextField(_("evaluation"), blank=True)
    source_job_profile = models.ForeignKey(
        JobProfile,
        verbose_name=_("started from the gap with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        indexes = [models.Index(fields=["worker", "kind", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"], condition=models.Q(kind="pop"), name="one_pop_per_worker_per_year"
            ),
        ]

    def __str__(self):
        if self.kind == PlanKind.POP and self.year:
            return f"POP {self.year}"
        return self.title or self.get_kind_display()


class Done(models.TextChoices):
    NOT = "-", "-"
    PARTLY = "+/-", "+/-"
    DONE = "+", "+"


class PlanActionQuerySet(ScopedQuerySet):
    worker_path = "plan__worker"


@pghistory.track()
class PlanAction(Versioned):
    """One SMART action. POP and PDP share the row; each kind shows its own columns (see DOMAIN.md)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField(_("order"), default=0)
    action = models.TextField(_("action"))
    # POP columns
    # In the worker's voice, as the POP form asks it.
    who_helps = models.CharField(
        pgettext_lazy("POP column", "who can help me with this?"), max_length=200, blank=True
    )
    due_date = models.DateField(_("by when"), null=True, blank=True)
    expected_result = models.TextField(_("measurable expected result"), blank=True)
    technical_competencies = models.CharField(_("technical competencies"), max_length=300, blank=True)
    generic_competencies = models.CharField(_("generic competencies"), max_length=300, blank=True)
    # PDP columns
    time_span = models.CharField(_("time span"), max_length=100, blank=True)
    who = models.CharField(_("who"), max_length=200, blank=True)
    # Its own context: the PDP column reads as a question ("Voltooid?"), unlike other "done"s.
    done = models.CharField(
        pgettext_lazy("PDP column", "done"), max_length=3, choices=Done.choices, blank=True
    )
    remarks = models.TextField(_("remarks"), blank=True)

    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self):
        return self.action[:60]


class PlanStatusChangeQuerySet(ScopedQuerySet):
    worker_path = "plan__worker"


class PlanStatusChange(models.Model):
    """One row per status change: who moved the plan, from where to where, and when."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=PlanStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    objects = PlanStatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class CalibrationCaseQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_WORKERS


class CalibrationCase(models.Model):
    """A calibration exercise: several staff rate the same recorded case (a video or a
    written account of a shift, no real worker's record) and then see how far they agree."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="calibration_cases",
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="calibration_cases"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("the recorded case"),
        help_text=_("What the raters watch or read: facts only, and no real worker's name."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CalibrationCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calibration exercise")
        verbose_name_plural = _("calibration exercises")

    def __str__(self):
        return self.title


class CalibrationRatingQuerySet(ScopedQuerySet):
    organisation_path = "case__organisation"
    view_perm = Perm.VIEW_WORKERS


class CalibrationRating(models.Model):
    case = models.ForeignKey(
        CalibrationCase,
        verbose_name=_("calibration exercise"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rater"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    objects = CalibrationRatingQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("calibration rating")
        verbose_name_plural = _("calibration ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rater", "indicator"], name="one_calibration_level_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="calibration_level_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.rater} · {self.indicator}: {self.level}"


class PassportQuerySet(ScopedQuerySet):
    worker_path = "worker"


class Passport(models.Model):
    """A competency passport: what the worker chose to show one employer, through a link
    that needs no account, for a limited time. Only the hash of the link's token is kept,
    so the database holds no working link; the worker and the coach can revoke it."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="passports"
    )
    recipient = models.CharField(
        _("shared with"), max_length=200, help_text=_("The employer or vacancy this passport is for.")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    # Who made and who revoked it: a user, or nobody when the worker did it themselves.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_by_worker = models.BooleanField(_("revoked by the worker"), default=False)

    objects = PassportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("competency passport")
        verbose_name_plural = _("competency passports")

    def __str__(self):
        return f"{self.worker} · {self.recipient}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class PassportItemQuerySet(ScopedQuerySet):
    worker_path = "passport__worker"


class PassportItem(models.Model):
    """One thing the passport shows: an item of a registered kind (``competenties.passport``),
    named by its kind and the id of its record."""

    passport = models.ForeignKey(
        Passport, verbose_name=_("passport"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=30)
    ref = models.BigIntegerField(_("record"))

    objects = PassportItemQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("passport item")
        verbose_name_plural = _("passport items")
        constraints = [
            models.UniqueConstraint(fields=["passport", "kind", "ref"], name="one_item_per_record")
        ]

    def __str__(self):
        return f"{self.kind} #{self.ref}"


class PassportOpening(models.TextChoices):
    SHOWN = "shown", _("shown")
    REVOKED = "revoked", _("refused: revoked")
    EXPIRED = "expired", _("refused: expired")


class PassportViewQuerySet(ScopedQuerySet):
    worker_path = "passport__worker"


class PassportView(models.Model):
    """Each time the link was opened, shown or refused: the worker sees who looked when."""

    passport = models.ForeignKey(
        Passport, verbose_name=_("passport"), on_delete=models.CASCADE, related_name="views"
    )
    viewed_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=PassportOpening.choices)

    objects = PassportViewQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = _("passport view")
        verbose_name_plural = _("passport views")

    def __str__(self):
        return f"{self.passport} · {self.viewed_at:%Y-%m-%d %H:%M}"


# --- Stoefboek and digital skills -------------------------------------------------------


def _achievement_photo_path(achievement, filename: str) -> str:
    # A random name: nothing of the device's file name (a date, a place) reaches the disk.
    return f"stoefboek/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class AchievementQuerySet(ScopedQuerySet):
    worker_path = "worker"

    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


@pghistory.track()
class Achievement(models.Model):
    """An item of the worker's stoefboek: something they did and are proud of. Once the
    coach confirms it, it counts as evidence for its competencies in measurement rounds."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="achievements"
    )
    text = models.TextField(_("what was achieved"))
    achieved_on = models.DateField(_("date"), default=timezone.localdate)
    # Re-encoded on upload (``competenties.stoefboek.clean_photo``): no EXIF, no location.
    photo = models.FileField(_("photo"), upload_to=_achievement_photo_path, blank=True, max_length=200)
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies it shows"), blank=True, related_name="achievements"
    )
    added_by_worker = models.BooleanField(_("added by the worker"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = AchievementQuerySet.as_manager()

    class Meta:
        ordering = ["-achieved_on", "-pk"]
        verbose_name = _("stoefboek item")
        verbose_name_plural = _("stoefboek items")
        indexes = [models.Index(fields=["worker", "achieved_on"])]

    def __str__(self):
        return self.text[:60]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DigitalAction(models.TextChoices):
    """What a worker does in the product that practises a digital skill (B-WISE's goal)."""

    SIGN_IN_ALONE = "sign_in_alone", _("Signed in alone")
    PHOTO = "photo", _("Took a photo and added it")
    SIGNATURE = "signature", _("Signed a document on screen")
    PASSPORT_SHARE = "passport_share", _("Shared the competency passport")
    ONLINE_FORM = "online_form", _("Filled in a form on screen")


class EvidenceStatus(models.TextChoices):
    OBSERVED = "observed", _("Observed, to confirm")
    CONFIRMED = "confirmed", _("Confirmed by the coach")
    REJECTED = "rejected", _("Not confirmed")


class DigitalSkillsConsentQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class DigitalSkillsConsent(models.Model):
    """Whether the worker agrees that what they do in the product is recorded as evidence
    of their digital skills. Without a yes nothing is recorded."""

    worker = models.OneToOneField(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="digital_skills_consent"
    )
    given = models.BooleanField(_("agrees"), default=False)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # Empty when the worker changed it themselves.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DigitalSkillsConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to record digital skills")
        verbose_name_plural = _("consents to record digital skills")

    def __str__(self):
        return f"{self.worker}: {self.given}"


class DigitalSkillEvidenceQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class DigitalSkillEvidence(models.Model):
    """One action of the worker in the product, observed for an indicator of the digital-skills
    framework, for the coach to confirm. Repeats of an action that is still to be confirmed
    count on the same row rather than filling the coach's list."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="digital_skill_evidence"
    )
    action = models.CharField(_("action"), max_length=20, choices=DigitalAction.choices)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the indicator said when the action was observed, as scores keep it.
    competency_name = models.CharField(_("competency"), max_length=200)
    indicator_text = models.CharField(_("behaviour"), max_length=300)
    first_at = models.DateTimeField(_("first seen at"), default=timezone.now)
    last_at = models.DateTimeField(_("last seen at"), default=timezone.now)
    times = models.PositiveIntegerField(_("times"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.OBSERVED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = DigitalSkillEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-last_at", "-pk"]
        verbose_name = _("digital-skills evidence")
        verbose_name_plural = _("digital-skills evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "action"],
                condition=models.Q(status="observed"),
                name="one_open_observation_per_digital_action",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.indicator_text}"


class TrajectoryActivity(models.Model):
    """The newest activity of each trajectory, per source: a database view (migration
    0012), so that the inactivity scan joins one grouped maximum per source instead of
    running six subqueries per trajectory for each place its key and title use the day.
    Assessments, observations and coaching moments are the worker's; the rest the
    trajectory's own. Read only; a migration that changes a column it reads recreates it."""

    trajectory = models.OneToOneField(
        "trajects.Trajectory",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="activity",
    )
    started_at = models.DateTimeField()
    transition_at = models.DateTimeField(null=True)
    intake_on = models.DateField(null=True)
    note_at = models.DateTimeField(null=True)
    coaching_on = models.DateField(null=True)
    assessment_on = models.DateField(null=True)
    observation_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "competenties_trajectoryactivity"

    def __str__(self):
        return f"activity of trajectory {self.trajectory_id}"
