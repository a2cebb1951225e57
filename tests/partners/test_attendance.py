"""Attendance, evaluations and the host mentor's link at the service level."""

import datetime

import pytest
from django.utils import timezone

from bwise.core.errors import DomainError
from bwise.reminders.models import Reminder
from partners.models import MentorLink, TrainingOnTheJob
from partners.services import (
    attendance_record,
    evaluation_record,
    mentor_link_create,
    mentor_link_resolve,
    mentor_link_revoke,
    training_on_the_job_record,
)
from tests.factories_competenties import CompetencyFactory
from tests.factories_partners import StageFactory


@pytest.fixture
def stage(coach):
    return StageFactory(worker__organisation=coach.organisation, worker__coach=coach)


def test_attendance_inside_the_stage_only(stage, coach):
    attendance_record(stage=stage, day=stage.start_date, status="present", by=coach)
    attendance_record(stage=stage, day=stage.end_date, status="present", by=coach)
    for day in (stage.start_date - datetime.timedelta(days=1), stage.end_date + datetime.timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            attendance_record(stage=stage, day=day, status="present", by=coach)
        assert (refused.value.code, refused.value.field) == ("outside_stage", "day")


def test_reported_absence_needs_its_reason_and_a_day_is_recorded_once(stage, coach):
    with pytest.raises(DomainError) as refused:
        attendance_record(stage=stage, day=stage.start_date, status="absent_reported", by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "absence_reason")
    attendance_record(stage=stage, day=stage.start_date, status="present", by=coach)
    attendance_record(
        stage=stage, day=stage.start_date, status="absent_reported", absence_reason="Ziek", by=coach
    )
    assert stage.attendance.get().absence_reason == "Ziek"


def test_final_evaluation_on_site_with_critical_incidents_once(stage, coach):
    with pytest.raises(DomainError) as refused:
        evaluation_record(stage=stage, kind="final", method="phone", held_on=stage.end_date, by=coach)
    assert (refused.value.code, refused.value.field) == ("final_on_site", "method")
    with pytest.raises(DomainError) as refused:
        evaluation_record(stage=stage, kind="final", method="on_site", held_on=stage.end_date, by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "critical_incidents")
    competency = CompetencyFactory(framework__organisation=coach.organisation)
    evaluation = evaluation_record(
        stage=stage,
        kind="final",
        method="on_site",
        held_on=stage.end_date,
        critical_incidents="Kwam te laat op dag 2, loste het zelf op.",
        contract_in_prospect=True,
        levels={competency: 3},
        by=coach,
    )
    assert evaluation.levels.get().level == 3
    stage.refresh_from_db()
    assert stage.contract_in_prospect
    with pytest.raises(DomainError) as refused:
        evaluation_record(
            stage=stage,
            kind="final",
            method="on_site",
            held_on=stage.end_date,
            critical_incidents="x",
            by=coach,
        )
    assert (refused.value.code, refused.value.field) == ("duplicate", "kind")


def test_evaluation_not_before_the_stage(stage, coach):
    with pytest.raises(DomainError) as refused:
        evaluation_record(
            stage=stage,
            kind="intermediate",
            method="phone",
            held_on=stage.start_date - datetime.timedelta(days=1),
        )
    assert (refused.value.code, refused.value.field) == ("before_start", "held_on")


def test_mentor_link_is_hashed_one_per_stage_and_revocable(stage, coach, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: stage.start_date)
    first = mentor_link_create(stage=stage, by=coach)
    assert len(first) >= 40
    assert first not in MentorLink.objects.get().token_hash
    assert mentor_link_resolve(first).stage == stage
    second = mentor_link_create(stage=stage, by=coach)
    assert MentorLink.objects.count() == 1
    assert mentor_link_resolve(first) is None
    assert mentor_link_resolve(second) is not None
    mentor_link_revoke(stage=stage, by=coach)
    assert mentor_link_resolve(second) is None


def test_mentor_link_expires_after_end_plus_grace(stage, coach, settings, monkeypatch):
    settings.MENTOR_LINK_GRACE_DAYS = 7
    token = mentor_link_create(stage=stage, by=coach)
    last_day = stage.end_date + datetime.timedelta(days=7)
    monkeypatch.setattr(timezone, "localdate", lambda: last_day)
    assert mentor_link_resolve(token) is not None
    monkeypatch.setattr(timezone, "localdate", lambda: last_day + datetime.timedelta(days=1))
    assert mentor_link_resolve(token) is None


def test_entries_through_the_link_are_attributed_to_it(stage, coach):
    mentor_link_create(stage=stage, by=coach)
    link = MentorLink.objects.get()
    record = attendance_record(stage=stage, day=stage.start_date, status="present", via=link)
    assert record.entered_via == link and record.entered_by is None


def test_an_absence_through_the_link_reaches_the_coach_at_once(
    stage, coach, mailoutbox, django_capture_on_commit_callbacks
):
    mentor_link_create(stage=stage, by=coach)
    link = MentorLink.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(stage=stage, day=stage.start_date, status="present", via=link)
    assert not Reminder.objects.exists() and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            stage=stage, day=stage.end_date, status="absent_reported", absence_reason="Ziek", via=link
        )
    (reminder,) = Reminder.objects.filter(recipient=coach, kind="stage_absence")
    assert reminder.due_date == stage.end_date
    (mail,) = mailoutbox
    assert mail.to == [coach.email] and mail.subject == reminder.title
    # The reason stays on the stage page: it may concern health.
    assert "Ziek" not in mail.body and "Ziek" not in reminder.title
    # The coach's own entry of an absence is no news to the coach.
    attendance_record(stage=stage, day=stage.start_date, status="absent_unreported", by=coach)
    assert Reminder.objects.count() == 1


def test_the_mentor_gives_input_but_does_not_file_the_final_evaluation(stage, coach):
    mentor_link_create(stage=stage, by=coach)
    link = MentorLink.objects.get()
    with pytest.raises(DomainError) as refused:
        evaluation_record(
            stage=stage,
            kind="final",
            method="on_site",
            held_on=stage.end_date,
            critical_incidents="x",
            via=link,
        )
    assert (refused.value.code, refused.value.field) == ("final_by_coach", "kind")
    evaluation_record(stage=stage, kind="mentor_input", method="phone", held_on=stage.end_date, via=link)
    evaluation_record(
        stage=stage, kind="final", method="on_site", held_on=stage.end_date, critical_incidents="x", by=coach
    )
    assert list(stage.evaluations.values_list("kind", flat=True)) == ["mentor_input", "final"]


def test_training_on_the_job_within_the_stage(stage, coach):
    training_on_the_job_record(
        training=TrainingOnTheJob(stage=stage, given_on=stage.end_date, topic="Scanner"), by=coach
    )
    with pytest.raises(DomainError) as refused:
        training_on_the_job_record(
            training=TrainingOnTheJob(
                stage=stage, given_on=stage.end_date + datetime.timedelta(days=1), topic="Scanner"
            ),
            by=coach,
        )
    assert refused.value.code == "outside_stage"
    assert stage.trainings.get().entered_by == coach


def test_an_enclave_has_no_mentor_link(coach):
    enclave = StageFactory(worker__organisation=coach.organisation, kind="enclave")
    with pytest.raises(DomainError) as refused:
        mentor_link_create(stage=enclave, by=coach)
    assert refused.value.code == "enclave_no_mentor"
