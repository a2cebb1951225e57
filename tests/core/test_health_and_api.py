import json
import time

import pytest
import yaml
from django.test import override_settings

from bwise.accounts.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.factories_api import make_token

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_broker(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6390/0", CELERY_BROKER_TRANSPORT_OPTIONS={})
def test_health_answers_quickly_when_the_broker_is_down(client):
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unavailable"}


def test_openapi_schema_is_valid_openapi_3(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any deviation from the OpenAPI 3 JSON schema
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/workers/{worker_pk}/" in schema["paths"]


def test_api_me_shows_organisation_and_permissions(client, organisation):
    user = UserFactory(organisation=organisation, roles=[Role.COACH])
    client.force_login(user)
    body = client.get("/api/v1/me/").json()
    assert body["organisation"]["name"] == organisation.name
    assert "view_workers" in body["permissions"]
    assert "manage_users" not in body["permissions"]


def test_api_requires_authentication(client):
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_api_token_authentication_goes_through_the_access_layer(client, organisation, other_organisation):
    coach = UserFactory(organisation=organisation, roles=[Role.COACH])
    mine = WorkerFactory(organisation=organisation, coach=coach)
    WorkerFactory(organisation=organisation)  # a colleague's worker
    WorkerFactory(organisation=other_organisation)
    _token, header = make_token(coach)
    response = client.get("/api/v1/workers/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 200
    ids = [row["id"] for row in json.loads(response.content)["results"]]
    assert ids == [mine.pk]
