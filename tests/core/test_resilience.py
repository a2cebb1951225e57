"""With the broker unreachable the web tier keeps working: health, login, the caseload."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from bwise.accounts.models import Role
from tests.factories import WorkerFactory
from tests.security_helpers import PAGES, password_login

pytestmark = pytest.mark.django_db

# Nothing listens on this port: connecting is refused, as when Redis is stopped.
CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    return settings


def _timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def test_health_reports_the_broker_down_quickly(client, broker_down):
    response, elapsed = _timed_get(client, reverse("health"))
    assert elapsed < 3
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unavailable"}


def test_health_reports_a_working_broker(client, settings, tmp_path):
    # The counterpart, so that "unavailable" above means something: the filesystem transport is up.
    for sub in ("in", "out"):
        (tmp_path / sub).mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "in"),
        "data_folder_out": str(tmp_path / "out"),
    }
    assert client.get(reverse("health")).json()["broker"] == "ok"


def test_login_and_caseload_work_without_the_broker(client, broker_down, organisation, coach):
    WorkerFactory(organisation=organisation, coach=coach, first_name="Zita", last_name="Vermeulen")
    started = time.monotonic()
    assert password_login(client, coach).status_code == 302
    response, _ = _timed_get(client, reverse("trajects:caseload"))
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert "Vermeulen" in response.content.decode()


def test_every_page_answers_quickly_without_the_broker(client, broker_down, organisation, make_user):
    """No page waits for the broker: each answers without it about as fast as with one. Compared
    with the same page's own time, not a fixed limit: the API schema takes seconds to render
    on a busy machine, broker or not."""
    users = [make_user(role) for role in (Role.COACH, Role.HR, Role.BEHEERDER)]
    WorkerFactory(organisation=organisation, coach=users[0])
    # A page's first answer in a process also compiles its templates (and builds the API
    # schema), which takes seconds or not depending on what this process ran before: open
    # each page once untimed, so that the time below is the broker's part alone.
    for user in users:
        client.force_login(user)
        for name in PAGES:
            client.get(reverse(name))
    for user in users:
        client.force_login(user)
        for name in PAGES:
            with override_settings(CELERY_BROKER_URL="memory://"):
                _, with_broker = _timed_get(client, reverse(name))
            response, without = _timed_get(client, reverse(name))
            assert response.status_code < 500, name
            assert without < with_broker + 2, (
                f"{name}: {without:.1f} s without the broker, {with_broker:.1f} s with one, as {user.roles}"
            )


def test_a_form_saves_without_the_broker(client, broker_down, beheerder, organisation):
    client.force_login(beheerder)
    url = reverse("accounts:organisation_security")
    assert client.post(url, {"require_2fa_for_sensitive_roles": "on"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.require_2fa_for_sensitive_roles
