from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, ScopedQuerySet


class LegalHoldQuerySet(ScopedQuerySet):
    worker_path = "worker"


class LegalHold(models.Model):
    """A worker's records kept for a legal obligation (a dispute, an inspection, the
    subsidy file of the statuut): neither erasure nor the retention run touches them
    until the hold is lifted or its end date has passed."""

    worker = models.OneToOneField(
        "trajects.Worker", verbose_name=_("worker"), on_delete=models.CASCADE, related_name="legal_hold"
    )
    reason = models.CharField(_("legal obligation"), max_length=300)
    until = models.DateField(_("kept until"), null=True, blank=True, help_text=_("Empty: until lifted."))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self):
        return self.reason


class ErasureAction(models.TextChoices):
    PSEUDONYMISE = "pseudonymise", _("pseudonymised")
    ERASE = "erase", _("erased")


class ErasureQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.DATA_SUBJECT_RIGHTS


class Erasure(models.Model):
    """That a worker was pseudonymised or erased, by whom and why: ids and counts only,
    so that the proof outlives the data."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    worker_id = models.BigIntegerField(_("worker"))
    action = models.CharField(_("action"), max_length=20, choices=ErasureAction.choices)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the retention schedule did it."),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    counts = models.JSONField(_("records"), default=dict)

    objects = ErasureQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return f"{self.get_action_display()} #{self.worker_id}"


class RetentionRunQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.DATA_SUBJECT_RIGHTS


class RetentionRun(models.Model):
    """The report of one retention run for one organisation."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    years = models.PositiveSmallIntegerField(_("years after closing"))
    closed_before = models.DateTimeField(_("last trajectory closed before"))
    pseudonymised = models.PositiveIntegerField(_("workers pseudonymised"), default=0)
    held = models.PositiveIntegerField(_("skipped: legal hold"), default=0)
    worker_ids = models.JSONField(_("workers pseudonymised (ids)"), default=list)

    objects = RetentionRunQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.pseudonymised}"
