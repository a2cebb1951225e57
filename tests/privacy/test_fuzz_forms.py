"""Every form, fuzzed with hypothesis: no 5xx, and nothing saved before is lost.

Pages are discovered from the resolver (as in tests/access/test_urls.py) and opened as
each role until one sees a form; the forms the page renders are fuzzed where they post:
to the page itself, or to an action URL that has no page of its own (a POST-only view,
such as a trajectory's transitions). Destructive actions (delete, erase) are left out:
losing data is what they are for.
"""

import re
import time
from urllib.parse import urljoin

import pytest
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from rest_framework.views import APIView

from bwise.accounts.models import Role
from bwise.privacy.records import records_of
from tests.access.test_urls import NON_OBJECT_KWARGS, OUR_MODULES, _kwargs_of, _walk
from tests.factories import OrganisationFactory, UserFactory
from tests.form_fuzzing import data_for, forms_in
from tests.universe import build_universe

pytestmark = pytest.mark.django_db

DESTRUCTIVE = re.compile(r"delete|erase|erasure|logout|revoke|remove")
# As many examples per form as the run's hypothesis profile says (tests/conftest.py).
FUZZ_SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
TOTAL = {"examples": 0, "forms": 0}


@pytest.fixture(autouse=True)
def _plain_template_rendering(monkeypatch):
    """The test client copies every template context it renders; thousands of posts do not
    need that, and rendering is most of their time."""
    from django.template.base import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


def _pages():
    found = []
    for route, pattern, namespace in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "") or ""
        kwargs = _kwargs_of(route)
        if not module.startswith(OUR_MODULES) or not pattern.name or "format" in kwargs:
            continue
        if isinstance(getattr(pattern.callback, "cls", None), type) and issubclass(
            pattern.callback.cls, APIView
        ):
            continue  # the API has no HTML forms; schemathesis fuzzes it
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        found.append(pytest.param(name, tuple(kwargs), id=name))
    return found


PAGES = _pages()


def _url(name, kwargs, universe):
    values = {
        k: NON_OBJECT_KWARGS[k] if k in NON_OBJECT_KWARGS else universe.pk_for(k[: -len("_pk")])
        for k in kwargs
    }
    return reverse(name, kwargs=values)


def _saved(universe) -> set:
    held = records_of(universe.objects["worker"]).records
    return {(model._meta.label, pk) for model, qs in held.items() for pk in qs.values_list("pk", flat=True)}


def _targets(client, users, url, statuses=None):
    """The forms the first role that sees any on ``url`` may post, deduplicated."""
    for user in users:
        client.force_login(user)
        response = client.get(url)
        if statuses is not None:
            statuses.append(response.status_code)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        targets = {}
        for form in forms_in(response.content.decode()):
            action = urljoin(url, form.action) if form.action else url
            action = action.split("#")[0]
            if DESTRUCTIVE.search(action):
                continue
            if action != url and client.get(action).status_code != 405:
                continue  # fuzzed on its own page
            targets.setdefault((action, frozenset(form.fields)), (user, action, form))
        if targets:
            return list(targets.values())
    return []


def test_forms_are_discovered(client, db):
    universe = build_universe(OrganisationFactory())
    url = _url("trajects:worker_edit", ("worker_pk",), universe)
    [(user, action, form)] = _targets(client, [universe.coach], url)
    assert action == url and {"first_name", "last_name", "birth_date", "coach"} <= set(form.fields)


def _fuzz(client, action, form):
    @FUZZ_SETTINGS
    @given(data=data_for(form))
    def post(data):
        response = client.post(action, data)
        assert response.status_code < 500, f"{action} answered {response.status_code} to {data!r}"
        TOTAL["examples"] += 1

    post()


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_form_survives_fuzzing(client, name, kwargs):
    organisation = OrganisationFactory()
    universe = build_universe(organisation)
    users = [
        UserFactory(organisation=organisation, roles=[Role.HR]),
        universe.coach,
        UserFactory(organisation=organisation, roles=[Role.BEHEERDER]),
        universe.supervisor,
    ]
    statuses = []
    targets = _targets(client, users, _url(name, kwargs, universe), statuses)
    # Every role's plain visit answers without a server error, form or not.
    assert all(status < 500 for status in statuses), f"{name} answered {statuses}"
    if not targets:
        return  # a page without a form of its own: the visits above are its test
    before = _saved(universe)
    started = time.monotonic()
    for user, action, form in targets:
        client.force_login(user)
        _fuzz(client, action, form)
        TOTAL["forms"] += 1
    lost = before - _saved(universe)
    assert lost == set(), f"fuzzing {name} lost {sorted(lost)}"
    print(f"fuzz: {name}: {len(targets)} forms, {time.monotonic() - started:.1f}s, total {TOTAL}")
