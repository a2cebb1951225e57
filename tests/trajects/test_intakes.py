"""The intakes as the guide describes them (``trajects.services``): an independent second
coach, the kick-off with fellow candidates, the scanned intake questionnaire and STARR
notes linked to competencies."""

import datetime
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog
from bwise.core.errors import DomainError
from tests.factories import WorkerFactory
from tests.factories_competenties import CompetencyFactory
from tests.factories_trajects import IntakeFactory, TrajectoryFactory
from trajects import services
from trajects.forms import STARR_PROMPTS, StarrNoteForm
from trajects.models import Intake, IntakeKind, KickOff
from trajects.selectors import timeline_for
from trajects.services import employment_end_record, intake_save, kick_off_create, starr_note_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 questionnaire"
LAST_DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach)


@pytest.fixture
def second(worker):
    return Intake(trajectory=TrajectoryFactory(worker=worker), kind=IntakeKind.SECOND)


def test_the_second_coach_is_not_the_workers_own_coach(second, coach, make_user):
    second.second_coach = coach
    with pytest.raises(DomainError) as refused:
        intake_save(intake=second, by=coach)
    assert (refused.value.code, refused.value.field) == ("own_coach", "second_coach")
    second.second_coach = make_user(Role.COACH)
    assert intake_save(intake=second, by=coach).pk


def test_the_second_coach_may_come_from_outside_with_name_and_organisation(second, coach, make_user):
    second.external_second_coach = "Els Claes"
    with pytest.raises(DomainError) as refused:
        intake_save(intake=second, by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "external_second_coach_organisation")
    second.external_second_coach_organisation = "Loopbaancentrum Gent"
    second.second_coach = make_user(Role.COACH)
    with pytest.raises(DomainError) as refused:
        intake_save(intake=second, by=coach)
    assert refused.value.code == "both_second_coaches"
    second.second_coach = None
    assert intake_save(intake=second, by=coach).external_second_coach == "Els Claes"


# --- The kick-off meeting -----------------------------------------------------------------


def test_a_kick_off_gathers_at_least_two_current_workers_and_shows_on_each_timeline(worker, coach):
    fellow = WorkerFactory(organisation=coach.organisation, coach=coach)
    with pytest.raises(DomainError) as refused:
        kick_off_create(held_on=LAST_DAY, workers=[worker, worker], by=coach)
    assert refused.value.code == "too_few"
    gone = employment_end_record(
        worker=WorkerFactory(organisation=coach.organisation, coach=coach),
        on=LAST_DAY,
        reason="retirement",
        by=coach,
    )
    with pytest.raises(DomainError) as refused:
        kick_off_create(held_on=LAST_DAY + timedelta(days=1), workers=[worker, gone], by=coach)
    assert refused.value.code == "not_employed"
    kick_off = kick_off_create(
        held_on=LAST_DAY, workers=[worker, fellow, gone], notes="Aanpak uitgelegd", by=coach
    )
    assert set(kick_off.participants.all()) == {worker, fellow, gone}
    for participant in (worker, fellow):
        with translation.override("en"):
            entries = [e for e in timeline_for(participant, reader=coach).entries if e.kind == "kickoff"]
        assert len(entries) == 1
        assert {str(label): value for label, value in entries[0].lines}["fellow candidates"] == "2"


def test_the_api_shows_only_the_participants_the_reader_sees(worker, coach, make_user):
    other_coach = make_user(Role.COACH)
    theirs = WorkerFactory(organisation=coach.organisation, coach=other_coach)
    kick_off = kick_off_create(held_on=worker.created_at.date(), workers=[worker, theirs], by=coach)
    api = APIClient()
    api.force_authenticate(coach)
    assert api.get(f"/api/v1/kick-offs/{kick_off.pk}/").json()["participants"] == [worker.pk]
    created = api.post(
        "/api/v1/kick-offs/", {"held_on": "2026-03-02", "participants": [worker.pk]}, format="json"
    )
    assert created.status_code == 400 and KickOff.objects.count() == 1


# --- The intake questionnaire -------------------------------------------------------------


def test_the_questionnaire_scan_is_kept_with_the_first_intake_within_limits(worker, coach, monkeypatch):
    monkeypatch.setattr(services, "QUESTIONNAIRE_MAX_BYTES", len(PDF))
    first = IntakeFactory(trajectory=TrajectoryFactory(worker=worker))
    for name, content, code in (
        ("vragenlijst.docx", PDF, "file_type"),
        ("vragenlijst.pdf", b"GIF89a....", "file_type"),
        ("vragenlijst.pdf", PDF + b"x", "file_too_large"),
    ):
        first.questionnaire_scan = SimpleUploadedFile(name, content)
        with pytest.raises(DomainError) as refused:
            intake_save(intake=first, by=coach)
        assert refused.value.code == code
    first.questionnaire_scan = SimpleUploadedFile("Jan Peeters vragenlijst.pdf", PDF)
    saved = intake_save(intake=first, by=coach)
    assert "Peeters" not in saved.questionnaire_scan.name
    second = Intake(trajectory=first.trajectory, kind=IntakeKind.SECOND)
    second.questionnaire_scan = SimpleUploadedFile("vragenlijst.pdf", PDF)
    with pytest.raises(DomainError) as refused:
        intake_save(intake=second, by=coach)
    assert refused.value.code == "first_intake_only"


def test_only_the_own_coach_and_hr_download_the_scan_and_it_is_logged(client, worker, coach, hr, make_user):
    first = IntakeFactory(trajectory=TrajectoryFactory(worker=worker))
    first.questionnaire_scan = SimpleUploadedFile("scan.pdf", PDF)
    intake_save(intake=first, by=coach)
    url = reverse("trajects:intake_questionnaire", kwargs={"intake_pk": first.pk})
    for reader in (coach, hr):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    directie = make_user(Role.DIRECTIE)
    client.force_login(directie)
    assert client.get(url).status_code == 404
    logged = AccessLog.objects.filter(worker_id=worker.pk, detail__fields="questionnaire_scan")
    assert logged.count() == 3


# --- STARR notes --------------------------------------------------------------------------


def test_starr_notes_link_the_organisations_competencies_and_prompt_each_letter(
    worker, coach, other_organisation
):
    intake = IntakeFactory(trajectory=TrajectoryFactory(worker=worker))
    own = CompetencyFactory(framework__organisation=coach.organisation, name="Flexibiliteit")
    foreign = CompetencyFactory(framework__organisation=other_organisation)
    with pytest.raises(DomainError) as refused:
        starr_note_create(intake=intake, by=coach, situation="Andere lijn", competencies=[foreign])
    assert refused.value.code == "other_organisation"
    note = starr_note_create(intake=intake, by=coach, situation="Andere lijn", competencies=[own])
    assert list(note.competencies.all()) == [own]
    form = StarrNoteForm(user=coach)
    assert [form.fields[name].help_text for name in STARR_PROMPTS] == list(STARR_PROMPTS.values())
    assert list(form.fields["competencies"].queryset) == [own]
    starr = [e for e in timeline_for(worker, reader=coach).entries if e.kind == "starr"]
    assert any("Flexibiliteit" in value for _label, value in starr[0].lines)
