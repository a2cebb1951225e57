"""The sign-in link by e-mail (issue 17): the coach sends it from the card page to a worker
with an address; its one-time code is kept as a hash, expires, works once, ends with the
card and leads to the card's PIN step, lockout included. Services and pages."""

import datetime
import hashlib
import re
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from bwise.audit.models import AccessAction, AccessLog
from bwise.core.errors import DomainError
from bwise.portal import services
from bwise.portal import session as worker_session
from bwise.portal.models import SignInCard
from bwise.roles import Role
from tests.factories import UserFactory, WorkerFactory
from tests.factories_portal import PIN, make_card

pytestmark = pytest.mark.django_db

PAGE = "http://testserver/me/link/"
LINK = reverse("portal:link")
PIN_PAGE = reverse("portal:pin")
HOME = reverse("portal:home")


@pytest.fixture
def worker(coach):
    return WorkerFactory(
        organisation=coach.organisation, coach=coach, first_name="Anouk", email="anouk@example.org"
    )


def _send(worker, coach) -> tuple[SignInCard, str]:
    card = services.sign_in_link_send(worker=worker, by=coach, page_url=PAGE)
    [url] = re.findall(r"http://testserver/me/link/#(\S+)", mail.outbox[-1].body)
    return card, url


def _refused(expected, call, **kwargs):
    with pytest.raises(DomainError) as refused:
        call(**kwargs)
    assert refused.value.code == expected


def _sign_in_log(worker, outcome):
    return AccessLog.objects.filter(action=AccessAction.SIGN_IN, worker_id=worker.pk, outcome=outcome)


# --- Services -----------------------------------------------------------------------------


def test_the_mail_carries_a_one_time_code_kept_only_as_a_hash_in_easy_dutch(coach, worker):
    # The coach works in English; the worker reads their pages, and so the mail, in Dutch.
    with translation.override("en"):
        card, code = _send(worker, coach)
    [message] = mail.outbox
    assert message.to == ["anouk@example.org"] and message.subject == "Je link naar B-WISE"
    assert "Dag Anouk," in message.body and "pincode" in message.body
    assert len(code) >= 40 and card.link_code_hash == hashlib.sha256(code.encode()).hexdigest()
    stored = SignInCard.objects.unscoped(reason="test").filter(pk=card.pk).values().get()
    assert not any(code in str(value) for value in stored.values())
    hours = (card.link_expires_at - card.link_sent_at) / datetime.timedelta(hours=1)
    assert hours == 24 and card.revoked_at is None and card.worker == worker


def test_the_link_leads_to_the_cards_pin_once(coach, worker):
    card, code = _send(worker, coach)
    assert services.link_start(code=code) == card
    _refused("link_used", services.link_start, code=code)
    assert _sign_in_log(worker, "refused").get().detail == {"card": "link_used"}
    # The PIN step is the card's: chosen at first use.
    assert services.card_pin_choose(card=card, pin="1357", repeat="1357").worker_id == worker.pk
    assert _sign_in_log(worker, "allowed").count() == 1


def test_an_old_link_a_replaced_link_and_a_revoked_card_are_refused(coach, worker):
    card, first = _send(worker, coach)
    card, second = _send(worker, coach)
    _refused("link_unknown", services.link_start, code=first)
    SignInCard.objects.unscoped(reason="test").filter(pk=card.pk).update(
        link_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    _refused("link_expired", services.link_start, code=second)
    card, third = _send(worker, coach)
    services.card_revoke(card=card, by=coach)
    _refused("card_revoked", services.link_start, code=third)
    # A new card revokes the old one, and the link with it.
    card, fourth = _send(worker, coach)
    services.card_issue(worker=worker, by=coach)
    _refused("card_revoked", services.link_start, code=fourth)
    assert {row.detail["card"] for row in _sign_in_log(worker, "refused")} == {"link_expired", "card_revoked"}


def test_the_link_uses_the_workers_card_and_a_locked_card_stays_locked(coach, worker):
    card, _card_code = make_card(worker)
    linked, code = _send(worker, coach)
    assert linked == card
    linked.locked_at = timezone.now()
    linked.save()
    _refused("card_locked", services.link_start, code=code)


def test_no_link_without_an_address_or_for_one_who_does_not_manage_the_worker(coach, worker, organisation):
    worker.email = ""
    worker.save()
    _refused("no_email", services.sign_in_link_send, worker=worker, by=coach, page_url=PAGE)
    worker.email = "anouk@example.org"
    worker.save()
    for user in (
        UserFactory(organisation=organisation, roles=[Role.COACH]),
        UserFactory(organisation=organisation, roles=[Role.BEGELEIDER]),
    ):
        _refused("not_allowed", services.sign_in_link_send, worker=worker, by=user, page_url=PAGE)
    assert mail.outbox == [] and not SignInCard.objects.unscoped(reason="test").exists()


def test_a_mail_that_cannot_leave_keeps_no_link(coach, worker, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPException("down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    _refused("mail_failed", services.sign_in_link_send, worker=worker, by=coach, page_url=PAGE)
    assert not SignInCard.objects.unscoped(reason="test").filter(link_code_hash__gt="").exists()


# --- Pages --------------------------------------------------------------------------------


def test_the_coach_sends_the_link_from_the_card_page(client, coach, worker):
    client.force_login(coach)
    url = reverse("cards:card", kwargs={"worker_pk": worker.pk})
    response = client.post(url, {"action": "send_link"}, follow=True)
    html = response.content.decode()
    assert "anouk@example.org" in html and 'data-testid="link-status"' in html
    [message] = mail.outbox
    assert "http://testserver/me/link/#" in message.body


def test_without_an_address_the_card_page_offers_no_link(client, coach, worker):
    worker.email = ""
    worker.save()
    client.force_login(coach)
    url = reverse("cards:card", kwargs={"worker_pk": worker.pk})
    html = client.get(url).content.decode()
    assert 'data-testid="no-email"' in html and 'value="send_link"' not in html
    response = client.post(url, {"action": "send_link"}, follow=True)
    assert "geen e-mailadres" in response.content.decode() and mail.outbox == []


def test_another_organisations_worker_gets_no_link(client, coach, other_organisation):
    foreign = WorkerFactory(organisation=other_organisation, email="ander@example.org")
    client.force_login(coach)
    response = client.post(reverse("cards:card", kwargs={"worker_pk": foreign.pk}), {"action": "send_link"})
    assert response.status_code in (403, 404) and mail.outbox == []


def test_the_worker_opens_the_link_chooses_a_pin_and_is_home(client, coach, worker):
    _card, code = _send(worker, coach)
    assert "data-link-code" in client.get(LINK).content.decode()
    assert client.post(LINK, {"code": code}).url == PIN_PAGE
    assert 'name="repeat"' in client.get(PIN_PAGE).content.decode()
    assert client.post(PIN_PAGE, {"pin": "1357", "repeat": "1357"}).url == HOME
    assert "Anouk" in client.get(HOME).content.decode()
    client.post(reverse("portal:logout"))
    # Used: the same link opens nothing a second time.
    response = client.post(LINK, {"code": code})
    assert response.status_code == 200 and worker_session.PENDING_KEY not in client.session
    assert "al gebruikt" in response.content.decode()


def test_an_expired_or_unknown_link_is_refused_on_the_page(client, coach, worker):
    card, code = _send(worker, coach)
    SignInCard.objects.unscoped(reason="test").filter(pk=card.pk).update(
        link_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    for refused in (code, "guess", ""):
        response = client.post(LINK, {"code": refused})
        assert response.status_code == 200 and worker_session.PENDING_KEY not in client.session
    assert client.get(HOME).url == reverse("portal:sign_in")


def test_the_pin_lockout_applies_to_the_link(client, coach, worker):
    card, _card_code = make_card(worker)
    card, code = _send(worker, coach)
    client.post(LINK, {"code": code})
    for _ in range(5):
        client.post(PIN_PAGE, {"pin": "0000"})
    card.refresh_from_db()
    assert card.locked
    client.post(PIN_PAGE, {"pin": PIN})
    assert client.get(HOME).url == reverse("portal:sign_in")
    # A new link does not open a locked card either.
    card, code = _send(worker, coach)
    response = client.post(LINK, {"code": code})
    assert worker_session.PENDING_KEY not in client.session and "geblokkeerd" in response.content.decode()
