"""The coach's jobmatching toolkit (issue 17): how the worker searches and the VDAB step, the
job-search log beside the applications, the CV drafted from the records and printed clean,
and the motivation letter in which only the sentence starts are not the worker's."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bwise.core.errors import DomainError
from bwise.documents import registry
from bwise.documents.rendering import render_pdf
from competenties import services_portfolio as portfolio
from competenties.models import AgreedLevel, RoundStatus
from partners import selectors, services
from partners.letters import SENTENCES
from partners.models import JobSearchEntry, JobSearchOutcome, SearchMode
from tests.factories import WorkerFactory
from tests.factories_competenties import (
    AchievementFactory,
    CompetencyFactory,
    MeasurementRoundFactory,
    RoundParticipantFactory,
)
from tests.factories_partners import ApplicationFactory, StageFactory, TrainingSessionFactory, VacancyFactory
from tests.factories_trajects import IntakeFactory, TrajectoryFactory
from trajects.models import IntakeKind
from trajects.state import Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        first_name="Francine",
        last_name="Put",
        phone="0470 12 34 56",
        languages="Nederlands, Frans",
        dutch_level="B1",
        employment_start=datetime.date(2022, 9, 1),
    )


def test_the_vdab_step_is_dated_once_jobmatching_started(worker, coach):
    with pytest.raises(DomainError) as refused:
        services.jobmatching_setup_save(worker=worker, search_mode=SearchMode.INDEPENDENT, by=coach)
    assert refused.value.code == "no_open_trajectory"
    trajectory = TrajectoryFactory(
        worker=worker, started_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    )
    with pytest.raises(DomainError) as refused:
        services.jobmatching_setup_save(
            worker=worker,
            search_mode=SearchMode.WITH_COACH,
            vdab_job_seeker_on=datetime.date(2026, 2, 1),
            by=coach,
        )
    assert (refused.value.code, refused.value.field) == ("not_jobmatching", "vdab_job_seeker_on")
    services.jobmatching_setup_save(worker=worker, search_mode=SearchMode.WITH_COACH, by=coach)
    assert not services.vdab_step_missing(trajectory)

    trajectory.delete()
    trajectory = TrajectoryFactory(
        worker=worker, phase=Phase.JOBMATCHING, started_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    )
    assert services.vdab_step_missing(trajectory)
    for day, code in ((datetime.date(2025, 12, 1), "before_start"), (datetime.date(2099, 1, 1), "future")):
        with pytest.raises(DomainError) as refused:
            services.jobmatching_setup_save(
                worker=worker, search_mode=SearchMode.WITH_COACH, vdab_job_seeker_on=day, by=coach
            )
        assert refused.value.code == code
    setup = services.jobmatching_setup_save(
        worker=worker,
        search_mode=SearchMode.WITH_COACH,
        vdab_job_seeker_on=datetime.date(2026, 2, 1),
        by=coach,
    )
    trajectory.refresh_from_db()
    assert setup.trajectory == trajectory and not services.vdab_step_missing(trajectory)


def test_the_search_log_takes_a_partner_vacancys_name_and_an_application_means_applied(
    worker, coach, make_user
):
    vacancy = VacancyFactory(partner__organisation=worker.organisation, title="Heftruckchauffeur")
    entry = services.job_search_entry_save(
        entry=JobSearchEntry(worker=worker, vacancy=vacancy, source="partner"), by=coach
    )
    assert (entry.job_title, entry.employer) == ("Heftruckchauffeur", vacancy.partner.name)
    with pytest.raises(DomainError) as refused:
        services.job_search_entry_save(entry=JobSearchEntry(worker=worker, source="vdab"), by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "job_title")
    someone_else = ApplicationFactory(worker=WorkerFactory(organisation=worker.organisation))
    entry.application = someone_else
    with pytest.raises(DomainError) as refused:
        services.job_search_entry_save(entry=entry, by=coach)
    assert refused.value.code == "other_worker"
    entry.application = ApplicationFactory(worker=worker, partner=vacancy.partner, vacancy=vacancy)
    assert services.job_search_entry_save(entry=entry, by=coach).outcome == JobSearchOutcome.APPLIED
    with pytest.raises(DomainError) as refused:
        services.job_search_entry_save(entry=entry, by=make_user("doorstroomcoach"))
    assert refused.value.code == "not_in_caseload"


@pytest.fixture
def records(worker, coach):
    """A worker with a history to draft a CV from."""
    trajectory = TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    IntakeFactory(
        trajectory=trajectory, kind=IntakeKind.SECOND, education_and_work_history="2010-2018 kassierster"
    )
    StageFactory(
        worker=worker,
        trajectory=trajectory,
        partner__name="Groenservice Gent",
        start_date=datetime.date(2026, 2, 2),
    )
    session = TrainingSessionFactory(organisation=worker.organisation, topic="Veilig werken met de heftruck")
    session.participants.create(worker=worker)
    measurement_round = MeasurementRoundFactory(organisation=worker.organisation, status=RoundStatus.CLOSED)
    participant = RoundParticipantFactory(round=measurement_round, worker=worker)
    for name, level in (("Samenwerken", 4), ("Stiptheid", 2)):
        competency = CompetencyFactory(framework=measurement_round.framework, name=name)
        AgreedLevel.objects.create(
            participant=participant, competency=competency, competency_name=name, level=level
        )
    confirmed = AchievementFactory(worker=worker, text="Nieuwe collega ingewerkt")
    confirmed.competencies.add(competency)
    portfolio.achievement_confirm(achievement=confirmed, by=coach)
    AchievementFactory(worker=worker, text="Nog niet bevestigd")
    return trajectory


def test_the_cv_is_drafted_from_the_records_and_kept_as_edited(worker, coach, records):
    cv = services.cv_draft(worker=worker, by=coach)
    assert "Groenservice Gent" in cv.work_experience and worker.organisation.name in cv.work_experience
    assert "2010-2018 kassierster" in cv.work_experience
    assert "Veilig werken met de heftruck" in cv.education
    assert "Samenwerken" in cv.strengths and "Stiptheid" not in cv.strengths  # good or better only
    assert "Nieuwe collega ingewerkt" in cv.achievements and "Nog niet bevestigd" not in cv.achievements
    assert "B1" in cv.languages and cv.profile == ""  # "about me" is the worker's to write

    cv.profile = "Ik werk graag buiten."
    services.cv_save_by_worker(cv=cv, worker=worker)
    redrafted = services.cv_draft(worker=worker, by=coach)
    assert redrafted.pk == cv.pk and redrafted.profile == "Ik werk graag buiten."
    with pytest.raises(DomainError) as refused:
        services.cv_save_by_worker(cv=cv, worker=WorkerFactory(organisation=worker.organisation))
    assert refused.value.code == "not_own"


def test_the_cv_prints_clean_with_belgian_dates_and_a_plain_file_name(worker, coach, records):
    cv = services.cv_draft(worker=worker, by=coach)
    kind = registry.get_kind("cv")
    assert kind.file_name(cv) == "CV-Put-Francine.pdf"
    pdf = render_pdf(kind, cv, organisation=worker.organisation, language="nl-be", reader=coach)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Francine Put" in text and "0470 12 34 56" in text and "Groenservice Gent" in text
    assert "02-02-2026" in text  # the stage's start, day before month
    # The worker's name heads the CV, not the organisation's header of other documents.
    assert text.startswith("Francine Put") and "Printed on" not in text and "Afgedrukt op" not in text


def test_the_letter_holds_the_workers_completions_and_the_fixed_starts_only(worker, coach, records):
    vacancy = VacancyFactory(
        partner__organisation=worker.organisation, title="Groenarbeider", description="Maaien"
    )
    with pytest.raises(DomainError) as refused:
        services.letter_start(worker=worker, by=coach)
    assert refused.value.code == "required"
    letter = services.letter_start(worker=worker, vacancy=vacancy, by=coach)
    letter.why_this_job = "ik graag buiten werk."
    letter.example = "  "
    services.letter_save_by_worker(letter=letter, worker=worker)
    hints = selectors.letter_hints(letter)
    assert "Maaien" in hints["why_this_job"] and "Nieuwe collega ingewerkt" in hints["example"]

    pdf = render_pdf(
        registry.get_kind("motivation_letter"), letter, organisation=worker.organisation, language="en"
    )
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "I am applying for the job of Groenarbeider because ik graag buiten werk." in text
    assert "Nieuwe collega ingewerkt" not in text and "Maaien" not in text  # hints never reach the letter
    others = [str(start) % {"job": "", "employer": ""} for name, start in SENTENCES if name != "why_this_job"]
    assert not any(start.split("%")[0].strip()[:12] in text for start in others)


def test_the_coach_pages_of_the_toolkit_answer(client, worker, coach, records):
    client.force_login(coach)
    placements = reverse("partners:worker_placements", kwargs={"worker_pk": worker.pk})
    assert 'data-testid="vdab-step"' in client.get(placements).content.decode()
    response = client.post(
        reverse("partners:jobmatching_setup", kwargs={"worker_pk": worker.pk}),
        {
            "search_mode": SearchMode.WITH_COACH,
            "vdab_job_seeker_on": datetime.date.today().strftime("%d-%m-%Y"),
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("partners:job_search_create", kwargs={"worker_pk": worker.pk}),
        {"found_on": "01-03-2026", "source": "vdab", "job_title": "Schoonmaker", "outcome": "to_apply"},
    )
    assert response.status_code == 302
    page = client.get(placements).content.decode()
    assert "Schoonmaker" in page and 'data-testid="vdab-step"' not in page
    assert client.post(reverse("partners:cv_draft", kwargs={"worker_pk": worker.pk})).status_code == 302
    assert (
        "Groenservice Gent"
        in client.get(reverse("partners:cv", kwargs={"worker_pk": worker.pk})).content.decode()
    )
    response = client.post(
        reverse("partners:letter_start", kwargs={"worker_pk": worker.pk}),
        {"job_title": "Kok", "employer": "Resto"},
    )
    letter_page = client.get(response["Location"]).content.decode()
    assert "Kok" in letter_page and 'name="why_this_job"' in letter_page
