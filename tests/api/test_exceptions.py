"""Every error of the API is one problem body (``bwise.api.exceptions``), in the caller's language."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from tests.factories import WorkerFactory
from tests.factories_api import make_token

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
KEYS = {"type", "title", "status", "detail", "code"}


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert set(body) >= KEYS and body["status"] == status
    return body


@pytest.mark.parametrize("header", [None, "Bearer bwise_pat_nope", "Bearer two tokens"])
def test_a_missing_or_bad_token_answers_401_with_its_challenge(header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/workers/")
    body = _problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert body["code"] in ("not_authenticated", "authentication_failed")


def test_errors_speak_dutch_unless_the_client_asks_for_english(coach):
    _token, header = make_token(coach)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    dutch = _problem(client.get("/api/v1/workers/999999/"), 404)
    english = _problem(client.get("/api/v1/workers/999999/", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert (dutch["detail"], english["detail"]) == ("Niet gevonden.", "Not found.")
    assert dutch["code"] == english["code"] == "not_found"


def test_a_refused_input_names_each_field(coach):
    client = APIClient()
    client.force_authenticate(coach)
    body = _problem(client.post("/api/v1/plans/", {"kind": "pop"}, format="json"), 400)
    assert body["field"] == "worker"
    assert {item["field"] for item in body["errors"]} == {"worker"}
    refused = _problem(
        client.post(
            "/api/v1/plans/",
            {"worker": WorkerFactory(organisation=coach.organisation, coach=coach).pk, "kind": "pop"},
            format="json",
        ),
        400,
    )
    assert (refused["code"], refused["field"]) == ("required", "year")


def test_an_address_no_route_knows_answers_a_problem_under_api_only(client):
    _problem(client.get("/api/v1/no-such-thing/"), 404)
    assert client.get("/no-such-thing/")["Content-Type"].startswith("text/html")


def test_past_the_rate_limit_the_api_answers_429_with_retry_after(coach, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "2/minute", raising=False)
    cache.clear()
    client = APIClient()
    client.force_authenticate(coach)
    assert [client.get("/api/v1/workers/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/workers/")
    assert _problem(response, 429)["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    cache.clear()


def test_the_schema_declares_the_problem_of_each_error(coach):
    client = APIClient()
    client.force_authenticate(coach)
    schema = client.get("/api/schema/?format=json").json()
    patch = schema["paths"]["/api/v1/workers/{worker_pk}/"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "412", "429"} <= set(patch)
    assert patch["429"]["headers"]["Retry-After"]["required"] is True
    listing = schema["paths"]["/api/v1/workers/"]["get"]["responses"]
    assert "412" not in listing and "404" in listing  # a page past the last
    assert "600/minute" in schema["info"]["description"]


def test_an_empty_page_and_a_nul_in_a_filter_are_refused_not_crashed_on(coach):
    client = APIClient()
    client.force_authenticate(coach)
    _problem(client.get("/api/v1/workers/?page="), 404)
    _problem(client.get("/api/v1/coaching-moments/?worker=%00W"), 400)


def test_a_moment_centuries_ago_is_refused(coach):
    client = APIClient()
    client.force_authenticate(coach)
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    body = {"worker": worker.pk, "text": "Ruimt op", "observed_at": "1301-11-24T08:49:11Z"}
    refused = _problem(client.post("/api/v1/observations/", body), 400)
    assert (refused["field"], refused["code"]) == ("observed_at", "out_of_range")
