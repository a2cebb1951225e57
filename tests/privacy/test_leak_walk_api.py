"""The leak walk over the JSON API and the worker's timeline, for every kind of reader.

The API's serializers drop declared fields through ``trajects.sensitive`` rather than reading
minimised records, so this walk is their guard: the same readers and markers as
``test_privacy_leak_walk_readers`` read every API resource of the universe (lists, details
and extra actions, found from the resolver) and write the worker and both intakes. A reader
outside the audience gets no marker and no declared field's name anywhere in any answer;
a reader inside it gets every marker from the worker's and the intakes' own resources.

The worker page's timeline (``trajects.selectors.timeline_for``, which drops the names
``trajects.sensitive.hidden_everywhere`` gives it) is walked for the same readers: the
universe's records were saved again after the markers were planted, so their history holds
each marker in a change (old → new) as well.
"""

import pytest
from django.urls import get_resolver, reverse

from bwise.privacy.declaration import all_sensitive_fields
from tests.access.test_urls import _kwargs_of, _walk
from tests.privacy.test_leak_walk_readers import READERS, _in_audience, _make_reader, _reader_id
from tests.privacy.test_leak_walk_readers import world as readers_world
from trajects import selectors

pytestmark = pytest.mark.django_db

world = readers_world  # the same universe and markers as the history and documents walk

DECLARED_NAMES = {name for _label, name in all_sensitive_fields()}
# A list is read whole and filtered as a client would: the filters pick the records whose
# declared fields a serializer might treat apart. A detail answer is the same whatever the query.
LIST_QUERIES = ("", "?kind=second", "?trajectory={trajectory}")


def api_urls(universe) -> list[tuple[str, bool]]:
    """Every API URL of the universe, and whether it is a list (a route without an id)."""
    urls = []
    for route, pattern, namespace in _walk(get_resolver()):
        if not route.startswith("api/v1/") or not pattern.name or "format" in _kwargs_of(route):
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        try:
            kwargs = {kwarg: universe.pk_for(kwarg[: -len("_pk")]) for kwarg in _kwargs_of(route)}
        except KeyError:  # a kwarg the universe has no record for: the access test names it
            continue
        urls.append((reverse(name, kwargs=kwargs), not kwargs))
    return sorted(set(urls))


def _keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data).union(*(_keys(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(_keys(value) for value in data))
    return set()


def _answers(client, world, user) -> tuple[list[tuple[str, str, set]], int]:
    """(url, body, JSON keys) of every API answer the reader gets, reads and writes."""
    universe = world["universe"]
    answers = []
    for url, is_list in api_urls(universe):
        for query in LIST_QUERIES if is_list else ("",):
            full = url + query.format(trajectory=universe.pk_for("trajectory"))
            response = client.get(full, headers={"Accept": "application/json"})
            assert response.status_code < 500, full
            if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
                answers.append((full, response.content.decode(), _keys(response.json())))
    reads = len(answers)
    writes = [
        reverse("worker-detail", kwargs={"worker_pk": world["worker"].pk}),
        reverse("intake-detail", kwargs={"intake_pk": universe.pk_for("intake")}),
        reverse("intake-detail", kwargs={"intake_pk": universe.pk_for("intake_second")}),
    ]
    for url in writes:
        # An empty change: the answer is the record as the writer may see it.
        response = client.patch(url, {}, content_type="application/json")
        assert response.status_code < 500, url
        if response.status_code == 200:
            answers.append((f"PATCH {url}", response.content.decode(), _keys(response.json())))
    return answers, reads


@pytest.mark.parametrize("reader", READERS, ids=_reader_id)
def test_api_answers_carry_declared_fields_to_their_audience_only(client, world, reader):
    user = _make_reader(world, reader)
    markers = world["markers"]
    client.force_login(user)
    answers, reads = _answers(client, world, user)
    found = {marker for _url, body, _keys in answers for marker in markers if marker in body}
    names = {name for _url, _body, keys in answers for name in keys & DECLARED_NAMES}
    if _in_audience(world, user):
        assert found == set(markers), [markers[m] for m in set(markers) - found]
        assert names == DECLARED_NAMES
    else:
        leaks = [
            (url, sorted(keys & DECLARED_NAMES), [markers[m] for m in markers if m in body])
            for url, body, keys in answers
            if keys & DECLARED_NAMES or any(m in body for m in markers)
        ]
        assert leaks == []
    print(f"api walk {_reader_id(reader)}: {reads} reads and {len(answers) - reads} writes answered")


def test_the_api_walk_reaches_the_worker_and_intake_resources(world):
    urls = dict(api_urls(world["universe"]))
    assert urls[reverse("worker-detail", kwargs={"worker_pk": world["worker"].pk})] is False
    assert urls[reverse("worker-list")] is True
    assert len(urls) > 20


@pytest.mark.parametrize("reader", READERS, ids=_reader_id)
def test_the_worker_timeline_carries_declared_fields_to_their_audience_only(client, world, reader):
    user = _make_reader(world, reader)
    worker, markers = world["worker"], world["markers"]
    entries, before = [], None
    while True:  # every page, oldest included
        page = selectors.timeline_for(worker, reader=user, before=before)
        entries += page.entries
        if page.older is None:
            break
        before = page.older
    timeline = "\n".join(f"{entry}" for entry in entries)
    client.force_login(user)
    page = client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk}))
    assert page.status_code in (200, 403, 404)
    found = {marker for marker in markers if marker in timeline or marker in page.content.decode()}
    if _in_audience(world, user):
        # The worker's own changes show each of its declared fields (the intakes' appear in
        # the intake entries and the sensitive section).
        assert found == set(markers)
    else:
        assert found == set()
