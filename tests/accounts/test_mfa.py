"""Two-factor authentication: the login step, recovery codes, the set-up pages, enforcement."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret
from django.urls import reverse

from bwise.accounts.models import Role
from tests.security_helpers import INLINE_SCRIPT, password_login, reauthenticate, totp_code

pytestmark = pytest.mark.django_db

CASELOAD = "/workers/"


@pytest.fixture
def coach_with_totp(coach):
    secret = generate_totp_secret()
    TOTP.activate(coach, secret)
    codes = RecoveryCodes.activate(coach).get_unused_codes()
    return coach, secret, codes


def _is_logged_in(client) -> bool:
    return client.get(CASELOAD).status_code == 200


def test_password_alone_does_not_log_in_a_user_with_totp(client, coach_with_totp):
    coach, _secret, _codes = coach_with_totp
    response = password_login(client, coach)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _is_logged_in(client)


def test_totp_code_completes_the_login(client, coach_with_totp):
    coach, secret, _codes = coach_with_totp
    password_login(client, coach)
    step = client.get(reverse("mfa_authenticate"))
    assert step.status_code == 200
    assert not INLINE_SCRIPT.search(step.content.decode())

    valid = {totp_code(secret, offset=offset) for offset in (-1, 0, 1)}
    wrong_code = next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)
    wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_code})
    assert wrong.status_code == 200  # the form again, with an error
    assert not _is_logged_in(client)

    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert _is_logged_in(client)


def test_a_recovery_code_logs_in_once(client, coach_with_totp):
    coach, _secret, codes = coach_with_totp
    password_login(client, coach)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert _is_logged_in(client)

    client.post(reverse("account_logout"))
    assert not _is_logged_in(client)
    password_login(client, coach)
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200
    assert not _is_logged_in(client)
    # Another, unused code still works.
    assert client.post(reverse("mfa_authenticate"), {"code": codes[1]}).status_code == 302
    assert _is_logged_in(client)


def _activate_through_the_pages(client, user):
    assert password_login(client, user).status_code == 302
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    reauth_page = client.get(asked["Location"])
    assert reauth_page.status_code == 200 and not INLINE_SCRIPT.search(reauth_page.content.decode())
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<img[^>]+src="data:image/svg\+xml;base64,', html), "the QR code is missing"
    assert not INLINE_SCRIPT.search(html)
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret, response


def test_activating_totp_through_the_pages_shows_recovery_codes(client, hr):
    _secret, response = _activate_through_the_pages(client, hr)
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    html = codes_page.content.decode()
    codes = RecoveryCodes(Authenticator.objects.get(user=hr, type=Authenticator.Type.RECOVERY_CODES))
    assert all(code in html for code in codes.get_unused_codes())
    assert not INLINE_SCRIPT.search(html)


@pytest.mark.parametrize(
    "url_name", ["mfa_index", "mfa_deactivate_totp", "mfa_generate_recovery_codes", "mfa_view_recovery_codes"]
)
def test_mfa_pages_render_in_our_layout_without_inline_scripts(client, coach_with_totp, url_name):
    coach, secret, _codes = coach_with_totp
    password_login(client, coach)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    reauthenticate(client)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "navbar" in html and "bootstrap.min.css" in html
    assert not INLINE_SCRIPT.search(html)


def test_navbar_links_to_two_factor_authentication(client, coach):
    client.force_login(coach)
    html = client.get(CASELOAD).content.decode()
    assert f'href="{reverse("mfa_index")}"' in html


# --- Enforcement per organisation -------------------------------------------------------


@pytest.fixture
def strict_organisation(organisation):
    organisation.require_2fa_for_sensitive_roles = True
    organisation.save()
    return organisation


@pytest.mark.parametrize("role", [Role.COACH, Role.HR, Role.DIRECTIE, Role.BEHEERDER])
def test_sensitive_roles_must_activate_totp_first(client, strict_organisation, make_user, role):
    user = make_user(role)
    client.force_login(user)
    for url in (CASELOAD, reverse("home"), reverse("accounts:organisation_security")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/workers/")
    assert api.status_code == 403
    assert api.json()["setup_url"] == reverse("mfa_activate_totp")
    htmx = client.get(CASELOAD, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("mfa_activate_totp")
    # The set-up pages, the health probe and logging out stay reachable.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("health")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_enforcement_lets_through_after_activation(client, strict_organisation, coach):
    _activate_through_the_pages(client, coach)
    assert client.get(CASELOAD).status_code == 200


@pytest.mark.parametrize("role", [Role.BEGELEIDER])
def test_roles_without_sensitive_data_are_not_forced(client, strict_organisation, make_user, role):
    client.force_login(make_user(role))
    response = client.get(reverse("home"))
    assert response.status_code in (200, 302)
    assert response.get("Location") != reverse("mfa_activate_totp")


def test_organisations_that_do_not_require_it_are_left_alone(client, coach):
    client.force_login(coach)
    assert client.get(CASELOAD).status_code == 200


# --- The administrator's setting ------------------------------------------------------


def test_beheerder_turns_enforcement_on(client, beheerder, organisation):
    # The requirement covers the administrator too; with TOTP they can turn it off again.
    TOTP.activate(beheerder, generate_totp_secret())
    client.force_login(beheerder)
    url = reverse("accounts:organisation_security")
    assert client.get(url).status_code == 200
    response = client.post(url, {"require_2fa_for_sensitive_roles": "on"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.require_2fa_for_sensitive_roles is True
    client.post(url, {})
    organisation.refresh_from_db()
    assert organisation.require_2fa_for_sensitive_roles is False


@pytest.mark.parametrize("role", [Role.COACH, Role.HR, Role.DIRECTIE, Role.BEGELEIDER])
def test_other_roles_cannot_change_the_setting(client, make_user, organisation, role):
    client.force_login(make_user(role))
    response = client.post(
        reverse("accounts:organisation_security"), {"require_2fa_for_sensitive_roles": "on"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.require_2fa_for_sensitive_roles is False
