"""Personal access tokens (finding 6): a token is a session of its owner and never more."""

import datetime
import hashlib

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from bwise.accounts import services as account_services
from bwise.accounts.models import Role
from bwise.api.models import PersonalAccessToken, TokenScope
from bwise.audit.models import AccessLog
from tests.factories import UserFactory, WorkerFactory
from tests.factories_api import make_token
from tests.security_helpers import reauthenticate

pytestmark = pytest.mark.django_db

WORKERS = "/api/v1/workers/"
NEW_TOKEN = {"name": "Rapportage", "scope": TokenScope.READ, "lifetime_days": 90}


def _get(client, url, header):
    return client.get(url, HTTP_AUTHORIZATION=header)


def _create_through_the_page(client, owner, **data):
    client.force_login(owner)
    reauthenticate(client)
    response = client.post(
        reverse("tokens:list"),
        {**NEW_TOKEN, **data},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(client, coach):
    response = _create_through_the_page(client, coach)
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = PersonalAccessToken.objects.get()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = PersonalAccessToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    assert token.expires_at - timezone.now() > datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS - 1)
    # The list page never shows it again.
    assert secret not in client.get(reverse("tokens:list")).content.decode()
    assert _get(client, "/api/v1/me/", f"Bearer {secret}").status_code == 200


def test_making_a_token_asks_for_the_password_again(client, coach):
    client.force_login(coach)
    response = client.post(reverse("tokens:list"), NEW_TOKEN)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not PersonalAccessToken.objects.exists()


def test_a_token_is_always_made_for_the_user_who_asks(client, coach, make_user):
    colleague = make_user(Role.COACH)
    _create_through_the_page(client, coach, user=colleague.pk, user_id=colleague.pk)
    assert list(PersonalAccessToken.objects.values_list("user", flat=True)) == [coach.pk]


def test_the_access_log_names_the_token_owner(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, health_notes="Astma")
    _token, header = make_token(coach)
    assert _get(client, f"{WORKERS}{worker.pk}/", header).json()["health_notes"] == "Astma"
    assert list(AccessLog.objects.filter(worker_id=worker.pk).values_list("user", flat=True)) == [coach.pk]


def test_old_authtoken_keys_and_unknown_tokens_are_refused(client, coach):
    assert _get(client, WORKERS, "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b").status_code == 401
    assert _get(client, WORKERS, "Bearer bwise_pat_not-a-real-token").status_code == 401
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS


def test_a_token_is_refused_when_the_organisation_requires_2fa_and_the_owner_has_none(client, coach):
    _token, header = make_token(coach)
    assert _get(client, WORKERS, header).status_code == 200
    coach.organisation.require_2fa_for_sensitive_roles = True
    coach.organisation.save()
    assert _get(client, WORKERS, header).status_code == 403
    TOTP.activate(coach, generate_totp_secret())
    assert _get(client, WORKERS, header).status_code == 200


def test_no_token_is_made_before_required_2fa(client, coach):
    coach.organisation.require_2fa_for_sensitive_roles = True
    coach.organisation.save()
    client.force_login(coach)
    response = client.post(
        reverse("tokens:list"), {"name": "x", "scope": TokenScope.READ, "lifetime_days": 90}
    )
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert not PersonalAccessToken.objects.exists()


def test_expired_and_revoked_tokens_are_refused(client, coach):
    _expired, expired_header = make_token(coach, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _revoked, revoked_header = make_token(coach, revoked_at=timezone.now())
    assert _get(client, WORKERS, expired_header).status_code == 401
    assert _get(client, WORKERS, revoked_header).status_code == 401


def test_a_deactivated_owner_s_token_is_refused_and_revoked(client, coach, beheerder):
    token, header = make_token(coach)
    account_services.user_set_active(by=beheerder, user=coach, active=False)
    assert _get(client, WORKERS, header).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    account_services.user_set_active(by=beheerder, user=coach, active=True)
    assert _get(client, WORKERS, header).status_code == 401


def test_a_password_change_revokes_every_token(client, coach, make_user):
    colleague = make_user(Role.COACH)
    token, header = make_token(coach)
    other, other_header = make_token(colleague)
    client.force_login(coach)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "secret-password-1",
            "password1": "An0ther-long-pass!",
            "password2": "An0ther-long-pass!",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _get(client, WORKERS, header).status_code == 401
    assert _get(client, WORKERS, other_header).status_code == 200


def test_a_password_reset_by_link_revokes_every_token(client, coach):
    token, header = make_token(coach)
    link = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(coach), "key": default_token_generator.make_token(coach)},
    )
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": "Reset-by-link-42!", "password2": "Reset-by-link-42!"})
    assert response.status_code == 302, response.content.decode()[:2000]
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _get(client, WORKERS, header).status_code == 401


def test_a_password_set_anywhere_revokes_the_tokens(coach):
    token, _header = make_token(coach)
    coach.last_login = timezone.now()
    coach.save(update_fields=["last_login"])
    token.refresh_from_db()
    assert token.revoked_at is None
    coach.set_password("Reset-by-link-42")
    coach.save()
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_a_read_only_token_cannot_write(client, coach, method):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    _token, header = make_token(coach, scope=TokenScope.READ)
    assert _get(client, f"{WORKERS}{worker.pk}/", header).status_code == 200
    url = WORKERS if method == "post" else f"{WORKERS}{worker.pk}/"
    response = getattr(client, method)(
        url, {"team": "Atelier"}, content_type="application/json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 403
    worker.refresh_from_db()
    assert worker.team != "Atelier"


def test_a_read_write_token_writes_as_its_owner(client, coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    _token, header = make_token(coach, scope=TokenScope.READ_WRITE)
    response = client.patch(
        f"{WORKERS}{worker.pk}/",
        {"team": "Atelier"},
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 200
    worker.refresh_from_db()
    assert worker.team == "Atelier"


def test_a_token_reaches_no_more_than_its_owner_s_session(client, coach, make_user):
    colleague = make_user(Role.COACH)
    theirs = WorkerFactory(organisation=coach.organisation, coach=colleague)
    _token, header = make_token(coach)
    assert _get(client, f"{WORKERS}{theirs.pk}/", header).status_code == 404
    # The pages are for sessions only: a token opens none of them.
    assert _get(client, reverse("tokens:list"), header).status_code == 302


def test_the_beheerder_lists_and_revokes_the_tokens_of_their_own_organisation_only(
    client, coach, beheerder, other_organisation
):
    mine, header = make_token(coach, name="coach-script")
    foreign, _foreign_header = make_token(
        UserFactory(organisation=other_organisation, roles=[Role.COACH]), name="foreign-script"
    )
    client.force_login(beheerder)
    page = client.get(reverse("tokens:organisation"))
    assert [token.pk for token in page.context["object_list"]] == [mine.pk]
    assert client.post(reverse("tokens:revoke", args=[foreign.pk])).status_code == 404
    assert AccessLog.objects.filter(
        user=beheerder, outcome="refused", record_model="api.PersonalAccessToken", record_id=str(foreign.pk)
    ).exists()
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    assert client.post(reverse("tokens:revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None and mine.revoked_by == beheerder
    assert _get(client, WORKERS, header).status_code == 401


def test_other_users_cannot_list_or_revoke_a_colleague_s_tokens(client, coach, hr):
    token, _header = make_token(coach)
    client.force_login(hr)
    assert client.get(reverse("tokens:organisation")).status_code == 403
    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert token.pk not in [t.pk for t in client.get(reverse("tokens:list")).context["tokens"]]
    client.force_login(coach)
    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == coach


def test_no_admin_can_make_or_see_tokens():
    registered = {model._meta.label for model in admin.site._registry}
    assert "api.PersonalAccessToken" not in registered
    assert not any(label.startswith("authtoken.") for label in registered)


def test_the_api_documentation_is_served_from_own_static_files_to_logged_in_users(client, make_user):
    url = reverse("tokens:docs")
    assert client.get(url).status_code == 302
    client.force_login(make_user(Role.BEGELEIDER))
    page = client.get(url).content.decode()
    assert "/static/vendor/redoc/redoc.standalone.js" in page
    assert 'data-redoc-spec="/api/schema/?format=json"' in page
    assert "https://" not in page.split("<body", 1)[1].split("</main>")[0], "no CDN"
