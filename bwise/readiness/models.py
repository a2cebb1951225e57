import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import Perm, ScopedQuerySet, organisation_scope
from bwise.accounts.models import Organisation
from bwise.readiness.statements import STATEMENT_TEXT, STATEMENTS


class Score(models.IntegerChoices):
    """The guide's scoring: the organisation agrees with a statement, or not (yet)."""

    NOT_AGREED = 0, _("do not agree (yet)")
    AGREED = 1, _("agree")


class SelfAssessmentQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_DASHBOARD


@pghistory.track()
class SelfAssessment(models.Model):
    """One dated self-assessment of the organisation against the checklist; repeated over time."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("readiness self-assessment")
        verbose_name_plural = _("readiness self-assessments")

    def __str__(self):
        return str(_("Self-assessment of %(date)s") % {"date": self.assessed_on})


class AnswerQuerySet(ScopedQuerySet):
    organisation_path = "assessment__organisation"
    view_perm = Perm.VIEW_DASHBOARD


@pghistory.track()
class Answer(models.Model):
    assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("self-assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.CharField(_("statement"), max_length=40, choices=STATEMENTS)
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    note = models.TextField(_("note"), blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "statement"], name="one_answer_per_statement"),
        ]

    def __str__(self):
        return f"{STATEMENT_TEXT.get(self.statement, self.statement)}: {self.get_score_display()}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("to do")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class ActionItemQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    view_perm = Perm.VIEW_DASHBOARD

    def visible_to(self, user):
        """The action plan is the director's and HR's; an owner also reaches their own items."""
        own = Q(owner_id=getattr(user, "pk", None)) & organisation_scope(user)
        return self.filter(organisation_scope(user, perm=self.view_perm) | own)


@pghistory.track()
class ActionItem(models.Model):
    """A step of the readiness action plan, with an owner and a deadline."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("action"), max_length=200)
    statement = models.CharField(_("statement"), max_length=40, choices=STATEMENTS, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("readiness action")
        verbose_name_plural = _("readiness actions")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.title
