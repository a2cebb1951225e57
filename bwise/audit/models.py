import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    PRINT = "print", _("printed")
    REFUSED = "refused", _("refused")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    REFUSED = "refused", _("refused")


class AccessLog(models.Model):
    """Who looked at (exported, printed) which sensitive record, or was refused.

    Changes are recorded by pghistory; this table records reads, which no trigger sees.
    Rows are append-only: a database trigger refuses UPDATE and DELETE, whoever asks.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    organisation_id = models.BigIntegerField(_("organisation"), null=True, db_index=True)
    action = models.CharField(_("what"), max_length=16, choices=AccessAction.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AccessOutcome.choices)
    # The record concerned, as model label and primary key: the log must outlive the record.
    record_model = models.CharField(_("record type"), max_length=100)
    record_id = models.CharField(_("record"), max_length=64)
    worker_id = models.BigIntegerField(_("worker"), null=True, db_index=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.record_model}#{self.record_id}"
