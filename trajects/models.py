import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bwise.access import ScopedQuerySet
from bwise.accounts.models import Organisation


class WorkerQuerySet(ScopedQuerySet):
    worker_path = ""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Worker(models.Model):
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
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
