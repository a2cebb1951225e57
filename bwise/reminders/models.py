import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bwise.access import ScopedQuerySet
from bwise.accounts.models import Organisation
from bwise.reminders.registry import render


class ReminderStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class ReminderQuerySet(ScopedQuerySet):
    """A reminder is personal: only its recipient sees it, within their organisation."""

    organisation_path = "organisation"

    def visible_to(self, user):
        return super().visible_to(user).filter(recipient_id=user.pk)

    def in_inbox(self, today=None):
        """Open reminders that are not snoozed past today."""
        today = today or timezone.localdate()
        return self.filter(status=ReminderStatus.OPEN).filter(
            Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today)
        )

    def unread(self, today=None):
        return self.in_inbox(today).filter(read_at__isnull=True)


class Reminder(models.Model):
    """One occurrence of something due, for one person. ``key`` makes it occur once."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    key = models.CharField(_("occurrence key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50)
    # What the reminder says: a msgid and its values, rendered in the reader's language when
    # shown (``text``). ``title`` holds the text of reminders made before, already rendered.
    message = models.CharField(_("message"), max_length=200, blank=True)
    params = models.JSONField(_("values of the message"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    due_date = models.DateField(_("due on"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    record_model = models.CharField(_("record type"), max_length=100, blank=True)
    record_id = models.BigIntegerField(_("record"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.OPEN
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["recipient", "status", "due_date"])]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        if not self.message:
            return self.title
        return render(self.message, self.params)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ReminderPreference(models.Model):
    """Per-user choices about reminders, kept here so that accounts.User stays as it is."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    digest_enabled = models.BooleanField(_("daily e-mail digest"), default=True)
    # The secret in the personal calendar URL; replacing it revokes the old URL.
    feed_token = models.CharField(_("calendar token"), max_length=64, unique=True, default=new_feed_token)
    last_digest_on = models.DateField(_("last digest sent on"), null=True, blank=True)
    # The language the user works in, which the digest is written in: recorded at their first
    # sign-in, and again whenever they switch language or save these preferences. Empty until
    # then: the site's language.
    language = models.CharField(
        _("language of the e-mails"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return str(self.user)
