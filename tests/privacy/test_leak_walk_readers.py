"""The leak walk over history and printed documents, for every kind of reader.

Markers sit in every declared field of the universe's records (the worker and both intake
kinds). Readers are each role alone, every pair of roles, the worker's own coach and a coach
the worker is shared with. Each reader walks:

* the history page of every user of the organisation and of the worker;
* the history of every record of the universe (``history_for``, rendered as a history page),
  so that a history page added later for any object is covered already;
* every document kind for every record the reader may print, and a bulk print of every kind.

A reader outside a field's audience gets none of its markers; a reader inside it gets every
marker somewhere (so the walk can fail), and their reads are in the access log.
"""

import itertools

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from bwise.accounts.models import Role, User
from bwise.audit.models import AccessLog
from bwise.documents import services
from bwise.documents.registry import all_kinds
from bwise.documents.rendering import render_html
from bwise.privacy.history import history_for
from tests.documents_helpers import eager_tasks
from tests.factories import OrganisationFactory, UserFactory
from tests.privacy.test_leaks import readable
from tests.privacy_helpers import plant_sensitive_markers
from tests.universe import build_universe

pytestmark = pytest.mark.django_db

SINGLE_ROLES = tuple(Role.values)
ROLE_PAIRS = tuple(itertools.combinations(Role.values, 2))
READERS = (
    *((role,) for role in SINGLE_ROLES),
    *ROLE_PAIRS,
    "own coach",
    "shared coach",
)


def _reader_id(reader) -> str:
    return reader if isinstance(reader, str) else "+".join(reader)


@pytest.fixture
def world(db):
    organisation = OrganisationFactory()
    universe = build_universe(organisation)
    worker = universe.objects["worker"]
    markers = plant_sensitive_markers(universe)
    # Changed once more after planting, so the history also holds a diff (old → new) of each.
    for record in universe.objects.values():
        if type(record).__name__ in ("Worker", "Intake"):
            record.refresh_from_db()
            record.save()
    return {"universe": universe, "worker": worker, "markers": markers}


def _make_reader(world, reader):
    universe = world["universe"]
    if reader == "own coach":
        return universe.coach
    if reader == "shared coach":
        user = UserFactory(organisation=universe.organisation, roles=[Role.COACH])
        world["worker"].shared_with.add(user)
        return user
    return UserFactory(organisation=universe.organisation, roles=list(reader))


def _in_audience(world, user) -> bool:
    """Stated here on purpose rather than read from the declaration: the worker's own coach and HR."""
    return user.has_role(Role.HR) or user.pk == world["universe"].coach.pk


def _history_pages(client, world, user) -> tuple[str, int]:
    urls = [
        reverse("accounts:user_history", kwargs={"user_pk": pk})
        for pk in User.objects.filter(organisation=world["universe"].organisation).values_list(
            "pk", flat=True
        )
    ]
    urls.append(reverse("trajects:worker_history", kwargs={"worker_pk": world["worker"].pk}))
    client.force_login(user)
    texts, answered = [], 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            answered += 1
            texts.append(readable(response.content))
    return "\n".join(texts), f"{answered}/{len(urls)}"


def _object_histories(world, user) -> tuple[str, int]:
    request = RequestFactory().get("/")
    request.user = user
    texts = []
    for record in world["universe"].objects.values():
        before = None
        while True:  # every page, oldest included
            page = history_for(record, reader=user, before=before)
            context = {"subject": record, "events": page.entries, "older": page.older}
            texts.append(render_to_string("core/history.html", context, request))
            if page.older is None:
                break
            before = page.older
    return "\n".join(texts), len(world["universe"].objects)


def _documents(world, user) -> tuple[str, int, int]:
    organisation = world["universe"].organisation
    texts, rendered, bulk = [], 0, 0
    for kind in all_kinds():
        for record in kind.visible_records(user):
            texts.append(render_html(kind, record, organisation=organisation, language="en", reader=user))
            rendered += 1
        ids = list(kind.bulk_queryset(user).values_list("pk", flat=True))
        if ids:
            job = services.bulk_document_request(kind=kind.key, record_ids=ids, output_format="pdf", by=user)
            with eager_tasks():
                services.bulk_render(job_pk=job.pk)
            job.refresh_from_db()
            assert job.file, (kind.key, job.error)
            texts.append(" ".join(readable(job.file.read()).split()))
            bulk += 1
    return "\n".join(texts), rendered, bulk


@pytest.mark.parametrize("reader", READERS, ids=_reader_id)
def test_history_and_documents_carry_declared_fields_to_their_audience_only(client, world, reader):
    user = _make_reader(world, reader)
    markers = world["markers"]
    pages, page_count = _history_pages(client, world, user)
    histories, object_count = _object_histories(world, user)
    documents, rendered, bulk = _documents(world, user)
    found = {
        where: {marker for marker in markers if marker in text}
        for where, text in (
            ("history pages", pages),
            ("object histories", histories),
            ("documents", documents),
        )
    }
    reads = AccessLog.objects.filter(user=user, detail={"fields": "sensitive"}).count()
    if _in_audience(world, user):
        assert set().union(*found.values()) == set(markers), found
        assert reads > 0
    else:
        assert found == {where: set() for where in found}
        assert reads == 0
    print(
        f"leak walk {_reader_id(reader)}: {page_count} history URLs answered, "
        f"{object_count} object histories, {rendered} documents, {bulk} bulk prints"
    )
