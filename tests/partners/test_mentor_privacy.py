"""The host mentor's page gets the external-mentor audience only (issue 11, finding 3).

A marker is planted in every free-text field a coach writes on the stage, its
attendance and its evaluations (and on the worker); none may reach the mentor, while
what the mentor entered through the link comes back to them.
"""

import datetime

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bwise.privacy.declaration import EXTERNAL_MENTOR_FIELDS, Audience
from partners.models import Attendance, Evaluation, Stage
from partners.selectors import mentor_page
from partners.services import attendance_record, evaluation_record, mentor_link_create
from tests.factories import WorkerFactory
from tests.factories_partners import StageFactory

pytestmark = pytest.mark.django_db


def _free_text_fields(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def _plant(instance, prefix):
    markers = []
    for name in _free_text_fields(type(instance)):
        marker = f"MARKER{prefix}{name.replace('_', '')}".upper()
        setattr(instance, name, marker)
        markers.append(marker)
    instance.save()
    return markers


@pytest.fixture
def stage(coach):
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=31)).replace(day=1)
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Nora")
    return StageFactory(worker=worker, start_date=start, end_date=today + datetime.timedelta(days=30))


def test_mentor_page_shows_no_coach_written_field_and_the_mentors_own_entries(client, stage, coach):
    worker = stage.worker
    markers = []
    for name in _free_text_fields(type(worker)):
        if name not in EXTERNAL_MENTOR_FIELDS["shared"]["trajects.Worker"]:
            setattr(worker, name, f"MARKERWORKER{name.replace('_', '')}".upper())
            markers.append(getattr(worker, name))
    worker.save()
    markers += _plant(stage, "STAGE")
    token = mentor_link_create(stage=stage, by=coach)
    start = stage.start_date
    coach_day = attendance_record(
        stage=stage, day=start, status="absent_reported", absence_reason="x", by=coach
    )
    markers += _plant(coach_day, "COACHATTENDANCE")
    coach_evaluation = evaluation_record(
        stage=stage, kind="intermediate", method="phone", held_on=start, by=coach
    )
    markers += _plant(coach_evaluation, "COACHEVALUATION")
    link = Stage.objects.get(pk=stage.pk).mentor_link
    attendance_record(
        stage=stage,
        day=start + datetime.timedelta(days=1),
        status="absent_reported",
        absence_reason="MENTORREASON",
        via=link,
    )
    evaluation_record(
        stage=stage,
        kind="mentor_input",
        method="on_site",
        held_on=start + datetime.timedelta(days=1),
        critical_incidents="MENTORINCIDENT",
        notes="MENTORNOTES",
        via=link,
    )
    assert {"absence_reason"} <= set(_free_text_fields(Attendance))
    assert {"critical_incidents", "notes"} <= set(_free_text_fields(Evaluation))

    url = reverse("partners:mentor", kwargs={"token": token}) + f"?month={start:%Y-%m}"
    html = client.get(url).content.decode()

    leaked = [marker for marker in markers if marker in html]
    assert leaked == []
    for own in ("MENTORREASON", "MENTORINCIDENT", "MENTORNOTES", "Nora"):
        assert own in html
    # The coach's day is there, as attendance only.
    page = mentor_page(link, start.replace(day=1))
    coach_row = next(day.record for day in page["days"] if day.day == start)
    assert vars(coach_row) == {
        "day": start,
        "status": "absent_reported",
        "status_display": coach_row.status_display,
    }


def test_the_mentor_audience_is_declared():
    assert Audience.EXTERNAL_MENTOR in set(Audience)
    assert "absence_reason" not in EXTERNAL_MENTOR_FIELDS["shared"]["partners.Attendance"]
    assert "partners.Evaluation" not in EXTERNAL_MENTOR_FIELDS["shared"]
    assert "partners.Stage" not in EXTERNAL_MENTOR_FIELDS["shared"]
