"""Vragen over mij: the worker answers the intake questions about past, present and future
on their own pages, one per screen, and sends them; sent, they are read-only, and the coach
reads them on the first intake's form (never written into the coach's own intake fields)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bwise.access import WorkerSession
from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.portal import selectors, services
from bwise.privacy.declaration import WORKER_FIELDS
from bwise.privacy.history import history_for
from competenties.models import DigitalAction, DigitalSkillEvidence
from competenties.services_portfolio import digital_skills_consent_set_by_worker
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory
from tests.factories_portal import make_card, sign_in_worker
from tests.factories_trajects import IntakeFactory, TrajectoryFactory
from trajects.models import INTAKE_QUESTIONS, IntakeAnswers
from trajects.selectors import sent_intake_answers
from trajects.state import Phase

pytestmark = pytest.mark.django_db

NL = {"HTTP_ACCEPT_LANGUAGE": "nl-be"}


@pytest.fixture
def worker(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Anouk")
    TrajectoryFactory(worker=worker)
    return worker


def _session(worker):
    card = make_card(worker)[0]
    return WorkerSession(worker_id=worker.pk, organisation_id=worker.organisation_id, card_id=card.pk)


def _answers(worker) -> IntakeAnswers:
    return IntakeAnswers.objects.unscoped(reason="test").get(trajectory__worker=worker)


def _refused(code, call, **kwargs):
    with pytest.raises(DomainError) as refused:
        call(**kwargs)
    assert refused.value.code == code
    return refused.value


# --- Services ---------------------------------------------------------------------------


def test_the_answers_are_saved_then_sent_and_locked_and_the_coachs_intake_is_untouched(worker, coach):
    intake = IntakeFactory(trajectory=worker.trajectories.get(), motivation="De coach schreef dit.")
    digital_skills_consent_set_by_worker(worker=worker, given=True)
    session = _session(worker)
    services.intake_answer_save(session=session, name="education", text="  Lager onderwijs in Gent.  ")
    services.intake_answer_save(session=session, name="future_job", text="Heftruckchauffeur")
    services.intake_answer_save(session=session, name="future_job", text="Magazijnier")
    answers = _answers(worker)
    assert (answers.education, answers.future_job, answers.sent_at) == (
        "Lager onderwijs in Gent.",
        "Magazijnier",
        None,
    )
    # Versioned like the worker's other records: the history says the worker wrote it.
    assert [entry.by_worker for entry in history_for(answers, reader=coach).entries] == [True] * 4
    assert not DigitalSkillEvidence.objects.unscoped(reason="test").filter(worker=worker).exists()

    services.intake_answers_send(session=session)
    assert _answers(worker).sent_at is not None
    evidence = DigitalSkillEvidence.objects.unscoped(reason="test").get(worker=worker)
    assert (evidence.action, evidence.indicator_text) == (
        DigitalAction.ONLINE_FORM,
        "Vult een online formulier in",
    )
    _refused("closed", services.intake_answer_save, session=session, name="education", text="Anders")
    _refused("closed", services.intake_answers_send, session=session)
    assert _answers(worker).education == "Lager onderwijs in Gent."
    intake.refresh_from_db()
    assert intake.motivation == "De coach schreef dit." and intake.education_and_work_history == ""


def test_without_consent_sending_records_no_digital_action(worker):
    session = _session(worker)
    services.intake_answer_save(session=session, name="needs", text="Een cursus")
    services.intake_answers_send(session=session)
    assert not DigitalSkillEvidence.objects.unscoped(reason="test").filter(worker=worker).exists()


def test_staff_and_another_workers_session_are_refused(worker, coach):
    _refused("not_allowed", services.intake_answer_save, session=coach, name="education", text="x")
    _refused("not_allowed", services.intake_answers_send, session=coach)
    # Another worker's session reaches only that worker's own answers, never these.
    other = WorkerFactory(organisation=worker.organisation)
    elsewhere = _session(other)
    _refused("no_trajectory", services.intake_answer_save, session=elsewhere, name="education", text="x")
    TrajectoryFactory(worker=other)
    services.intake_answer_save(session=elsewhere, name="education", text="VAN DE ANDERE")
    assert not IntakeAnswers.objects.unscoped(reason="test").filter(trajectory__worker=worker).exists()
    assert selectors.my_intake(_session(worker)).answered == 0
    # This worker's id with another organisation is no session of theirs.
    forged = WorkerSession(worker_id=worker.pk, organisation_id=OrganisationFactory().pk, card_id=0)
    _refused("not_allowed", services.intake_answer_save, session=forged, name="education", text="x")


def test_bad_input_gets_a_dutch_message_and_saves_nothing(worker):
    session = _session(worker)
    _refused("unknown_question", services.intake_answer_save, session=session, name="health", text="x")
    _refused("unknown_question", services.intake_answer_save, session=session, name="sent_at", text="x")
    with pytest.raises(DomainError) as refused, translation.override("nl"):
        services.intake_answer_save(session=session, name="education", text="x" * 2001)
    assert refused.value.code == "too_long" and "Je tekst is te lang" in refused.value.message
    _refused("invalid", services.intake_answer_save, session=session, name="education", text="a\x00b")
    # Nothing answered yet: nothing to send.
    _refused("empty", services.intake_answers_send, session=session)
    services.intake_answer_save(session=session, name="education", text="   ")
    _refused("empty", services.intake_answers_send, session=session)
    assert _answers(worker).education == ""


def test_the_questions_close_after_the_voortraject_or_a_completed_first_intake(worker, coach):
    session = _session(worker)
    trajectory = worker.trajectories.get()
    assert selectors.my_intake(session).open
    IntakeFactory(trajectory=trajectory, completed_on=timezone.localdate(), commitment_statement="Samen")
    assert not selectors.my_intake(session).open
    _refused("closed", services.intake_answer_save, session=session, name="education", text="x")

    later = WorkerFactory(organisation=coach.organisation, coach=coach)
    TrajectoryFactory(worker=later, phase=Phase.JOBMATCHING)
    later_session = _session(later)
    assert not selectors.my_intake(later_session).open
    _refused("closed", services.intake_answer_save, session=later_session, name="education", text="x")
    # No current trajectory: no questions.
    alone = WorkerFactory(organisation=coach.organisation)
    assert selectors.my_intake(_session(alone)) is None


# --- The worker's page ------------------------------------------------------------------


def test_the_page_asks_one_question_per_screen_and_sends(client, worker, coach):
    sign_in_worker(client, worker)
    url = reverse("portal:intake")
    page = client.get(url, **NL).content.decode()
    assert "Vraag 1 van 7" in page and "Welke school of opleiding heb je gedaan?" in page
    assert "gezondheid" in page
    response = client.post(f"{url}?step=0", {"answer": "Lager onderwijs", "go": "next"})
    assert response.url == f"{url}?step=1"
    page = client.get(response.url, **NL).content.decode()
    assert "Vraag 2 van 7" in page and "Waar heb je al gewerkt?" in page
    response = client.post(f"{url}?step=1", {"answer": "Bij de bakker", "go": "back"})
    assert response.url == f"{url}?step=0"
    page = client.get(response.url, **NL).content.decode()
    assert "Lager onderwijs" in page
    # Too long: the Dutch message, the text kept on the screen, nothing saved.
    response = client.post(f"{url}?step=2", {"answer": "y" * 2001, "go": "next"}, **NL)
    body = response.content.decode()
    assert response.status_code == 200 and "Je tekst is te lang" in body and "y" * 2001 in body
    assert _answers(worker).likes_now == ""
    # A step out of range is the last question or the overview, never an error.
    assert client.get(f"{url}?step=99", **NL).status_code == 200
    assert client.get(f"{url}?step=abc", **NL).status_code == 200

    overview = client.get(f"{url}?step=7", **NL).content.decode()
    assert "Je bent klaar!" in overview and "Bij de bakker" in overview and "Versturen" in overview
    response = client.post(url, {"send": "1"})
    assert response.url == url
    page = client.get(url, **NL).content.decode()
    assert "Je hebt je antwoorden verstuurd op" in page and "Bij de bakker" in page
    assert "<textarea" not in page and "Versturen" not in page
    # Sent: a post changes nothing.
    client.post(f"{url}?step=0", {"answer": "Anders", "go": "next"})
    assert _answers(worker).education == "Lager onderwijs"


def test_sending_nothing_says_so_in_dutch(client, worker):
    sign_in_worker(client, worker)
    url = reverse("portal:intake")
    response = client.post(url, {"send": "1"}, follow=True, **NL)
    assert "Beantwoord eerst minstens één vraag." in response.content.decode()


def test_the_page_without_a_trajectory_says_there_are_no_questions(client, coach):
    alone = WorkerFactory(organisation=coach.organisation)
    sign_in_worker(client, alone)
    response = client.get(reverse("portal:intake"), **NL)
    assert response.status_code == 200 and "Er zijn nu geen vragen voor jou." in response.content.decode()
    assert client.post(reverse("portal:intake"), {"answer": "x"}).status_code == 302
    assert not IntakeAnswers.objects.unscoped(reason="test").exists()


def test_staff_do_not_open_the_workers_page(client, coach):
    client.force_login(coach)
    assert client.get(reverse("portal:intake")).status_code in (302, 403)


# --- The coach's side -------------------------------------------------------------------


def _sent(worker, **texts):
    return IntakeAnswers.objects.create(trajectory=worker.trajectories.get(), sent_at=timezone.now(), **texts)


def test_the_coach_reads_the_sent_answers_on_the_first_intake_and_starts_from_them(client, worker, coach):
    intake = IntakeFactory(
        trajectory=worker.trajectories.get(),
        motivation="Wil graag doorgroeien.",
        education_and_work_history="",
    )
    edit = reverse("trajects:intake_edit", kwargs={"intake_pk": intake.pk})
    client.force_login(coach)
    # Not sent yet: the worker's draft is theirs.
    IntakeAnswers.objects.create(trajectory=intake.trajectory, education="KLADTEKST")
    detail = reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})
    page = client.get(edit, **NL).content.decode()
    assert "KLADTEKST" not in page and "Vragen over mij" in page
    assert "KLADTEKST" not in client.get(detail, **NL).content.decode()
    IntakeAnswers.objects.unscoped(reason="test").update(
        education="Lager onderwijs", future_job="Magazijnier", sent_at=timezone.now()
    )
    page = client.get(edit, **NL).content.decode()
    assert "Wat de doelgroepmedewerker zelf invulde" in page and "Magazijnier" in page
    assert "Welk werk wil je later doen?" in page
    # The worker's page: a line by the intakes, and the answers in the timeline.
    page = client.get(detail, **NL).content.decode()
    assert 'data-testid="intake-answers-sent"' in page and "Magazijnier" in page

    # The button puts the answers in the form after the coach's text; nothing is saved.
    page = client.get(f"{edit}?kind=first&from_answers=1", **NL).content.decode()
    assert "Wil graag doorgroeien.\n\nWelk werk wil je later doen?\nMagazijnier" in page
    intake.refresh_from_db()
    assert intake.motivation == "Wil graag doorgroeien."
    # The second intake's screening starts from the past: school and work.
    second = IntakeFactory(trajectory=intake.trajectory, kind="second")
    second_edit = reverse("trajects:intake_edit", kwargs={"intake_pk": second.pk})
    page = client.get(second_edit, **NL).content.decode()
    assert "Magazijnier" in page and "?kind=second&amp;from_answers=1" in page
    page = client.get(f"{second_edit}?kind=second&from_answers=1", **NL).content.decode()
    assert ">\nWelke school of opleiding heb je gedaan?\nLager onderwijs</textarea>" in page
    second.refresh_from_db()
    assert second.education_and_work_history == ""


def test_the_coach_sees_them_before_the_first_intake_is_recorded(client, worker, coach):
    _sent(worker, hard_now="Vroeg opstaan")
    client.force_login(coach)
    create = reverse("trajects:intake_create", kwargs={"trajectory_pk": worker.trajectories.get().pk})
    page = client.get(f"{create}?kind=first", **NL).content.decode()
    assert "Vroeg opstaan" in page
    page = client.get(f"{create}?kind=first&from_answers=1", **NL).content.decode()
    assert ">\nWat vind je moeilijk in je werk?\nVroeg opstaan</textarea>" in page


def test_another_organisations_coach_does_not_see_the_answers(client, worker):
    _sent(worker, work_history="GEHEIMEWERKGEVER")
    intake = IntakeFactory(trajectory=worker.trajectories.get())
    stranger = UserFactory(organisation=OrganisationFactory(), roles=[Role.COACH])
    client.force_login(stranger)
    response = client.get(reverse("trajects:intake_edit", kwargs={"intake_pk": intake.pk}))
    assert response.status_code == 404 and "GEHEIMEWERKGEVER" not in response.content.decode()
    assert sent_intake_answers(worker.trajectories.get(), stranger) is None
    assert sent_intake_answers(worker.trajectories.get(), worker.coach) is not None


def test_every_question_has_an_answer_field_the_worker_may_read():
    names = [name for name, _part, _question in INTAKE_QUESTIONS]
    assert set(names) < set(WORKER_FIELDS["trajects.IntakeAnswers"])
    # No special category is asked: those stay in the conversation with the coach.
    for banned in ("health", "disability", "justice", "situation", "limitations"):
        assert not any(banned in name for name in names)
