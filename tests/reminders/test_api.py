"""The caller's reminders through the API: the inbox, done and snooze, and nobody else's."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from tests.factories_documents import ReminderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(coach):
    client = APIClient()
    client.force_authenticate(coach)
    return client


def test_the_inbox_lists_own_open_reminders_only(api, coach, make_user):
    own = ReminderFactory(recipient=coach)
    ReminderFactory(recipient=make_user(Role.COACH))
    snoozed = ReminderFactory(
        recipient=coach, snoozed_until=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert [r["id"] for r in api.get("/api/v1/reminders/").json()["results"]] == [own.pk]
    everything = api.get("/api/v1/reminders/?inbox=false").json()["results"]
    assert {r["id"] for r in everything} == {own.pk, snoozed.pk}
    assert api.get("/api/v1/reminders/?inbox=maybe").status_code == 400


def test_done_and_snooze(api, coach, make_user):
    reminder = ReminderFactory(recipient=coach)
    done = api.post(f"/api/v1/reminders/{reminder.pk}/done/")
    assert done.status_code == 200 and done.json()["status"] == "done"
    other = ReminderFactory(recipient=coach)
    snoozed = api.post(f"/api/v1/reminders/{other.pk}/snooze/", {"days": 7})
    assert snoozed.json()["snoozed_until"] == (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    refused = api.post(f"/api/v1/reminders/{other.pk}/snooze/", {"days": 8})
    assert refused.status_code == 400 and refused.json()["field"] == "days"
    colleague_s = ReminderFactory(recipient=make_user(Role.COACH))
    assert api.post(f"/api/v1/reminders/{colleague_s.pk}/done/").status_code == 404
