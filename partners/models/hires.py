"""The hire that ends a stage or jobmatching, and the nazorg follow-ups that come after it."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import ScopedQuerySet
from bwise.core.versioning import Versioned
from partners.models.register import Partner, Vacancy
from trajects.models import Trajectory, Worker


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("permanent contract")
    FIXED_TERM = "fixed_term", _("fixed-term contract")
    TEMP = "temp", _("temporary agency work")
    INTENTION = "intention", _("written intention to hire")


# The guide prefers an open-ended contract, or a written intention to hire with the wage.
WARNED_CONTRACT_TYPES = frozenset({ContractType.FIXED_TERM, ContractType.TEMP})


class HireQuerySet(ScopedQuerySet):
    worker_path = "worker"


@pghistory.track()
class Hire(Versioned):
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="hires"
    )
    trajectory = models.OneToOneField(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="hire"
    )
    employer = models.ForeignKey(
        Partner, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="hires"
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("vacancy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hires",
    )
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType.choices)
    start_date = models.DateField(_("start date"))
    agreed_wage = models.DecimalField(
        _("agreed gross monthly wage (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    wage_subsidy = models.CharField(
        _("wage subsidy"),
        max_length=200,
        blank=True,
        help_text=_("For example the ACTIVA-werkkaart."),
    )
    c4_reason = models.CharField(_("reason on form C4"), max_length=300, blank=True)
    # The ACTIVA-werkkaart: applied for at the RVA once the worker has left, not before.
    activa_applied_on = models.DateField(_("ACTIVA-werkkaart applied for on"), null=True, blank=True)
    activa_accompanied = models.BooleanField(
        _("the coach went along to apply for the ACTIVA-werkkaart"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = HireQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("hire")
        verbose_name_plural = _("hires")

    def __str__(self):
        return f"{self.worker} · {self.employer} · {self.start_date}"

    @property
    def contract_warning(self) -> bool:
        return self.contract_type in WARNED_CONTRACT_TYPES


class FollowUpWith(models.TextChoices):
    WORKER = "worker", _("the former worker")
    EMPLOYER = "employer", _("the employer")


class FollowUpQuerySet(ScopedQuerySet):
    worker_path = "hire__worker"

    def open(self):
        """Contacts still to take: neither logged nor skipped."""
        return self.filter(done_on__isnull=True, skipped_on__isnull=True)


@pghistory.track()
class FollowUp(models.Model):
    hire = models.ForeignKey(
        Hire, verbose_name=_("hire"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    with_whom = models.CharField(_("with"), max_length=10, choices=FollowUpWith.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    skipped_on = models.DateField(_("skipped on"), null=True, blank=True)
    skip_reason = models.TextField(_("reason for skipping"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the contacts of the default schedule."),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "with_whom", "pk"]
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")

    def __str__(self):
        return f"{self.get_with_whom_display()} · {self.due_on}"
