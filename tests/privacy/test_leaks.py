"""The leak walk: markers planted in every declared sensitive field appear nowhere for a role
that may not see them: no page, API answer, export, printed document or e-mail.

URLs are discovered from the resolver (as in tests/access/test_urls.py) and their ids are
filled from one organisation's universe, so the pages, exports and API resources of later
apps are walked without editing this file. Each URL is also asked for with the query
strings that switch a page to another intake kind (exports: test_leak_walk_outputs.py).
"""

import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from bwise.accounts.models import Role
from bwise.documents.registry import all_kinds
from bwise.documents.rendering import render_html
from tests.access.test_urls import NON_OBJECT_KWARGS, OUR_MODULES, _kwargs_of, _walk
from tests.factories import OrganisationFactory, UserFactory
from tests.privacy_helpers import plant_sensitive_markers
from tests.security_helpers import INLINE_SCRIPT
from tests.universe import build_universe

pytestmark = pytest.mark.django_db

# Export formats are walked by test_leak_walk_outputs (every export view, CSV and XLSX, for
# every reader), so this walk asks each page as shown and with the second intake kind.
QUERY_VARIANTS = ("", "?kind=second")
WITHOUT_ACCESS = ("shared coach", Role.BEGELEIDER, Role.DIRECTIE, Role.BEHEERDER)
WITH_ACCESS = ("own coach", Role.HR)


def walkable_urls(universe) -> list[str]:
    urls = []
    for route, pattern, namespace in _walk(__import__("django.urls").urls.get_resolver()):
        module = getattr(pattern.callback, "__module__", "") or ""
        if not module.startswith(OUR_MODULES) or not pattern.name:
            continue
        kwargs = _kwargs_of(route)
        if "format" in kwargs:
            continue
        values = {}
        for kwarg in kwargs:
            if kwarg in NON_OBJECT_KWARGS:
                values[kwarg] = NON_OBJECT_KWARGS[kwarg]
            else:
                values[kwarg] = universe.pk_for(kwarg[: -len("_pk")])
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        urls.append(reverse(name, kwargs=values))
    return sorted(set(urls))


def readable(body: bytes) -> str:
    """The text a reader gets out of a response: PDFs and ZIP containers (XLSX, bulk) opened."""
    if body.startswith(b"%PDF"):
        try:
            text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
        except PdfReadError:  # a test stand-in rather than a real PDF: read its bytes
            text = ""
        return text + body.decode("latin-1")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(readable(archive.read(name)) for name in archive.namelist())
    return body.decode("utf-8", errors="replace")


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return readable(content)


@pytest.fixture
def world(db):
    organisation = OrganisationFactory()
    universe = build_universe(organisation)
    worker = universe.objects["worker"]
    shared_coach = UserFactory(organisation=organisation, roles=[Role.COACH])
    worker.shared_with.add(shared_coach)
    markers = plant_sensitive_markers(universe)
    users = {
        "own coach": universe.coach,
        Role.HR: UserFactory(organisation=organisation, roles=[Role.HR]),
        "shared coach": shared_coach,
        Role.BEGELEIDER: universe.supervisor,
        Role.DIRECTIE: UserFactory(organisation=organisation, roles=[Role.DIRECTIE]),
        Role.BEHEERDER: UserFactory(organisation=organisation, roles=[Role.BEHEERDER]),
    }
    for user in users.values():  # so that a digest e-mail can reach every role
        user.email = f"{user.username}@example.be"
        user.save()
    return {"universe": universe, "worker": worker, "markers": markers, "users": users}


def header_problems(response, where: str) -> list[str]:
    """What every answer owes any reader, checked on the walk's answers so that every page of
    every role is covered without a second walk: never cached, and HTML without inline script
    under the product's script policy."""
    problems = []
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{where} may be cached")
    if response.get("Content-Type", "").startswith("text/html"):
        if INLINE_SCRIPT.search(body_of(response)):
            problems.append(f"{where} has an inline script")
        if "script-src 'self'" not in response.get("Content-Security-Policy", ""):
            problems.append(f"{where} lacks the script policy")
    return problems


def _leaks(text: str, markers: dict) -> list:
    return [field for marker, field in markers.items() if marker in text]


def test_markers_are_planted_in_every_declared_field(world):
    from bwise.privacy.declaration import all_sensitive_fields

    assert set(world["markers"].values()) == set(all_sensitive_fields())


@pytest.mark.parametrize("role", WITHOUT_ACCESS)
def test_no_page_or_api_answer_carries_sensitive_data_to_a_role_without_access(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    # The role must reach the worker at all, or the walk proves nothing.
    if role != Role.BEHEERDER:
        assert (
            client.get(
                reverse("trajects:worker_detail", kwargs={"worker_pk": world["worker"].pk})
            ).status_code
            == 200
        )
    urls = walkable_urls(world["universe"])
    leaks, answered, problems = [], 0, []
    for url in urls:
        for query in QUERY_VARIANTS:
            response = client.get(url + query)
            assert response.status_code < 500, f"{url}{query} answered {response.status_code} to {role}"
            if response.status_code == 200:
                answered += 1
            leaks += [(url + query, field) for field in _leaks(body_of(response), world["markers"])]
            problems += header_problems(response, f"{role} {url}{query}")
    assert leaks == []
    assert problems == []
    assert len(urls) > 50 and answered > 0
    print(f"leak walk: {role}: {len(urls)} URLs x {len(QUERY_VARIANTS)} variants, {answered} answered 200")


@pytest.mark.parametrize("role", WITH_ACCESS)
def test_the_worker_page_does_show_them_to_the_own_coach_and_hr(client, world, role):
    client.force_login(world["users"][role])
    body = body_of(client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": world["worker"].pk})))
    assert sorted(_leaks(body, world["markers"])) == sorted(world["markers"].values())


@pytest.mark.parametrize("role", WITH_ACCESS)
def test_the_walk_itself_finds_them_for_roles_with_access(client, world, role):
    """The counterpart of the walk: the same URLs do carry the markers to the right readers."""
    client.force_login(world["users"][role])
    found, problems = set(), []
    for url in walkable_urls(world["universe"]):
        response = client.get(url)
        if response.status_code == 200:
            found |= set(_leaks(body_of(response), world["markers"]))
        problems += header_problems(response, f"{role} {url}")
    assert found == set(world["markers"].values())
    assert problems == []


@pytest.mark.parametrize("role", WITHOUT_ACCESS)
def test_no_printed_document_carries_sensitive_data_to_a_role_without_access(world, role):
    user = world["users"][role]
    organisation = world["universe"].organisation
    rendered = 0
    for kind in all_kinds():
        for record in kind.visible_records(user):
            html = render_html(kind, record, organisation=organisation, language="en")
            assert _leaks(html, world["markers"]) == [], f"{kind.key} #{record.pk} for {role}"
            rendered += 1
    if role not in (Role.BEHEERDER, Role.DIRECTIE, Role.BEGELEIDER):
        assert rendered > 0, "a coach prints at least the worker sheet"


def test_no_e_mail_carries_sensitive_data(world, settings):
    from bwise.reminders.services import digests_send, reminders_scan

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders_scan()
    digests_send()
    for message in mail.outbox:
        parts = [
            message.subject,
            message.body,
            *(content for content, _type in getattr(message, "alternatives", [])),
        ]
        assert _leaks("\n".join(parts), world["markers"]) == [], message.to
