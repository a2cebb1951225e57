"""The coach's jobmatching toolkit and what the worker applies with: how the worker searches,
the VDAB step, the job-search log, the CV and the motivation letters."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import ScopedQuerySet
from bwise.core.versioning import Versioned
from partners.models.matching import Application
from partners.models.register import Vacancy
from trajects.models import Trajectory, Worker


class SearchMode(models.TextChoices):
    INDEPENDENT = "independent", _("Searches independently")
    WITH_COACH = "with_coach", _("Needs the coach to search with them and present them to employers")


class JobmatchingSetupQuerySet(ScopedQuerySet):
    worker_path = "trajectory__worker"


@pghistory.track()
class JobmatchingSetup(models.Model):
    """How jobmatching runs for one trajectory: the worker's way of searching, and the day VDAB
    registered the worker as "werkend en werkzoekend" (a step of the jobmatching phase)."""

    trajectory = models.OneToOneField(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="jobmatching_setup"
    )
    search_mode = models.CharField(_("how the worker searches"), max_length=20, choices=SearchMode.choices)
    vdab_job_seeker_on = models.DateField(
        _('VDAB status "werkend en werkzoekend" since'),
        null=True,
        blank=True,
        help_text=_('The day VDAB changed the status from "werkend" to "werkend en werkzoekend".'),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = JobmatchingSetupQuerySet.as_manager()

    class Meta:
        verbose_name = _("jobmatching set-up")
        verbose_name_plural = _("jobmatching set-ups")

    def __str__(self):
        return self.get_search_mode_display()


class JobSearchSource(models.TextChoices):
    VDAB = "vdab", _("VDAB")
    PARTNER = "partner", _("Partner vacancy")
    AGENCY = "agency", _("Temp agency")
    WEBSITE = "website", _("Job site or company website")
    NETWORK = "network", _("Network (family, friends, colleagues)")
    OTHER = "other", _("Other")


class JobSearchOutcome(models.TextChoices):
    TO_APPLY = "to_apply", _("To apply for")
    APPLIED = "applied", _("Applied")
    NOT_SUITABLE = "not_suitable", _("Not suitable")
    CLOSED = "closed", _("Vacancy closed")


class JobSearchEntryQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class JobSearchEntry(models.Model):
    """One vacancy found while searching, where, when, and what came of it; beside the
    applications, which it can point to once the worker applied."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="job_searches"
    )
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("partner vacancy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    job_title = models.CharField(_("job"), max_length=200, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=JobSearchSource.choices)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=JobSearchOutcome.choices, default=JobSearchOutcome.TO_APPLY
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = JobSearchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("job-search log entry")
        verbose_name_plural = _("job-search log")

    def __str__(self):
        return f"{self.found_on} · {self.job_title}"


# The CV's sections in the order printed.
CV_FIELDS = ("profile", "work_experience", "education", "strengths", "achievements", "languages")
# The sections the worker writes on their own page; training and the confirmed stoefboek
# items come from the records, which the coach keeps (the worker adds to the stoefboek).
CV_WORKER_FIELDS = ("profile", "work_experience", "strengths", "languages")


class CurriculumVitaeQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class CurriculumVitae(Versioned):
    """The worker's CV: drafted from the records (``partners.cv``), then edited by coach and
    worker together; what is printed is what they wrote here."""

    worker = models.OneToOneField(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="cv"
    )
    profile = models.TextField(_("about me"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    education = models.TextField(_("education and training"), blank=True)
    strengths = models.TextField(_("what I am good at"), blank=True)
    achievements = models.TextField(_("what I am proud of"), blank=True)
    languages = models.TextField(_("languages"), blank=True)
    drafted_at = models.DateTimeField(_("drafted from the records at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = CurriculumVitaeQuerySet.as_manager()

    class Meta:
        verbose_name = _("CV")
        verbose_name_plural = _("CVs")

    def __str__(self):
        return f"CV {self.worker}"


class MotivationLetterQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class MotivationLetter(Versioned):
    """A motivation letter for one vacancy. The assistant offers the start of each sentence
    (``partners.letters.SENTENCES``) and the worker completes it; a sentence left empty is
    left out, so the letter holds no words but the worker's and the fixed sentence starts."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="motivation_letters"
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("partner vacancy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    job_title = models.CharField(_("job"), max_length=200)
    employer = models.CharField(_("employer"), max_length=200)
    why_this_job = models.TextField(_("why this job"), blank=True)
    why_this_employer = models.TextField(_("why this employer"), blank=True)
    experience = models.TextField(_("experience"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    example = models.TextField(_("an example"), blank=True)
    availability = models.TextField(_("availability"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = MotivationLetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("motivation letter")
        verbose_name_plural = _("motivation letters")

    def __str__(self):
        return f"{self.job_title} · {self.employer}"
