import os

import pytest

from bwise.accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory()


@pytest.fixture
def make_user(db, organisation):
    def make(*roles, org=None, **kwargs):
        return UserFactory(organisation=org or organisation, roles=list(roles) or [Role.COACH], **kwargs)

    return make


@pytest.fixture
def coach(make_user):
    return make_user(Role.COACH)


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def directie(make_user):
    return make_user(Role.DIRECTIE)


@pytest.fixture
def beheerder(make_user):
    return make_user(Role.BEHEERDER)


@pytest.fixture
def begeleider(make_user):
    return make_user(Role.BEGELEIDER)
