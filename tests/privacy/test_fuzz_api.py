"""The API fuzzed with schemathesis against its own schema, as HR and as a coach: no 5xx.

Path ids are half of the time those of a real record of the caller's organisation (the
universe), so that the operations get past 404 and reach validation and the services.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bwise.accounts.models import Role
from bwise.wsgi import application
from tests.factories import OrganisationFactory, UserFactory
from tests.factories_api import make_token
from tests.universe import build_universe

pytestmark = pytest.mark.django_db

# An eighth of the run's hypothesis profile (tests/conftest.py): 25 at full strength.
EXAMPLES_PER_OPERATION = max(3, settings().max_examples // 8)
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _schema(header):
    import schemathesis

    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers={"Authorization": header}
    )


def _with_real_ids(strategy, universe):
    def fill(pair):
        case, real = pair
        if real and case.path_parameters:
            for name in list(case.path_parameters):
                model = name[: -len("_pk")] if name.endswith("_pk") else None
                if model in universe.objects:
                    case.path_parameters[name] = universe.pk_for(model)
        return case

    return st.tuples(strategy, st.booleans()).map(fill)


@pytest.fixture
def universe(db):
    return build_universe(OrganisationFactory())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI handler directly would close the test's database connection at the
    end of each request, as Django's own test client prevents."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", [Role.HR, Role.COACH])
def test_the_api_answers_every_generated_request_without_a_server_error(universe, role):
    user = (
        universe.coach
        if role == Role.COACH
        else UserFactory(organisation=universe.organisation, roles=[role])
    )
    _token, header = make_token(user)
    headers = {"Authorization": header}
    schema = _schema(header)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    errors, examples = [], 0
    for operation in operations:

        @FUZZ_SETTINGS
        @given(case=_with_real_ids(operation.as_strategy(), universe))
        def call(case):
            nonlocal examples
            response = case.call(headers=headers)
            examples += 1
            if response.status_code >= 500:
                errors.append((case.method, case.formatted_path, case.path_parameters, case.body))

        call()
    assert errors == []
    print(f"api fuzz: {role}: {len(operations)} operations, {examples} examples")
