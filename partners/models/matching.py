"""Applications and application training: the jobmatching phase's records of a worker."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, ScopedQuerySet
from bwise.accounts.models import Organisation
from partners.models.register import Partner, Vacancy
from trajects.models import Worker


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", _("application")
    MOCK_INTERVIEW = "mock_interview", _("mock interview at a partner")


class ApplicationResult(models.TextChoices):
    PENDING = "pending", _("pending")
    INTERVIEW = "interview", _("invited to an interview")
    OFFER = "offer", _("job offer")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    DONE = "done", _("done (mock interview)")


class ApplicationQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class Application(models.Model):
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="applications"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="applications"
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("vacancy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ApplicationKind.choices, default=ApplicationKind.APPLICATION
    )
    sent_on = models.DateField(_("sent or held on"), default=timezone.localdate)
    interview_on = models.DateField(_("interview on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=ApplicationResult.choices, default=ApplicationResult.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.worker} · {self.partner} · {self.sent_on}"


class TrainingFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    GROUP = "group", _("group")


class TrainingProvider(models.TextChoices):
    INTERNAL = "internal", _("internal")
    EXTERNAL = "external", _("external")


class TrainingSessionQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_WORKERS


class TrainingSession(models.Model):
    """An application-training session; the participants are the worker-scoped part."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    topic = models.CharField(_("topic"), max_length=200)
    format = models.CharField(_("format"), max_length=20, choices=TrainingFormat.choices)
    provider = models.CharField(_("given by"), max_length=20, choices=TrainingProvider.choices)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("external provider"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("application-training session")
        verbose_name_plural = _("application-training sessions")

    def __str__(self):
        return f"{self.topic} · {self.held_on}"


class TrainingParticipantQuerySet(ScopedQuerySet):
    worker_path = "worker"


class TrainingParticipant(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="participants"
    )
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="+")

    objects = TrainingParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("training participant")
        verbose_name_plural = _("training participants")
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="training_participant_once")
        ]

    def __str__(self):
        return f"{self.worker} · {self.session}"
