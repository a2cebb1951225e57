"""The inbox, the unread count in the menu, the digest and the calendar feed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bwise.reminders import services
from bwise.reminders.models import Reminder, ReminderStatus
from tests.factories_documents import ReminderFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def reminder(coach):
    return ReminderFactory(recipient=coach, title="POP of Jan Peeters due", due_date=TODAY(), url="/workers/")


def test_the_menu_counts_unread_reminders_and_the_inbox_reads_them(client, coach, reminder):
    ReminderFactory(recipient=coach, status=ReminderStatus.DONE)
    ReminderFactory(recipient=coach, snoozed_until=TODAY() + datetime.timedelta(days=3))
    ReminderFactory()  # someone else's
    client.force_login(coach)
    menu = client.get(reverse("documents:job_list")).context["nav_items"]
    assert next(item for item in menu if item["url"] == reverse("reminders:inbox"))["badge"] == 1

    inbox = client.get(reverse("reminders:inbox"))
    assert list(inbox.context["reminders"]) == [reminder]
    assert "POP of Jan Peeters due" in inbox.content.decode()
    menu = client.get(reverse("documents:job_list")).context["nav_items"]
    assert next(item for item in menu if item["url"] == reverse("reminders:inbox"))["badge"] == 0


def test_marking_done_takes_it_out_of_the_inbox(client, coach, reminder):
    client.force_login(coach)
    client.post(reverse("reminders:done", kwargs={"reminder_pk": reminder.pk}))
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE and reminder.done_at
    assert list(client.get(reverse("reminders:inbox")).context["reminders"]) == []


@pytest.mark.parametrize("days", [1, 7])
def test_snoozing_hides_it_until_the_day_comes(client, coach, reminder, days):
    client.force_login(coach)
    client.post(reverse("reminders:snooze", kwargs={"reminder_pk": reminder.pk}), {"days": days})
    reminder.refresh_from_db()
    assert reminder.snoozed_until == TODAY() + datetime.timedelta(days=days)
    assert not Reminder.objects.visible_to(coach).in_inbox().exists()
    assert list(Reminder.objects.visible_to(coach).in_inbox(reminder.snoozed_until)) == [reminder]


@pytest.mark.parametrize("days", ["3", "x", ""])
def test_snoozing_for_another_period_is_refused_politely(client, coach, reminder, days):
    client.force_login(coach)
    response = client.post(reverse("reminders:snooze", kwargs={"reminder_pk": reminder.pk}), {"days": days})
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.snoozed_until is None


def test_opening_follows_the_link_to_the_record(client, coach, reminder):
    client.force_login(coach)
    response = client.get(reverse("reminders:open", kwargs={"reminder_pk": reminder.pk}))
    assert response.url == "/workers/"
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_an_outside_link_is_never_followed(client, coach):
    reminder = ReminderFactory(recipient=coach, url="https://evil.example/phish")
    client.force_login(coach)
    response = client.get(reverse("reminders:open", kwargs={"reminder_pk": reminder.pk}))
    assert response.url == reverse("reminders:inbox")


def test_someone_elses_reminder_is_a_404(client, make_user, reminder):
    client.force_login(make_user())
    for name in ("open", "done", "snooze"):
        assert client.post(reverse(f"reminders:{name}", kwargs={"reminder_pk": reminder.pk})).status_code in (
            404,
            405,
        )
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.OPEN


def test_the_daily_digest_has_text_and_html_and_goes_once_a_day(coach, reminder):
    ReminderFactory(recipient=coach, title="Far away", due_date=TODAY() + datetime.timedelta(days=60))
    assert services.digests_send() == 1
    assert services.digests_send() == 0
    (message,) = mail.outbox
    assert message.to == [coach.email]
    assert "POP of Jan Peeters due" in message.body and "Far away" not in message.body
    assert "http://127.0.0.1:8000/workers/" in message.body  # absolute: mail has no host to lean on
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "POP of Jan Peeters due" in html
    assert services.digests_send(today=TODAY() + datetime.timedelta(days=1)) == 1


def test_opting_out_stops_the_digest(client, coach, reminder):
    client.force_login(coach)
    client.post(reverse("reminders:preferences"), {})  # the box unticked
    assert services.digests_send() == 0
    assert mail.outbox == []


def test_a_failed_send_is_sent_again_by_the_retry(coach, reminder, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert services.digests_send() == 0
    monkeypatch.undo()
    assert services.digests_send() == 1


def test_nothing_due_sends_no_mail(coach):
    ReminderFactory(recipient=coach, due_date=TODAY() + datetime.timedelta(days=60))
    assert services.digests_send() == 0


def feed_url(token):
    return reverse("reminders:feed", kwargs={"token": token})


def test_the_calendar_feed_lists_open_reminders_as_all_day_events(client, coach, reminder):
    ReminderFactory(recipient=coach, title="Finished thing", status=ReminderStatus.DONE)
    ReminderFactory(title="Someone else's")
    token = services.preference_for(coach).feed_token
    response = client.get(feed_url(token))  # no login: calendar apps cannot
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"DTSTART;VALUE=DATE:{reminder.due_date:%Y%m%d}" in body
    assert "SUMMARY:POP of Jan Peeters due" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_a_carriage_return_in_a_title_cannot_inject_an_event(client, coach):
    ReminderFactory(recipient=coach, title="Gesprek\rBEGIN:VEVENT\rSUMMARY:ingevoegd\r\nEND:VEVENT\nX")
    body = client.get(feed_url(services.preference_for(coach).feed_token)).content.decode()
    lines = body.split("\r\n")
    # Calendar apps also break lines on a bare CR or LF: none may be left inside a line.
    assert not any("\r" in line or "\n" in line for line in lines)
    markers = [line for line in lines if line in ("BEGIN:VEVENT", "END:VEVENT")]
    assert markers == ["BEGIN:VEVENT", "END:VEVENT"]
    assert not any(line.startswith("SUMMARY:ingevoegd") for line in lines)


def test_a_revoked_or_unknown_token_is_a_404(client, coach, reminder):
    old = services.preference_for(coach).feed_token
    client.force_login(coach)
    client.post(reverse("reminders:preferences"), {"revoke": "1"})
    new = services.preference_for(coach).feed_token
    assert new != old
    client.logout()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url("not-a-token")).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_the_preferences_page_shows_the_private_link(client, coach):
    client.force_login(coach)
    html = client.get(reverse("reminders:preferences")).content.decode()
    assert feed_url(services.preference_for(coach).feed_token) in html


def test_long_titles_are_folded_and_escaped(coach):
    from bwise.reminders.ical import calendar, reminder_event

    reminder = ReminderFactory(recipient=coach, title="Évaluation; stage, " * 10)
    body = calendar([reminder_event(reminder)], name="x", base_url="https://b.example", host="b.example")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Évaluation\\; stage\\, Évaluation" in unfolded


@pytest.mark.parametrize("page", ["reminders:inbox", "documents:job_list"])
def test_pages_run_the_same_queries_for_few_and_many_items(client, coach, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import WorkerFactory
    from tests.factories_documents import DocumentJobFactory

    client.force_login(coach)

    def queries_with(count):
        for _ in range(count):
            ReminderFactory(recipient=coach)
            DocumentJobFactory(worker=WorkerFactory(organisation=coach.organisation, coach=coach))
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse(page)).status_code == 200
        return len(context)

    assert queries_with(2) == queries_with(20)


def test_the_digest_speaks_the_recipients_language_stays_short_and_can_be_stopped(client, coach):
    from django.conf import settings

    for day in range(12):
        ReminderFactory(
            recipient=coach, title=f"Taak {day}", due_date=TODAY() + datetime.timedelta(days=day % 7)
        )
    client.force_login(coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("reminders:preferences"), {"digest": "on"})
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert services.preference_for(coach).language == "en"
    assert services.digests_send() == 1
    (message,) = mail.outbox
    assert message.subject == "B-WISE Doorstroom: 12 reminders due"
    assert message.body.count("- ") == services.DIGEST_MAX_ITEMS
    assert "And 2 more in your inbox." in message.body
    html, _mime = message.alternatives[0]
    assert '<html lang="en">' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.logout()
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200, "one click, without a session or CSRF token"
    assert services.preference_for(coach).digest_enabled is False
    assert client.get(path[:-3] + "xyz/").status_code == 404


def test_the_digest_speaks_the_language_of_the_first_sign_in_until_the_user_switches(client, organisation):
    from django.conf import settings

    from bwise.accounts.models import Role
    from tests.factories import UserFactory

    user = UserFactory(username="lotte", organisation=organisation, roles=[Role.COACH])
    ReminderFactory(recipient=user, title="Taak", due_date=TODAY())

    def digest_subject(day):
        mail.outbox.clear()
        assert services.digests_send(today=TODAY() + datetime.timedelta(days=day)) == 1
        return mail.outbox[0].subject

    # Never signed in, nothing saved: the site's language.
    assert digest_subject(0).startswith("B-WISE Doorstroom: 1 herinnering")
    # English chosen on the sign-in page, never a preference saved: the digest follows.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    signed_in = client.post("/accounts/login/", {"login": "lotte", "password": "secret-password-1"})
    assert signed_in.status_code == 302
    assert digest_subject(1) == "B-WISE Doorstroom: 1 reminder due"
    # A later sign-in on a browser without the choice (in Dutch) does not undo it ...
    client.logout()  # and its cookies with it
    client.post("/accounts/login/", {"login": "lotte", "password": "secret-password-1"})
    assert digest_subject(2) == "B-WISE Doorstroom: 1 reminder due"
    # ... switching to Dutch in the menu does.
    assert client.post(reverse("set_language"), {"language": "nl-be", "next": "/"}).status_code == 302
    assert digest_subject(3).startswith("B-WISE Doorstroom: 1 herinnering")
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302
    assert services.preference_for(user).language == "nl-be", "a language the product does not speak"
