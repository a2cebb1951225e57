import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    PRINT = "print", _("printed")
    REFUSED = "refused", _("refused")
    # Written by the database function that rewrites history (``bwise_redact_history``).
    PSEUDONYMISE = "pseudonymise", _("pseudonymised")
    ERASE = "erase", _("erased")
    # A worker's sign-in with their card (no user account), allowed or refused.
    SIGN_IN = "sign_in", _("signed in")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    REFUSED = "refused", _("refused")


class AccessLog(models.Model):
    """Who looked at (exported, printed) which sensitive record, or was refused.

    Changes are recorded by pghistory; this table records reads, which no trigger sees.
    Rows are append-only: the application's database role may only INSERT and SELECT
    (``bwise.audit.roles``), and triggers refuse UPDATE, DELETE and TRUNCATE, whoever asks.
    Each row is chained to the previous row of its organisation: a BEFORE INSERT trigger
    numbers it (``seq``) and stores the SHA-256 of its content and of the previous row's
    hash (``bwise.audit.chain``); ``manage.py verify_audit`` recomputes the chain.
    ``detail`` holds structured facts (codes, filter keys), never text a user typed.
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
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # Set by the database trigger, whatever the INSERT says.
    seq = models.BigIntegerField(_("sequence"), null=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "seq"], name="audit_accesslog_chain_seq", nulls_distinct=False
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.record_model}#{self.record_id}"

    @property
    def detail_text(self) -> str:
        """The structured detail on one line, for the access-log page."""
        return ", ".join(
            f"{key} {', '.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in self.detail.items()
        )
