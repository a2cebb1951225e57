"""Getting in and staying in: invitations, password resets, lockout (issue 11, findings 5, 7, 13)."""

import re
from unittest.mock import patch

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bwise.accounts import lockout, services, tasks
from bwise.accounts.models import Role, User
from bwise.core.client_ip import client_ip
from bwise.core.errors import DomainError
from tests.factories import UserFactory
from tests.security_helpers import password_login, reauthenticate, totp_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nieuw-wachtwoord-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Allauth keeps its rate limits in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def strict_organisation(organisation):
    organisation.require_2fa_for_sensitive_roles = True
    organisation.save()
    return organisation


def _link_in_last_mail() -> str:
    match = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _set_password_through_link(client, link: str) -> None:
    # Allauth moves the key into the session and redirects to a page without it.
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302, done.content.decode()[:2000]
    assert done["Location"] == reverse("account_reset_password_from_key_done")


def _activate_totp(client, user) -> None:
    """Log in and activate an authenticator app through allauth's own pages."""
    assert password_login(client, user, NEW_PASSWORD).status_code == 302
    # The organisation requires 2FA: every page sends the user to the set-up page.
    assert client.get("/workers/")["Location"] == reverse("mfa_activate_totp")
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302
    # Before the fix allauth sent an unverified user to the MFA overview instead, in a loop.
    assert asked["Location"].startswith(reverse("account_reauthenticate")), asked["Location"]
    reauthenticate(client, NEW_PASSWORD)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/workers/").status_code == 200


# --- Finding 5: invitations and resets prove the address ---------------------------------


def test_invited_user_activates_totp_right_after_accepting_the_invitation(
    client, strict_organisation, beheerder
):
    # The 2FA requirement covers the beheerder too, who has an authenticator already.
    TOTP.activate(beheerder, generate_totp_secret())
    client.force_login(beheerder)
    response = client.post(
        reverse("accounts:user_invite"),
        {
            "username": "nieuwe-coach",
            "first_name": "Nele",
            "last_name": "Maes",
            "email": "Nele.Maes@example.be",
            "roles": [Role.COACH],
        },
    )
    assert response.status_code == 302
    client.logout()
    invited = User.objects.get(username="nieuwe-coach")

    _set_password_through_link(client, _link_in_last_mail())

    address = EmailAddress.objects.get(user=invited)
    assert (address.email, address.verified, address.primary) == ("nele.maes@example.be", True, True)
    _activate_totp(client, invited)


def test_a_reset_request_by_anyone_changes_nothing_for_the_user(
    client, strict_organisation, make_user, tasks_on_commit
):
    coach = make_user(Role.COACH, email="coach@example.be")
    with tasks_on_commit():
        response = client.post(reverse("account_reset_password"), {"email": "coach@example.be"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # Before the fix, making the link recorded the address as unverified, which blocks 2FA.
    assert not EmailAddress.objects.filter(user=coach).exists()
    coach.refresh_from_db()
    assert coach.check_password("secret-password-1")


def test_completing_a_reset_after_an_unverified_address_lets_totp_be_activated(
    client, strict_organisation, make_user, tasks_on_commit, settings
):
    """Users stuck before the fix (an unverified address on record) get out with one reset."""
    settings.SITE_URL = "http://testserver"  # the task links to the site, not to the request
    coach = make_user(Role.COACH, email="coach@example.be")
    EmailAddress.objects.create(user=coach, email="coach@example.be", verified=False, primary=False)
    EmailAddress.objects.create(user=coach, email="old-typo@example.be", verified=False, primary=True)

    with tasks_on_commit():
        client.post(reverse("account_reset_password"), {"email": "coach@example.be"})
    _set_password_through_link(client, _link_in_last_mail())

    assert list(EmailAddress.objects.filter(user=coach).values_list("email", "verified", "primary")) == [
        ("coach@example.be", True, True)
    ]
    _activate_totp(client, coach)


def test_an_address_shared_with_another_account_does_not_block_2fa(client, strict_organisation, make_user):
    """One person with an account in two organisations: allauth lets only one hold it verified."""
    other_account = UserFactory(email="gedeeld@example.be")
    EmailAddress.objects.create(user=other_account, email="gedeeld@example.be", verified=True, primary=True)
    coach = make_user(Role.COACH, username="gedeeld-coach", email="gedeeld@example.be")
    EmailAddress.objects.create(user=coach, email="gedeeld@example.be", verified=False, primary=True)

    services.user_address_proven(user=coach)

    assert not EmailAddress.objects.filter(user=coach, verified=False).exists()
    assert EmailAddress.objects.get(user=other_account).verified


# --- Finding 13: no mail to unknown addresses, no word about other organisations' users ---


def test_password_reset_for_an_unknown_address_sends_no_mail(client, organisation, tasks_on_commit):
    UserFactory(organisation=organisation, email="known@example.be")
    with tasks_on_commit():
        response = client.post(reverse("account_reset_password"), {"email": "stranger@example.be"})
    # The same answer as for a known address, so the form tells nothing either.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []


def _invite(by, username):
    return services.user_invite(
        by=by,
        request=None,
        username=username,
        email="a@example.be",
        first_name="A",
        last_name="B",
        roles=[Role.COACH],
    )


def test_inviting_a_username_of_another_organisation_does_not_say_it_exists(
    beheerder, other_organisation, make_user
):
    UserFactory(username="elders", organisation=other_organisation)
    make_user(Role.COACH, username="hier")

    refusals = {}
    for username in ("elders", "hier"):
        with pytest.raises(DomainError) as refused:
            _invite(beheerder, username)
        refusals[username] = refused.value
    elsewhere, here = refusals["elders"], refusals["hier"]
    assert (elsewhere.field, elsewhere.code) == ("username", "username_unavailable")
    assert (here.field, here.code) == (elsewhere.field, elsewhere.code)
    # One answer whoever has the name, and it does not say that anyone has it.
    assert str(elsewhere.message) == str(here.message)
    revealing = r"taken|exist|bezet|bestaat|another organisation|andere organisatie"
    assert not re.search(revealing, str(elsewhere.message))
    assert User.objects.filter(username="elders").count() == 1


def test_the_beheerder_proceeds_with_another_username(client, beheerder, other_organisation):
    UserFactory(username="elders", organisation=other_organisation)
    client.force_login(beheerder)
    data = {"first_name": "A", "last_name": "B", "email": "a@example.be", "roles": [Role.COACH]}
    refused = client.post(reverse("accounts:user_invite"), {**data, "username": "elders"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["username"]
    accepted = client.post(reverse("accounts:user_invite"), {**data, "username": "elders-2"})
    assert accepted.status_code == 302
    assert User.objects.get(username="elders-2").organisation == beheerder.organisation


@pytest.mark.parametrize("address", ["known@example.be", "stranger@example.be"])
def test_a_reset_request_only_enqueues_the_mail_whether_or_not_the_address_is_known(
    client, organisation, django_capture_on_commit_callbacks, address
):
    """The request does the same work for a known and an unknown address (no timing oracle):
    one lookup and one message; no token, no rendering, no mail. The task does those."""
    known = UserFactory(organisation=organisation, email="known@example.be")
    with (
        patch("bwise.accounts.tasks.send_password_reset.delay") as delay,
        patch("bwise.accounts.services.request_password_reset") as mailing,
        patch("allauth.account.forms.flows.password_reset.request_password_reset") as allauths_mailing,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("account_reset_password"), {"email": address})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    delay.assert_called_once_with(user_pks=[known.pk] if address == "known@example.be" else [])
    mailing.assert_not_called()
    allauths_mailing.assert_not_called()
    assert mail.outbox == []


def test_the_reset_task_mails_the_users_it_names_and_nobody_for_an_unknown_address(organisation, settings):
    settings.SITE_URL = "https://bwise.example"
    user = UserFactory(organisation=organisation, username="lotte", email="lotte@example.be")
    gone = UserFactory(organisation=organisation, email="gone@example.be", is_active=False)
    assert tasks.send_password_reset.apply(kwargs={"user_pks": []}).get() == 0
    assert tasks.send_password_reset.apply(kwargs={"user_pks": [gone.pk]}).get() == 0
    assert mail.outbox == []
    assert tasks.send_password_reset.apply(kwargs={"user_pks": [user.pk]}).get() == 1
    [message] = mail.outbox
    assert message.to == ["lotte@example.be"]
    assert re.search(r"https://bwise\.example/accounts/password/reset/key/\S+/", message.body)
    assert user.username in message.body


# --- Finding 7: nobody can lock another user out -----------------------------------------

LOGIN = "/accounts/login/"
RIGHT_PASSWORD = "secret-password-1"


@pytest.fixture
def waits(monkeypatch):
    """The slow-down's pauses, recorded instead of slept."""
    recorded = []
    monkeypatch.setattr(lockout, "sleep", recorded.append)
    return recorded


def _attempt(username, password, *, address="127.0.0.1", forwarded=None):
    """One login attempt from its own browser at the given address (and proxy header)."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    client = Client()
    response = client.post(
        LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address, headers=headers
    )
    return response, client


def _logged_in(client) -> bool:
    return client.get("/workers/").status_code == 200


def test_failures_from_other_addresses_do_not_lock_the_user_out(organisation, make_user, waits):
    make_user(Role.COACH, username="lotte")
    for attacker in ("127.0.0.2", "127.0.0.4", "127.0.0.5", "127.0.0.6"):
        statuses = [_attempt("lotte", "wrong-password", address=attacker)[0].status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429], attacker  # each address is locked for lotte

    response, victim = _attempt("lotte", RIGHT_PASSWORD, address="127.0.0.3")
    assert response.status_code == 302
    assert _logged_in(victim)
    # The attacker's own address stays locked for that username, even with the right password.
    assert _attempt("lotte", RIGHT_PASSWORD, address="127.0.0.2")[0].status_code == 429


def test_a_username_failed_from_many_addresses_is_slowed_down_not_locked(
    organisation, make_user, waits, settings
):
    settings.LOGIN_SLOWDOWN_AFTER = 10
    make_user(Role.COACH, username="lotte")
    for attacker in ("127.0.0.2", "127.0.0.4"):
        for _ in range(5):
            _attempt("lotte", "wrong-password", address=attacker)
    assert waits == []  # ten failures, none of them slowed down yet

    response, victim = _attempt("lotte", RIGHT_PASSWORD, address="127.0.0.3")
    assert waits == [1.0]  # the wait comes before the password is checked, for everyone
    assert response.status_code == 302
    assert _logged_in(victim)
    # Another username is not slowed down by lotte's failures.
    make_user(Role.COACH, username="jonas")
    _attempt("jonas", RIGHT_PASSWORD, address="127.0.0.2")
    assert waits == [1.0]


@pytest.mark.parametrize(
    ("failures", "seconds"), [(0, 0), (9, 0), (10, 1), (19, 1), (20, 2), (30, 4), (500, 4)]
)
def test_the_slowdown_grows_but_stays_short(settings, failures, seconds):
    settings.LOGIN_SLOWDOWN_AFTER = 10
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 4
    assert lockout.slowdown_seconds(failures) == seconds


def test_behind_the_proxy_the_forwarded_address_is_what_counts(organisation, make_user, settings, waits):
    """Every request comes from the proxy (127.0.0.1); X-Forwarded-For names the browser."""
    settings.PROXY_COUNT = 1
    make_user(Role.COACH, username="lotte")
    statuses = [_attempt("lotte", "wrong-password", forwarded="127.0.0.2")[0].status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}
    # The attacker writing another address in front of the proxy's entry changes nothing.
    assert _attempt("lotte", RIGHT_PASSWORD, forwarded="127.0.0.3, 127.0.0.2")[0].status_code == 429

    response, victim = _attempt("lotte", RIGHT_PASSWORD, forwarded="127.0.0.3")
    assert response.status_code == 302
    assert _logged_in(victim)


@pytest.mark.parametrize(
    ("proxy_count", "forwarded", "expected"),
    [
        (0, "127.0.0.2", "127.0.0.9"),  # no proxy of ours: the header is the client's own words
        (1, "127.0.0.2", "127.0.0.2"),
        (1, "10.6.6.6, 127.0.0.2", "127.0.0.2"),  # only the entry our proxy appended
        (2, "10.6.6.6, 127.0.0.2, 172.18.0.5", "127.0.0.2"),
        (2, "127.0.0.2", "127.0.0.9"),  # did not pass both proxies: the connection's address
        (1, "not-an-address", "127.0.0.9"),
        (1, "", "127.0.0.9"),
        (1, "2001:DB8::0001", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_exactly_our_proxies(rf, settings, proxy_count, forwarded, expected):
    settings.PROXY_COUNT = proxy_count
    request = rf.post(LOGIN, REMOTE_ADDR="127.0.0.9", headers={"X-Forwarded-For": forwarded})
    assert client_ip(request) == expected
    # Allauth's rate limits use the same answer as axes' lockout.
    assert get_adapter().get_client_ip(request) == expected
    assert get_client_ip_address(request) == expected


def test_allauths_own_address_page_is_closed(client, coach):
    """Opening it used to record the address as unverified, blocking 2FA until a reset."""
    client.force_login(coach)
    assert client.get("/accounts/email/").status_code == 404
    assert client.post("/accounts/email/", {"email": "other@example.be", "action_add": ""}).status_code == 404
    assert not EmailAddress.objects.filter(user=coach).exists()
