"""The attendance entry on the stage site: its offline page and its sync endpoint."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from bwise.accounts.models import Role
from partners.models import Attendance
from partners.services import attendance_record
from tests.factories_partners import StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(coach):
    return StageFactory(worker__organisation=coach.organisation, worker__coach=coach)


def _item(day, status="present", absence_reason="", written=None):
    return {
        "client_id": str(uuid.uuid4()),
        "written_at": (written or timezone.now()).isoformat(),
        "day": day.isoformat(),
        "status": status,
        "absence_reason": absence_reason,
    }


def _sync(client, stage, *items):
    url = reverse("partners:attendance_sync", kwargs={"stage_pk": stage.pk})
    response = client.post(url, json.dumps({"items": list(items)}), content_type="application/json")
    return response.status_code, response.json()


def test_the_page_is_kept_offline_and_shows_the_first_name_and_partner_only(client, coach, stage):
    client.force_login(coach)
    response = client.get(reverse("partners:attendance_quick", kwargs={"stage_pk": stage.pk}))
    assert response["X-Offline-Page"] == "1"
    page = response.content.decode()
    assert stage.worker.first_name in page
    assert stage.partner.name in page
    assert stage.worker.last_name not in page
    assert 'data-offline="attendance"' in page


def test_a_repeated_day_writes_one_record_and_refusals_come_per_item(client, coach, stage):
    client.force_login(coach)
    first = _item(stage.start_date)
    _status, body = _sync(
        client,
        stage,
        first,
        first,
        _item(stage.start_date + datetime.timedelta(days=1), status="absent_reported"),
        _item(stage.end_date + datetime.timedelta(days=1)),
    )
    assert [answer.get("code", answer["status"]) for answer in body["results"]] == [
        "stored",
        "stored",
        "required",
        "outside_stage",
    ]
    assert Attendance.objects.filter(stage=stage).count() == 1


def test_a_stage_no_longer_visible_is_refused_per_item(client, stage, make_user):
    other_coach = make_user(Role.COACH)
    client.force_login(other_coach)
    status, body = _sync(client, stage, _item(stage.start_date))
    assert (status, body["code"]) == (404, "not_visible")
    assert body["message"]
    assert not Attendance.objects.exists()


def test_the_entry_written_last_wins_whichever_arrives_last(client, coach, stage):
    client.force_login(coach)
    day = stage.start_date
    now = timezone.now()
    queued_earlier = _item(day, status="absent_unreported", written=now - datetime.timedelta(hours=2))
    # Online, an hour after the device queued its entry without network.
    attendance_record(stage=stage, day=day, status="present", by=coach)
    _status, body = _sync(client, stage, queued_earlier)
    assert [answer["status"] for answer in body["results"]] == ["stored"]  # the device may let it go
    assert Attendance.objects.get(stage=stage, day=day).status == "present"
    queued_later = _item(day, status="half_day", written=now + datetime.timedelta(minutes=1))
    _sync(client, stage, queued_later)
    record = Attendance.objects.get(stage=stage, day=day)
    assert (record.status, str(record.client_id)) == ("half_day", queued_later["client_id"])
    # Online is now, even when the device's clock ran a minute ahead.
    attendance_record(stage=stage, day=day, status="present", by=coach)
    # A retry of a queued item, and one dated ahead of the server's clock, change nothing.
    ahead = _item(day, status="absent_unreported", written=now + datetime.timedelta(hours=1))
    _status, body = _sync(client, stage, queued_earlier, ahead)
    assert [answer.get("code", answer["status"]) for answer in body["results"]] == ["stored", "future"]
    assert Attendance.objects.get(stage=stage, day=day).status == "present"
