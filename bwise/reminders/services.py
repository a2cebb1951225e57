"""Creating reminders once, acting on them, and sending the daily digest."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bwise.access import scopes_disabled
from bwise.core.errors import DomainError
from bwise.reminders.models import Reminder, ReminderPreference, ReminderStatus, new_feed_token
from bwise.reminders.registry import Due, scanners

logger = logging.getLogger(__name__)

SNOOZE_DAYS = (1, 7)
DIGEST_HORIZON_DAYS = 7
DIGEST_MAX_ITEMS = 10


def reminders_insert(due: Due) -> int:
    """Insert each occurrence of ``due`` once, in one statement: INSERT ... SELECT ...
    ON CONFLICT (key) DO NOTHING, however many scans run and however concurrently."""
    reminder, user = Reminder._meta, get_user_model()._meta
    rows_sql, rows_params = due.rows().query.sql_with_params()
    if due.recipients is None:
        # Names from the models' meta; every value is a parameter.
        users_sql = f"SELECT id AS recipient_pk, organisation_id AS recipient_org FROM {user.db_table}"  # noqa: S608
        users_params, on = (), "u.recipient_pk = d.reminder_recipient"
    else:
        users_sql, users_params = (
            due.recipients.order_by()
            .values(recipient_pk=F("pk"), recipient_org=F("organisation_id"))
            .query.sql_with_params()
        )
        on = "u.recipient_org = d.reminder_organisation"
    key, url = (reminder.get_field(name).max_length for name in ("key", "url"))
    sql = f"""
        INSERT INTO {reminder.db_table}
            (organisation_id, recipient_id, key, kind, message, params, title, due_date, url, record_model,
             record_id, status, created_at)
        SELECT u.recipient_org, u.recipient_pk, LEFT(d.reminder_key || ':user:' || u.recipient_pk, {key}),
               %s, d.reminder_message, d.reminder_params, '', d.reminder_due, LEFT(d.reminder_url, {url}), %s,
               d.reminder_record, %s, NOW()
        FROM ({rows_sql}) d JOIN ({users_sql}) u ON {on}
        WHERE u.recipient_org IS NOT NULL
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608
    params = (due.kind, due.records.model._meta.label, ReminderStatus.OPEN, *rows_params, *users_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def reminder_notify(*, recipient, kind: str, key: str, title: str, due_date, url: str, record) -> bool:
    """Something the recipient must know at once, not at the next scan: a reminder in their
    inbox now and an e-mail once the transaction commits. The key makes it occur once."""
    if recipient is None or not recipient.is_active or recipient.organisation_id is None:
        return False
    reminder, created = Reminder.objects.unscoped(
        reason="a service writes the recipient's reminder"
    ).get_or_create(
        key=f"{key}:user:{recipient.pk}",
        defaults={
            "organisation_id": recipient.organisation_id,
            "recipient": recipient,
            "kind": kind,
            "title": title[: Reminder._meta.get_field("title").max_length],
            "due_date": due_date,
            "url": url,
            "record_model": record._meta.label,
            "record_id": record.pk,
        },
    )
    if created and recipient.email:
        transaction.on_commit(lambda: _notice_send(reminder, recipient))
    return created


def _notice_send(reminder: Reminder, recipient) -> None:
    context = {"user": recipient, "reminder": reminder, "base_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("reminders/email/notice.txt", context)
        html = render_to_string("reminders/email/notice.html", context)
    message = EmailMultiAlternatives(reminder.title, text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # The reminder is in the inbox either way; the digest brings it again.
        logger.exception("notice %s to user %s failed", reminder.pk, recipient.pk)


def reminders_create(dues) -> int:
    return sum(reminders_insert(due) for due in dues)


def reminders_scan(*, today: datetime.date | None = None, kinds=None) -> dict[str, int]:
    """Run every registered scanner (or those named); one failing scanner spares the others."""
    today = today or timezone.localdate()
    results = {}
    for kind, scanner in scanners().items():
        if kinds is not None and kind not in kinds:
            continue
        try:
            # A savepoint: a failing statement spares the transaction of the others.
            with (
                transaction.atomic(),
                scopes_disabled(reason="scanners read every organisation to remind each user"),
            ):
                results[kind] = reminders_create(scanner(today))
        except Exception:
            logger.exception("reminder scanner %s failed", kind)
            results[kind] = -1
    return results


def reminder_mark_done(*, reminder: Reminder, by) -> Reminder:
    if reminder.recipient_id != by.pk:
        raise DomainError(_("This reminder is not yours."), code="not_own")
    Reminder.objects.unscoped(reason="a service writes the caller's own reminder").filter(
        pk=reminder.pk, status=ReminderStatus.OPEN
    ).update(status=ReminderStatus.DONE, done_at=timezone.now(), read_at=timezone.now())
    reminder.refresh_from_db()
    return reminder


def reminder_snooze(*, reminder: Reminder, days: int, by) -> Reminder:
    if reminder.recipient_id != by.pk:
        raise DomainError(_("This reminder is not yours."), code="not_own")
    if days not in SNOOZE_DAYS:
        raise DomainError(_("Snooze for one day or one week."), field="days", code="snooze_days")
    until = timezone.localdate() + datetime.timedelta(days=days)
    # Read again when it comes back: it reappears as unread.
    Reminder.objects.unscoped(reason="a service writes the caller's own reminder").filter(
        pk=reminder.pk
    ).update(snoozed_until=until, read_at=None)
    reminder.refresh_from_db()
    return reminder


def reminders_mark_read(*, user, reminders) -> int:
    return reminders.filter(recipient_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())


def preference_for(user) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.get_or_create(user=user)
    return preference


def preference_update(*, user, digest_enabled: bool, language: str | None = None) -> ReminderPreference:
    preference = preference_for(user)
    preference.digest_enabled = digest_enabled
    if language in dict(settings.LANGUAGES):
        preference.language = language
    preference.save(update_fields=["digest_enabled", "language"])
    return preference


def preference_language_record(*, user, language: str, first: bool = False) -> None:
    """Record ``language`` as the one ``user`` works in, for the digest. ``first`` (at sign-in)
    records it only if none is yet: a browser that lost the language switch's cookie signs in
    in Dutch, which is no choice of the user's."""
    if language not in dict(settings.LANGUAGES):
        return
    preference = preference_for(user)
    if preference.language == language or (first and preference.language):
        return
    ReminderPreference.objects.filter(pk=preference.pk).update(language=language)


_UNSUBSCRIBE_SALT = "bwise.reminders.digest-unsubscribe"


def unsubscribe_token(user) -> str:
    """The credential of the digest's one-click unsubscribe link (RFC 8058): it stops the
    digest of this user, nothing else."""
    return signing.dumps(user.pk, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_valid(token: str) -> bool:
    return _unsubscribing(token) is not None


def _unsubscribing(token: str):
    try:
        return signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def digest_unsubscribe(*, token: str) -> bool:
    user_pk = _unsubscribing(token)
    if user_pk is None:
        return False
    return bool(ReminderPreference.objects.filter(user_id=user_pk).update(digest_enabled=False))


def feed_token_revoke(*, user) -> ReminderPreference:
    """A new secret: the old calendar URL stops working at once."""
    preference = preference_for(user)
    preference.feed_token = new_feed_token()
    preference.save(update_fields=["feed_token"])
    return preference


def _digest_reminders(user, today):
    horizon = today + datetime.timedelta(days=DIGEST_HORIZON_DAYS)
    return list(
        Reminder.objects.visible_to(user).in_inbox(today).filter(due_date__lte=horizon).order_by("due_date")
    )


def digest_send(*, user, today: datetime.date | None = None, base_url: str = "") -> bool:
    """Send today's digest to ``user`` at most once: the day is claimed before sending."""
    today = today or timezone.localdate()
    preference = preference_for(user)
    if not preference.digest_enabled or not user.email or not user.is_active:
        return False
    reminders = _digest_reminders(user, today)
    if not reminders:
        return False
    with transaction.atomic():
        claimed = (
            ReminderPreference.objects.filter(pk=preference.pk)
            .exclude(last_digest_on=today)
            .update(last_digest_on=today)
        )
        if not claimed:
            return False
        base_url = base_url or settings.SITE_URL
        unsubscribe = base_url + reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(user)})
        context = {
            "user": user,
            # The first ones; the inbox has them all (a digest stays short on a phone).
            "reminders": reminders[:DIGEST_MAX_ITEMS],
            "more": len(reminders) - DIGEST_MAX_ITEMS,
            "today": today,
            "base_url": base_url,
            "inbox_url": reverse("reminders:inbox"),
            "preferences_url": reverse("reminders:preferences"),
        }
        with translation.override(preference.language or settings.LANGUAGE_CODE):
            subject = ngettext(
                "B-WISE Doorstroom: %(count)s reminder due",
                "B-WISE Doorstroom: %(count)s reminders due",
                len(reminders),
            ) % {"count": len(reminders)}
            text = render_to_string("reminders/email/digest.txt", context)
            html = render_to_string("reminders/email/digest.html", context)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        message = EmailMultiAlternatives(subject, text, to=[user.email], headers=headers)
        message.attach_alternative(html, "text/html")
        # A failed send rolls the claim back, so that the retry sends it.
        message.send()
    return True


def digests_send(*, today: datetime.date | None = None) -> int:
    from bwise.accounts.models import User

    today = today or timezone.localdate()
    recipients = (
        User.objects.filter(is_active=True, reminders__status=ReminderStatus.OPEN)
        .exclude(reminder_preference__digest_enabled=False)
        .exclude(reminder_preference__last_digest_on=today)
        .distinct()
    )
    sent = 0
    for user in recipients.iterator():
        try:
            sent += digest_send(user=user, today=today)
        except Exception:
            logger.exception("digest for user %s failed", user.pk)
    return sent
