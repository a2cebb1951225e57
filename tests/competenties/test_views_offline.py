"""The sync endpoint of the offline observation page: once per client id, per-item answers."""

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bwise.accounts.models import Role
from bwise.core.offline import MAX_ITEMS
from competenties.models import Observation
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db

URL = reverse("competenties:observation_sync")


@pytest.fixture
def worker(organisation, coach, begeleider):
    return WorkerFactory(organisation=organisation, coach=coach, supervisor=begeleider)


def _item(worker, text="Veegde zijn werkplek schoon zonder dat iemand het vroeg.", **changes):
    written = timezone.now() - datetime.timedelta(hours=3)
    return {
        "client_id": str(uuid.uuid4()),
        "worker": worker.pk,
        "written_at": written.isoformat(),
        "text": text,
    } | changes


def _sync(client, *items):
    response = client.post(URL, json.dumps({"items": list(items)}), content_type="application/json")
    return response.status_code, response.json()


def test_each_item_is_stored_once_with_the_moment_it_was_written(client, begeleider, worker):
    client.force_login(begeleider)
    items = [_item(worker, text=f"Observatie {n}") for n in range(3)]
    status, body = _sync(client, *items)
    assert status == 200
    assert [answer["status"] for answer in body["results"]] == ["stored"] * 3
    assert worker.full_name in body["results"][0]["message"]
    # The answer got lost on the way back; the device sends the same request again.
    status, body = _sync(client, *items)
    assert [answer["status"] for answer in body["results"]] == ["stored"] * 3
    assert Observation.objects.count() == 3
    first = Observation.objects.get(client_id=items[0]["client_id"])
    assert first.observed_at == datetime.datetime.fromisoformat(items[0]["written_at"])
    assert first.observer == begeleider


def test_a_worker_no_longer_assigned_is_refused_per_item(client, begeleider, worker, organisation):
    still_mine = WorkerFactory(organisation=organisation, supervisor=begeleider)
    sent_before = _item(worker)
    client.force_login(begeleider)
    _sync(client, sent_before)
    worker.supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    worker.save()
    late = _item(worker)
    status, body = _sync(client, late, _item(still_mine), sent_before)
    assert status == 200
    late_answer, other_answer, repeat_answer = body["results"]
    assert (late_answer["client_id"], late_answer["status"], late_answer["code"]) == (
        late["client_id"],
        "refused",
        "not_assigned",
    )
    assert late_answer["message"]
    assert other_answer["status"] == "stored"
    # Stored before the worker left: the device hears "stored", not a refusal, and deletes it.
    assert repeat_answer["status"] == "stored"
    assert Observation.objects.count() == 2


def test_another_organisations_worker_and_another_users_client_id_are_refused(
    client, begeleider, worker, other_organisation, make_user
):
    foreign = WorkerFactory(organisation=other_organisation)
    colleague = make_user(Role.BEGELEIDER)
    theirs = _item(WorkerFactory(organisation=worker.organisation, supervisor=colleague))
    client.force_login(colleague)
    _sync(client, theirs)
    client.force_login(begeleider)
    _status, body = _sync(client, _item(foreign), {**_item(worker), "client_id": theirs["client_id"]})
    assert [answer["code"] for answer in body["results"]] == ["not_assigned", "client_id_taken"]
    assert Observation.objects.get().observer == colleague


def test_unreadable_items_are_refused_and_the_rest_stored(client, begeleider, worker):
    client.force_login(begeleider)
    future = (timezone.now() + datetime.timedelta(minutes=6)).isoformat()
    _status, body = _sync(
        client,
        _item(worker, client_id="not-a-uuid"),
        _item(worker, text="x" * 4001),
        _item(worker, text="x" * 4000),
        _item(worker, text="   "),
        _item(worker, written_at=future),
        "not an object",
    )
    codes = [answer.get("code", answer["status"]) for answer in body["results"]]
    assert codes == ["invalid", "invalid", "stored", "required", "future", "invalid"]
    assert Observation.objects.count() == 1


def test_batches_are_limited(client, begeleider, worker):
    client.force_login(begeleider)
    assert _sync(client, *[_item(worker) for _ in range(MAX_ITEMS)])[0] == 200
    status, body = _sync(client, *[_item(worker) for _ in range(MAX_ITEMS + 1)])
    assert (status, body["code"]) == (400, "bad_request")
    assert client.post(URL, "{", content_type="application/json").status_code == 400
    assert Observation.objects.count() == MAX_ITEMS


def test_signed_out_without_capability_or_csrf_token_nothing_is_stored(begeleider, directie, worker):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    response = client.post(
        URL,
        json.dumps({"items": [_item(worker)]}),
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert (response.status_code, response.json()["code"]) == (401, "session_expired")
    client.force_login(directie)
    token = client.get(reverse("offline_session")).json()["csrf"]
    response = client.post(
        URL,
        json.dumps({"items": [_item(worker)]}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    client.force_login(begeleider)
    assert (
        client.post(URL, json.dumps({"items": [_item(worker)]}), content_type="application/json").status_code
        == 403
    )
    token = client.get(reverse("offline_session")).json()["csrf"]
    response = client.post(
        URL,
        json.dumps({"items": [_item(worker)]}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.json()["results"][0]["status"] == "stored"
    assert Observation.objects.count() == 1
    assert client.get(URL).status_code == 405


def test_personality_words_draw_the_forms_warning_and_can_be_sent_as_written(client, begeleider, worker):
    client.force_login(begeleider)
    judged = _item(worker, text="Was weer lui en koppig vandaag.")
    _status, body = _sync(client, judged, _item(worker))
    assert [(answer["status"], answer.get("code")) for answer in body["results"]] == [
        ("warning", "personality_words"),
        ("stored", None),
    ]
    assert "lui" in body["results"][0]["message"]
    assert Observation.objects.count() == 1
    # The supervisor chose "Save as written" on the device: the same item, with the choice.
    _status, body = _sync(client, judged | {"save_as_written": True})
    assert [answer["status"] for answer in body["results"]] == ["stored"]
    assert Observation.objects.filter(client_id=judged["client_id"]).exists()
