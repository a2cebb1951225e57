"""The history pages read a page of the trail at a time, newest first (``bwise.privacy.history``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bwise.core.params import Cursor
from bwise.privacy.history import HISTORY_PAGE, history_for
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach)


def _edits(worker, start, stop):
    # Each edit carries a special-category value too, so that every page shows one and
    # writes its access-log row: pages alike but for how far back they are.
    for i in range(start, stop):
        worker.languages = f"taal-{i}"
        worker.health_notes = f"notitie-{i}"
        worker.save(update_fields=["languages", "health_notes"])


def _url(worker):
    return reverse("trajects:worker_history", kwargs={"worker_pk": worker.pk})


def test_the_history_page_costs_the_same_queries_with_60_and_200_rows(client, worker, hr):
    client.force_login(hr)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(_url(worker))
        assert response.status_code == 200
        assert len(response.context["events"]) <= HISTORY_PAGE
        return len(captured.captured_queries)

    # Both pages past the worker's creation, whose references the page names (a query each).
    _edits(worker, 0, 60)
    small = queries()
    _edits(worker, 60, 200)
    assert queries() == small


def test_older_pages_show_every_event_once_newest_first(client, worker, hr):
    # Every edit of the test shares one instant: the pages are told apart by the events' keys.
    _edits(worker, 0, 120)
    client.force_login(hr)
    seen, pages, before = [], 0, None
    while True:
        response = client.get(_url(worker), {"before": str(before)} if before else {})
        pages += 1
        seen += [new for entry in response.context["events"] for _field, _old, new in entry.changes]
        older = response.context["older"]
        if older is None:
            assert 'rel="next"' not in response.content.decode()
            break
        assert str(older).replace(":", "%3A") in response.content.decode()
        before = older
    languages = [value for value in seen if str(value).startswith("taal-")]
    assert languages == [f"taal-{i}" for i in reversed(range(120))]
    assert pages == 3


def test_a_page_starts_at_its_cursor(worker, hr):
    _edits(worker, 0, 3)
    newest = history_for(worker, reader=hr, limit=1)
    assert newest.older == Cursor(newest.entries[0].at, newest.older.key)
    rest = history_for(worker, reader=hr, before=newest.older)
    assert newest.entries[0] not in rest.entries
    assert len(rest.entries) == 3  # the two older edits and the worker's creation
    assert rest.older is None


@pytest.mark.parametrize("before", ["gisteren", "1~x", "99999999999999999999", "1~a:b", "1" * 300])
def test_a_bad_cursor_answers_the_message(client, worker, hr, before):
    client.force_login(hr)
    response = client.get(_url(worker), {"before": before})
    assert response.status_code == 400
    assert response.context["errors"]


def test_the_history_shows_labels_names_and_dates_not_codes_ids_and_iso(worker, hr, coach, make_user):
    import datetime

    from bwise.accounts.models import Role

    other = make_user(Role.COACH, first_name="Ilse", last_name="Claes")
    worker.statuut, worker.statuut_start, worker.coach = "lde", datetime.date(2026, 11, 30), other
    worker.save(update_fields=["statuut", "statuut_start", "coach"])
    changes = {field: (old, new) for field, old, new in history_for(worker, reader=hr).entries[0].changes}
    assert changes["statuut"][1] == "LDE (lokale diensteneconomie)"
    assert changes["startdatum statuut"][1] == "30-11-2026"
    assert changes["doorstroomcoach"] == (str(coach), "Ilse Claes")
