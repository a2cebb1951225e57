"""The platform admin (finding 4): no password-only login, a session that gave a TOTP code."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import UserFactory
from tests.security_helpers import password_login, totp_code

pytestmark = pytest.mark.django_db

PLATFORM = "/platform/"


@pytest.fixture
def staff(db):
    return UserFactory(organisation=None, is_superuser=True, is_staff=True, roles=[])


@pytest.fixture
def staff_secret(staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return secret


def _in_platform(client) -> bool:
    return client.get(PLATFORM).status_code == 200


def test_the_admin_s_own_login_form_does_not_log_in(client, staff, staff_secret):
    response = client.post(
        f"{reverse('admin:login')}?next={PLATFORM}",
        {"username": staff.username, "password": "secret-password-1", "next": PLATFORM},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not _in_platform(client)


def test_anonymous_visitors_are_sent_to_the_product_login(client):
    response = client.get(PLATFORM, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fplatform%2F"


def test_the_password_alone_does_not_open_the_platform(client, staff, staff_secret):
    assert password_login(client, staff)["Location"] == reverse("mfa_authenticate")
    assert not _in_platform(client)


def test_the_totp_login_opens_the_platform(client, staff, staff_secret):
    password_login(client, staff)
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(staff_secret)}).status_code == 302
    assert _in_platform(client)


def test_a_session_without_a_totp_code_is_asked_for_one(client, staff, staff_secret):
    client.force_login(staff)  # e.g. signed in before TOTP was activated
    response = client.get(PLATFORM, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    assert not _in_platform(client)
    done = client.post(f"{reverse('mfa_reauthenticate')}?next={PLATFORM}", {"code": totp_code(staff_secret)})
    assert done.status_code == 302 and done["Location"] == PLATFORM
    assert _in_platform(client)


def test_staff_without_totp_must_activate_it_first(client, staff):
    client.force_login(staff)
    response = client.get(PLATFORM, follow=True)
    assert reverse("mfa_activate_totp") in [url for url, _status in response.redirect_chain]
    assert not _in_platform(client)


@pytest.mark.parametrize("url", ["/", "/workers/", "/dashboard/federation/"])
def test_staff_without_totp_cannot_use_the_product_after_the_password_alone(client, staff, url):
    assert password_login(client, staff)["Location"] != reverse("mfa_authenticate")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/workers/")
    assert api.status_code == 403 and api.json()["setup_url"] == reverse("mfa_activate_totp")
    # The set-up pages and logging out stay reachable.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_staff_with_totp_reach_the_federation_view_after_the_code(client, staff, staff_secret):
    password_login(client, staff)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(staff_secret)})
    assert client.get(reverse("dashboard:federation")).status_code == 200


def test_a_signed_in_user_who_is_not_staff_is_refused_without_a_redirect_loop(client, coach):
    client.force_login(coach)
    response = client.get(PLATFORM, follow=True)
    assert response.status_code == 403
