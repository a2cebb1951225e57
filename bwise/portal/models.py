"""The worker's sign-in card and what the worker records on their own pages."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bwise.access import ScopedQuerySet
from competenties.models import Done, PlanAction
from trajects.models import Worker


class SignInCardQuerySet(ScopedQuerySet):
    worker_path = "worker"

    def active(self):
        return self.filter(revoked_at__isnull=True)


@pghistory.track(exclude=["code_hash", "pin_hash", "feed_token_hash", "link_code_hash"])
class SignInCard(models.Model):
    """A worker's way in without an e-mail address: a printed QR code with a long random code,
    and a PIN the worker chooses at first use (a worker with an address may get the code's
    one-time counterpart by e-mail instead). Only hashes are stored, so a database leak
    gives no working card; a lost card is revoked and replaced by a new one."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="sign_in_cards"
    )
    # Indexed, not unique: pseudonymising a worker overwrites it with a placeholder that no
    # code hashes to, which ends the card (and so does the emptied feed token).
    code_hash = models.CharField(max_length=64, db_index=True)
    # Empty until the worker chooses their PIN at first use.
    pin_hash = models.CharField(max_length=200, blank=True)
    failed_pins = models.PositiveSmallIntegerField(_("wrong PINs in a row"), default=0)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    # The calendar feed of the worker's appointments belongs to the card: revoking a lost
    # card ends its feed too.
    feed_token_hash = models.CharField(max_length=64, blank=True)
    # The e-mailed sign-in link, for a worker with an address: another way to the card's PIN
    # step, with a one-time code of its own that expires. It belongs to the card, so revoking
    # the card ends it; a new link replaces the previous one.
    link_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    link_sent_at = models.DateTimeField(_("sign-in link sent at"), null=True, blank=True)
    link_expires_at = models.DateTimeField(_("sign-in link valid until"), null=True, blank=True)
    link_used_at = models.DateTimeField(_("sign-in link used at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = SignInCardQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("sign-in card")
        verbose_name_plural = _("sign-in cards")
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_sign_in_card_per_worker",
            ),
        ]
        indexes = [models.Index(fields=["feed_token_hash"], name="portal_card_feed_token")]

    def __str__(self):
        return f"{self.worker} · {self.issued_at:%Y-%m-%d}"

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class PlanProgressQuerySet(ScopedQuerySet):
    worker_path = "action__plan__worker"


class PlanProgress(models.Model):
    """The worker ticked an action of their plan and may have said something about it, on
    their own page. Kept as its own row (the plan action's ``done`` follows it) so that the
    coach sees in the timeline what the worker said and when."""

    action = models.ForeignKey(
        PlanAction, verbose_name=_("plan action"), on_delete=models.CASCADE, related_name="worker_progress"
    )
    done = models.CharField(_("done"), max_length=3, choices=Done.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = PlanProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("progress noted by the worker")
        verbose_name_plural = _("progress noted by the worker")

    def __str__(self):
        return f"{self.action} · {self.done}"
