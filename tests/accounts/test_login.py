import pytest
from django.core import mail

from bwise.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"login": username, "password": password})


def test_right_password_logs_in(client, organisation):
    UserFactory(username="lotte", organisation=organisation)
    response = _login(client, "lotte", "secret-password-1")
    assert response.status_code == 302
    assert client.get("/workers/").status_code == 200


def test_sixth_attempt_after_five_failures_is_refused_even_with_right_password(client, organisation):
    UserFactory(username="lotte", organisation=organisation)
    statuses = [_login(client, "lotte", "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    response = _login(client, "lotte", "secret-password-1")
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert client.get("/workers/").status_code == 302  # still anonymous: sent to the login page


def test_lockout_is_per_user(client, organisation):
    UserFactory(username="lotte", organisation=organisation)
    UserFactory(username="jonas", organisation=organisation)
    for _ in range(5):
        _login(client, "lotte", "wrong-password")
    assert _login(client, "jonas", "secret-password-1").status_code == 302


def test_password_reset_sends_an_email_with_a_link(client, organisation, tasks_on_commit):
    UserFactory(username="lotte", email="lotte@example.be", organisation=organisation)
    with tasks_on_commit():
        response = client.post("/accounts/password/reset/", {"email": "lotte@example.be"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_logout_requires_post_and_ends_the_session(client, organisation):
    user = UserFactory(organisation=organisation, roles=[Role.COACH])
    client.force_login(user)
    client.post("/accounts/logout/")
    assert client.get("/workers/").status_code == 302


def test_signup_is_closed(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "intruder",
            "email": "x@example.be",
            "password1": "Abcdef!12345",
            "password2": "Abcdef!12345",
        },
    )
    assert response.status_code in (200, 403)
    from bwise.accounts.models import User

    assert not User.objects.filter(username="intruder").exists()
