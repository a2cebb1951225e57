"""Every URL that takes an object id, for every role, against objects the user may not see.

URL patterns are discovered from the resolver, so new URLs are covered without
editing this file. Object ids must be named ``<model>_pk`` (the model's lowercase
name); the ids are filled from a "universe" (tests/universe.py) per organisation.
"""

import re
import secrets

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from bwise.accounts.models import Role
from tests.factories import OrganisationFactory, PlatformStaffFactory, UserFactory
from tests.factories_portal import sign_in_worker
from tests.universe import build_universe

OUR_MODULES = ("bwise.", "trajects.", "competenties.", "partners.")
# Kwargs that are not object ids, with how to fill them. DRF's format suffix duplicates
# every route and is skipped.
NON_OBJECT_KWARGS: dict[str, object] = {"token": secrets.token_urlsafe(32)}
# URLs whose secret token is the credential (calendar feeds cannot log in): an unknown
# token must be refused like any outsider; the apps' own tests open them with a real one.
SECRET_URLS = {
    "reminders:feed",
    "reminders:unsubscribe",
    "partners:mentor",
    "competenties:passport_public",
    "portal:feed",
}
REFUSED = {403, 404, 405}
# The worker of the own universe, signed in with their card (``bwise.portal``): a reader of
# its own, beside the roles. Staff pages send it to the login page.
WORKER = "worker"
LOGIN_PAGES = ("/accounts/login/", "/me/sign-in/")
# Organisation-wide records (frameworks, job profiles) are shared by everyone in the
# organisation, so a coach or supervisor rightly reaches the sibling universe's copy;
# the other organisation's copy is still refused below.
ORGANISATION_SHARED_KWARGS = {
    "framework_pk",
    "competency_pk",
    "indicator_pk",
    "jobprofile_pk",
    # The partner register and application-training sessions are shared in the organisation.
    "partner_pk",
    "partnercontact_pk",
    "visit_pk",
    "visitchecklist_pk",
    "vacancy_pk",
    "partnerevent_pk",
    "trainingsession_pk",
    # Calibration exercises hold a recorded case, no worker's record.
    "calibrationcase_pk",
}


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace if entry.namespace else namespace
            if ns and namespace and entry.namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def _kwargs_of(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def object_url_patterns():
    found = []
    for route, pattern, namespace in _walk(get_resolver()):
        callback = pattern.callback
        module = getattr(callback, "__module__", "") or ""
        if not module.startswith(OUR_MODULES):
            continue
        kwargs = _kwargs_of(route)
        if not kwargs or "format" in kwargs:
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        found.append(pytest.param(name, tuple(kwargs), id=name or route))
    return found


PATTERNS = object_url_patterns()


def test_object_urls_are_discovered():
    names = {p.values[0] for p in PATTERNS}
    assert "trajects:worker_detail" in names
    assert "worker-detail" in names  # the API's router
    assert len(names) == len(PATTERNS), "every object URL needs a unique name"


def _url(name, kwargs, universe):
    from django.urls import reverse

    values = {}
    for kwarg in kwargs:
        if kwarg in NON_OBJECT_KWARGS:
            values[kwarg] = NON_OBJECT_KWARGS[kwarg]
            continue
        assert kwarg.endswith("_pk"), f"{name}: URL kwarg {kwarg!r} must be named <model>_pk"
        model_name = kwarg[: -len("_pk")]
        assert model_name in universe.objects, f"{name}: tests/universe.py builds no {model_name!r}"
        values[kwarg] = universe.pk_for(model_name)
    return reverse(name, kwargs=values)


@pytest.fixture
def world(db):
    home = OrganisationFactory()
    other = OrganisationFactory()
    own = build_universe(home)
    users = {
        Role.COACH: own.coach,
        Role.BEGELEIDER: own.supervisor,
        Role.HR: UserFactory(organisation=home, roles=[Role.HR]),
        Role.DIRECTIE: UserFactory(organisation=home, roles=[Role.DIRECTIE]),
        Role.BEHEERDER: UserFactory(organisation=home, roles=[Role.BEHEERDER]),
    }
    return {
        "users": users,
        "own": own,
        "sibling": build_universe(home),  # same organisation, another coach and supervisor
        "foreign": build_universe(other, coach=UserFactory(organisation=other, roles=[Role.COACH])),
    }


def _status(response) -> int:
    """A redirect to a login page, or the API's 401 without a login, is a refusal too (404
    stands for it)."""
    if response.status_code == 401 or (response.status_code == 302 and response.url.startswith(LOGIN_PAGES)):
        return 404
    return response.status_code


def _statuses(client, url):
    return _status(client.get(url)), _status(client.post(url, {}))


def _sign_in(client, world, who, user):
    if who == WORKER:
        sign_in_worker(client, world["own"].objects["worker"])
    else:
        client.force_login(user)


def _readers(world):
    return [*world["users"].items(), (WORKER, None)]


# The patterns in a few groups, each walked in one universe: building the three universes
# took longer than walking one pattern in them, once per pattern. Each pattern's requests run
# in a savepoint rolled back after it, so that one pattern's POST (a delete, a close) cannot
# change what the next one finds.
GROUPS = 12


def _refusal_problems(client, world, name, kwargs) -> list[str]:
    problems = []
    own_statuses = []
    for role, user in _readers(world):
        _sign_in(client, world, role, user)
        foreign = _statuses(client, _url(name, kwargs, world["foreign"]))
        if not set(foreign) <= REFUSED:
            problems.append(f"{role} reached another organisation's object at {name}: {foreign}")
        if role in (Role.COACH, Role.BEGELEIDER, WORKER) and not set(kwargs) <= ORGANISATION_SHARED_KWARGS:
            sibling = _statuses(client, _url(name, kwargs, world["sibling"]))
            if not set(sibling) <= REFUSED:
                problems.append(f"{role} reached an object outside their scope at {name}: {sibling}")
        own_statuses.append(_status(client.get(_url(name, kwargs, world["own"]))))
    # The refusals above mean something only if someone in the organisation can reach it.
    if name in SECRET_URLS:
        if set(own_statuses) != {404}:
            problems.append(f"{name} answered an unknown token: {own_statuses}")
    elif not (
        any(status not in REFUSED for status in own_statuses)
        or _post_only_reachable(client, world, name, kwargs)
    ):
        problems.append(f"nobody in the organisation can open {name}: {own_statuses}")
    return problems


@pytest.mark.parametrize("group", range(GROUPS))
def test_outsiders_are_refused_every_object_url(client, world, group):
    problems = []
    for pattern in PATTERNS[group::GROUPS]:
        name, kwargs = pattern.values
        with transaction.atomic():
            problems += _refusal_problems(client, world, name, kwargs)
            transaction.set_rollback(True)
    assert problems == []


def _post_only_reachable(client, world, name, kwargs):
    for who, user in _readers(world):
        _sign_in(client, world, who, user)
        if _status(client.post(_url(name, kwargs, world["own"]), {})) not in REFUSED:
            return True
    return False


def test_platform_staff_without_organisation_see_no_workers(client, world):
    staff = PlatformStaffFactory()
    client.force_login(staff)
    url = _url("trajects:worker_detail", ("worker_pk",), world["own"])
    assert client.get(url).status_code in REFUSED
