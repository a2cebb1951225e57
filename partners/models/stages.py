"""Stages (TBS, BVS, enclave) with attendance, evaluations and the host mentor's link.

The rules per type are enforced in ``partners.services.stages``; the model only stores.
"""

import datetime

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import ScopedQuerySet
from bwise.core.versioning import Versioned
from competenties.models import Competency, Level
from partners.models.register import Partner
from trajects.models import Trajectory, Worker


class StageKind(models.TextChoices):
    TBS = "tbs", _("TBS (terbeschikkingstelling)")
    BVS = "bvs", _("BVS (beroepsverkennende stage)")
    ENCLAVE = "enclave", _("enclave")


# One line per kind, shown with the choice on the stage form.
KIND_PURPOSE = {
    StageKind.TBS: _(
        "Real work at the host for a period agreed in advance; the worker stays on your payroll "
        "and can always come back."
    ),
    StageKind.BVS: _(
        "One to five days (or two to ten half days) to explore a job at the host, free of "
        "charge: watching and trying, no productive work."
    ),
    StageKind.ENCLAVE: _(
        "A team of your workers works at a client's site under your own supervisor; not a stage: "
        "no job offer is to be expected."
    ),
}


class DayUnit(models.TextChoices):
    FULL = "full", _("full days")
    HALF = "half", _("half days")


class StageQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class Stage(Versioned):
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="stages"
    )
    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stages",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("host"), on_delete=models.PROTECT, related_name="stages"
    )
    kind = models.CharField(_("type"), max_length=10, choices=StageKind.choices)
    post = models.CharField(_("post or department"), max_length=200, blank=True)
    goal = models.TextField(_("goal"))
    # TBS and BVS: the host's mentor. An enclave has none: its own SEC supervisor leads it.
    mentor_name = models.CharField(_("mentor at the host"), max_length=200, blank=True)
    mentor_email = models.EmailField(_("mentor's e-mail"), blank=True)
    mentor_phone = models.CharField(_("mentor's phone"), max_length=40, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # BVS only: its length counted in full or half days.
    day_unit = models.CharField(_("counted in"), max_length=10, choices=DayUnit.choices, blank=True)
    day_count = models.PositiveSmallIntegerField(_("number of days"), null=True, blank=True)
    # Empty while the BVS is planned: the agreement prints as a draft until it is signed.
    agreement_signed_on = models.DateField(_("three-party agreement signed on"), null=True, blank=True)
    programme = models.TextField(_("programme"), blank=True)
    coaching_organisation = models.CharField(
        _("coaching organisation (fourth party, optional)"), max_length=200, blank=True
    )
    # TBS only.
    tbs_paid_by = models.CharField(_("who pays for the work"), max_length=200, blank=True)
    tbs_on_sec_payroll = models.BooleanField(_("the worker stays on our payroll"), default=False)
    tbs_return_guaranteed = models.BooleanField(_("return to our organisation guaranteed"), default=False)
    tbs_return_arrangement = models.TextField(_("how the worker comes back"), blank=True)
    # Enclave only.
    client_contract = models.CharField(
        _("contract with the client (ondernemingscontract)"), max_length=200, blank=True
    )
    team = models.ManyToManyField(
        Worker, verbose_name=_("team of workers"), blank=True, related_name="enclave_stages"
    )
    site_supervisor = models.CharField(
        _("our supervisor leading the team on site"), max_length=200, blank=True
    )
    # The notices are deadlines with reminders, not conditions for saving the enclave.
    union_informed_on = models.DateField(_("union delegation informed on"), null=True, blank=True)
    works_council_meeting_on = models.DateField(_("next meeting of the works council"), null=True, blank=True)
    works_council_informed_on = models.DateField(_("works council informed on"), null=True, blank=True)
    prevention_committee_meeting_on = models.DateField(
        _("next meeting of the prevention committee"), null=True, blank=True
    )
    prevention_committee_informed_on = models.DateField(
        _("prevention committee informed on"), null=True, blank=True
    )
    moves_trajectory_to_stage = models.BooleanField(
        _("this enclave moves the trajectory into the stage phase"), default=False
    )
    contract_in_prospect = models.BooleanField(_("contract in prospect"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("planned at"), default=timezone.now)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.partner} · {self.worker}"

    def in_progress(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.start_date and self.start_date <= today and (self.end_date is None or today <= self.end_date)
        )

    def finished(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.end_date and self.end_date < today)


class StageChildQuerySet(ScopedQuerySet):
    worker_path = "stage__worker"


class MentorLink(models.Model):
    """The host mentor's way in without an account. Only the token's hash is stored, so a
    database leak gives no working link; the coach hands the link out once."""

    stage = models.OneToOneField(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="mentor_link"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = StageChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor link")
        verbose_name_plural = _("mentor links")

    def __str__(self):
        return f"{self.stage} · {self.created_at:%Y-%m-%d}"

    @property
    def expires_on(self) -> datetime.date | None:
        if self.stage.end_date is None:
            return None
        return self.stage.end_date + datetime.timedelta(days=settings.MENTOR_LINK_GRACE_DAYS)

    def usable(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        expires = self.expires_on
        return self.revoked_at is None and (expires is None or today <= expires)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    HALF_DAY = "half_day", _("present half a day")
    ABSENT_REPORTED = "absent_reported", _("absent, reported")
    ABSENT_UNREPORTED = "absent_unreported", _("absent, not reported")


class Attendance(models.Model):
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    absence_reason = models.CharField(_("reason for absence"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    entered_via = models.ForeignKey(
        MentorLink,
        verbose_name=_("entered through the mentor link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The moment the entry was written, on the device for one queued offline: of two entries
    # for the same day the one written last is kept, whichever reaches the server last.
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    # The id a device gave an entry written offline: a retried sync finds it and writes nothing again.
    client_id = models.UUIDField(_("device id"), null=True, blank=True, unique=True, editable=False)

    objects = StageChildQuerySet.as_manager()

    class Meta:
        ordering = ["day"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["stage", "day"], name="one_attendance_per_stage_day")]

    def __str__(self):
        return f"{self.day} · {self.get_status_display()}"

    @property
    def absent(self) -> bool:
        return self.status in (AttendanceStatus.ABSENT_REPORTED, AttendanceStatus.ABSENT_UNREPORTED)


class EvaluationKind(models.TextChoices):
    INTERMEDIATE = "intermediate", _("intermediate")
    # The mentor's view ahead of the final evaluation, which the coach holds on site.
    MENTOR_INPUT = "mentor_input", _("mentor's input for the final evaluation")
    FINAL = "final", _("final")


class EvaluationMethod(models.TextChoices):
    PHONE = "phone", _("by phone")
    ON_SITE = "on_site", _("on site")


class Evaluation(models.Model):
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind.choices)
    method = models.CharField(_("held"), max_length=20, choices=EvaluationMethod.choices)
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    critical_incidents = models.TextField(_("critical incidents"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    contract_in_prospect = models.BooleanField(_("contract in prospect"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    entered_via = models.ForeignKey(
        MentorLink,
        verbose_name=_("entered through the mentor link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = StageChildQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("stage evaluation")
        verbose_name_plural = _("stage evaluations")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.held_on}"


class TrainingOnTheJob(models.Model):
    """Training the host gives on the job during the stage."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="trainings"
    )
    given_on = models.DateField(_("given on"))
    topic = models.CharField(_("what was learnt"), max_length=200)
    given_by = models.CharField(_("given by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = StageChildQuerySet.as_manager()

    class Meta:
        ordering = ["given_on", "pk"]
        verbose_name = _("training on the job")
        verbose_name_plural = _("training on the job")

    def __str__(self):
        return f"{self.given_on} · {self.topic}"


class EvaluationLevelQuerySet(ScopedQuerySet):
    worker_path = "evaluation__stage__worker"


class EvaluationLevel(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="levels"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    objects = EvaluationLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluated level")
        verbose_name_plural = _("evaluated levels")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "competency"], name="one_level_per_evaluation_competency"
            )
        ]

    def __str__(self):
        return f"{self.competency} = {self.level}"
