"""The API keeps the contract its schema states: schemathesis generates requests for every
operation from ``/api/schema/`` and checks every answer (status declared, body and headers as
the schema says, content type, auth refused without a token, valid input accepted, invalid
input refused), with the configuration in ``schemathesis.toml``, as `st run --checks all`.

Bounded: a few examples per operation and mode; the valid ones on the records of a real
organisation, so that the successful answers are checked too, not only the 404s."""

import os
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.throttling import UserRateThrottle
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from bwise.accounts.models import Role
from tests.factories import UserFactory
from tests.factories_api import make_token
from tests.universe import build_universe

pytestmark = pytest.mark.django_db

CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"
# Per operation and mode; `make test-full` (FUZZ=full) runs many more.
EXAMPLES = 25 if os.environ.get("FUZZ") == "full" else 1


@pytest.fixture
def wsgi_app():
    """Django's own WSGI application in the test's transaction: the request signals would
    close the test's database connection after the first answer (the test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(operation, mode, headers, path_parameters, failures):
    strategy = operation.as_strategy(mode, path_parameters=path_parameters or None)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        response = case.call(headers=headers)
        try:
            case.validate_response(response, headers=headers)
        except FailureGroup as group:
            failures.extend(
                f"{operation.label} [{mode}]: {failure.title}\n{failure}" for failure in group.exceptions
            )

    check()


def test_every_operation_keeps_the_contract_of_the_schema(organisation, wsgi_app, monkeypatch):
    # The rate limit has its own test; here every request should get a real answer.
    monkeypatch.setattr(UserRateThrottle, "rate", "100000/minute", raising=False)
    user = UserFactory(organisation=organisation, roles=[Role.COACH, Role.HR, Role.DIRECTIE])
    universe = build_universe(organisation, coach=user)
    _token, header = make_token(user)
    headers = {"Authorization": header}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", wsgi_app, headers=headers, config=SchemathesisConfig.from_path(CONFIG)
    )
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        names = [parameter.name for parameter in operation.path_parameters]
        real = {name: universe.pk_for(name.removesuffix("_pk")) for name in names}
        # Valid input on the organisation's own records checks the successful answers; invalid
        # input on made-up ids checks the refusals (404s and 400s alike).
        _run(operation, GenerationMode.POSITIVE, headers, real, failures)
        _run(operation, GenerationMode.NEGATIVE, headers, {}, failures)
    assert operations > 60
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:20])
