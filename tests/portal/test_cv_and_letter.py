"""Mijn cv en brief: the worker writes their CV and letters in the same records the coach
edits, through the same services, sees only what the declaration gives them, and prints them."""

import io

import pghistory
import pytest
from django.urls import reverse
from pypdf import PdfReader

from bwise.access import WorkerSession
from bwise.audit.models import AccessAction, AccessLog
from bwise.core.errors import DomainError
from bwise.portal import selectors, services
from bwise.privacy.history import history_for
from partners import services as partner_services
from partners.models import CurriculumVitae, JobSearchOutcome, MotivationLetter
from tests import factories_partners as fp
from tests.factories import WorkerFactory
from tests.factories_portal import make_card, sign_in_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(coach):
    return WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        first_name="Anouk",
        last_name="Peeters",
        phone="0470 12 34 56",
    )


def _session(worker, card=None):
    card = card or make_card(worker)[0]
    return WorkerSession(worker_id=worker.pk, organisation_id=worker.organisation_id, card_id=card.pk)


def _cv(worker, **texts):
    return fp.CurriculumVitaeFactory(worker=worker, **texts)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- Services ---------------------------------------------------------------------------


def test_the_worker_starts_the_cv_from_the_coachs_draft_once(worker):
    fp.StageFactory(worker=worker, partner__organisation=worker.organisation, post="Magazijn")
    session = _session(worker)
    cv = services.cv_start(session=session)
    assert cv.worker == worker and "Magazijn" in cv.work_experience and cv.profile == ""
    with pytest.raises(DomainError) as refused:
        services.cv_start(session=session)
    assert refused.value.code == "cv_exists"


def test_the_workers_words_land_in_the_cv_the_coach_edits_and_the_coach_sees_who(worker, coach, client):
    cv = _cv(worker, education="Cursus heftruck")
    services.cv_write(
        session=_session(worker),
        texts={"profile": "  Ik werk graag buiten.  ", "education": "Doctor in de fysica"},
        version=cv.version,
    )
    cv.refresh_from_db()
    # Only the worker's own sections change: training comes from the records.
    assert cv.profile == "Ik werk graag buiten." and cv.education == "Cursus heftruck"
    client.force_login(coach)
    page = client.get(reverse("partners:cv", kwargs={"worker_pk": worker.pk})).content.decode()
    assert "Ik werk graag buiten." in page and 'id="changed-by-worker"' in page
    assert [entry.by_worker for entry in history_for(cv, reader=coach).entries] == [True, False]
    # The coach saves in turn, in the same record, in a request of their own (whose
    # history context the middleware sets).
    cv.profile = "Ik werk graag buiten, in een team."
    with pghistory.context(user=coach.pk, url="/partners/cv/"):
        partner_services.cv_save(cv=cv, by=coach)
    page = client.get(reverse("partners:cv", kwargs={"worker_pk": worker.pk})).content.decode()
    assert 'id="changed-by-worker"' not in page


def test_a_coachs_save_in_between_is_not_written_over(worker, coach):
    cv = _cv(worker)
    shown = cv.version
    cv.profile = "De coach schreef dit."
    partner_services.cv_save(cv=cv, by=coach)
    with pytest.raises(DomainError) as refused:
        services.cv_write(session=_session(worker), texts={"profile": "Ik"}, version=shown)
    assert refused.value.code == "stale"
    assert CurriculumVitae.objects.unscoped(reason="test").get(pk=cv.pk).profile == "De coach schreef dit."


def test_another_workers_cv_and_letter_are_refused(worker, coach):
    other = WorkerFactory(organisation=worker.organisation)
    other_cv = _cv(other, profile="Van iemand anders")
    other_letter = fp.MotivationLetterFactory(worker=other)
    session = _session(worker)
    # Staff write through the coach's services, not the worker's.
    with pytest.raises(DomainError) as refused:
        services.cv_write(session=coach, texts={"profile": "x"}, version=other_cv.version)
    assert refused.value.code == "not_allowed"
    with pytest.raises(DomainError):
        services.cv_write(session=session, texts={"profile": "Mijn tekst"}, version=other_cv.version)
    with pytest.raises(DomainError) as refused:
        services.letter_write(session=session, letter_pk=other_letter.pk, texts={"strengths": "x"}, version=1)
    assert refused.value.code == "not_own"
    for kind, record in (("cv", other_cv), ("motivation_letter", other_letter)):
        with pytest.raises(DomainError) as refused:
            services.own_document_pdf(session=session, kind_key=kind, record=record)
        assert refused.value.code == "not_own"
    other_cv.refresh_from_db()
    other_letter.refresh_from_db()
    assert other_cv.profile == "Van iemand anders" and other_letter.strengths == ""
    assert selectors.my_letter(session, other_letter.pk) is None


def test_a_letter_is_only_for_a_job_on_the_workers_list_and_opens_again(worker):
    fp.JobSearchEntryFactory(worker=worker, job_title="Magazijnier", employer="Logistiek Gent")
    fp.JobSearchEntryFactory(worker=worker, job_title="Kok", outcome=JobSearchOutcome.CLOSED)
    vacancy = fp.VacancyFactory(partner__organisation=worker.organisation, title="Poetshulp")
    fp.ApplicationFactory(worker=worker, partner=vacancy.partner, vacancy=vacancy)
    other_entry = fp.JobSearchEntryFactory(worker=WorkerFactory(organisation=worker.organisation))
    session = _session(worker)
    jobs = {job.job_title: job for job in selectors.letter_jobs(session)}
    assert set(jobs) == {"Magazijnier", "Poetshulp"}
    letter = services.letter_begin(session=session, job_key=jobs["Poetshulp"].key)
    assert (letter.vacancy, letter.employer, letter.created_by) == (vacancy, vacancy.partner.name, None)
    assert services.letter_begin(session=session, job_key=jobs["Poetshulp"].key) == letter
    with pytest.raises(DomainError) as refused:
        services.letter_begin(session=session, job_key=f"search-{other_entry.pk}")
    assert refused.value.code == "not_in_list"


def test_the_letter_holds_exactly_the_workers_words_and_the_coach_edits_it(worker, coach, client):
    letter = fp.MotivationLetterFactory(worker=worker, why_this_job="")
    services.letter_write(
        session=_session(worker),
        letter_pk=letter.pk,
        texts={"strengths": "netjes werken.", "example": ""},
        version=letter.version,
    )
    letter.refresh_from_db()
    assert letter.strengths == "netjes werken." and letter.why_this_job == ""
    client.force_login(coach)
    url = reverse("partners:letter_edit", kwargs={"motivationletter_pk": letter.pk})
    page = client.get(url).content.decode()
    assert "netjes werken." in page and 'id="changed-by-worker"' in page


def test_the_pdfs_hold_the_workers_words_and_only_what_the_worker_may_see(worker):
    cv = _cv(worker, profile="Ik werk graag buiten.", achievements="Heftruckattest behaald")
    WorkerFactory._meta.model.objects.unscoped(reason="test").filter(pk=worker.pk).update(
        health_notes="GEHEIMGEZONDHEID"
    )
    letter = fp.MotivationLetterFactory(worker=worker, strengths="netjes werken.")
    session = _session(worker)
    text = _pdf_text(services.own_document_pdf(session=session, kind_key="cv", record=cv))
    assert "Ik werk graag buiten." in text and "Anouk Peeters" in text and "0470 12 34 56" in text
    assert "GEHEIM" not in text
    text = _pdf_text(services.own_document_pdf(session=session, kind_key="motivation_letter", record=letter))
    assert "Ik ben goed in netjes werken." in text and "Logistiek Gent" in text
    assert AccessLog.objects.filter(action=AccessAction.PRINT, worker_id=worker.pk, user=None).count() == 2


def test_the_letter_page_shows_the_jobs_not_the_coachs_notes(client, worker):
    fp.JobSearchEntryFactory(worker=worker, job_title="Magazijnier", notes="COACHNOTE")
    letter = fp.MotivationLetterFactory(worker=worker)
    MotivationLetter.objects.unscoped(reason="test").filter(pk=letter.pk).update(created_by=worker.coach)
    sign_in_worker(client, worker)
    page = client.get(reverse("portal:letters")).content.decode()
    assert "Magazijnier" in page and "COACHNOTE" not in page
    page = client.get(reverse("portal:letter", kwargs={"motivationletter_pk": letter.pk})).content.decode()
    assert str(worker.coach) not in page


# --- Views ------------------------------------------------------------------------------


def test_the_cv_page_starts_saves_and_refuses_bad_input_in_dutch(client, worker):
    sign_in_worker(client, worker)
    url = reverse("portal:cv")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl-be").content.decode()
    assert "Maak mijn cv" in page
    response = client.post(reverse("portal:cv_start"))
    assert response.status_code == 302
    cv = CurriculumVitae.objects.unscoped(reason="test").get(worker=worker)
    response = client.post(url, {"profile": "Ik werk graag buiten.", "version": cv.version})
    assert response.status_code == 302
    cv.refresh_from_db()
    assert cv.profile == "Ik werk graag buiten."
    # Too long, no version, an old version: a Dutch message, the text kept, nothing lost.
    response = client.post(url, {"profile": "x" * 3001, "version": cv.version}, HTTP_ACCEPT_LANGUAGE="nl-be")
    assert response.status_code == 200 and "rode tekst" in response.content.decode()
    response = client.post(url, {"profile": "Nieuw"}, HTTP_ACCEPT_LANGUAGE="nl-be")
    assert response.status_code == 200
    response = client.post(url, {"profile": "Mijn nieuwe tekst", "version": 1}, HTTP_ACCEPT_LANGUAGE="nl-be")
    body = response.content.decode()
    assert response.status_code == 200 and "Je coach veranderde dit" in body and "Mijn nieuwe tekst" in body
    cv.refresh_from_db()
    assert cv.profile == "Ik werk graag buiten."
    response = client.get(reverse("portal:cv_pdf"))
    assert response["Content-Type"] == "application/pdf" and "Ik werk graag buiten." in _pdf_text(
        response.content
    )


def test_the_letter_pages_start_save_and_refuse_bad_input(client, worker):
    fp.JobSearchEntryFactory(worker=worker, job_title="Magazijnier", employer="Logistiek Gent")
    card = sign_in_worker(client, worker)
    response = client.post(reverse("portal:letters"), {"job": "search-0"}, HTTP_ACCEPT_LANGUAGE="nl-be")
    assert response.status_code == 200 and not MotivationLetter.objects.unscoped(reason="test").exists()
    job = selectors.letter_jobs(_session(worker, card))[0]
    response = client.post(reverse("portal:letters"), {"job": job.key})
    letter = MotivationLetter.objects.unscoped(reason="test").get(worker=worker)
    url = reverse("portal:letter", kwargs={"motivationletter_pk": letter.pk})
    assert response.url == url
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl-be").content.decode()
    assert "Ik ben goed in …" in page
    client.post(url, {"strengths": "netjes werken.", "version": letter.version})
    letter.refresh_from_db()
    assert letter.strengths == "netjes werken."
    response = client.post(
        url, {"strengths": "y" * 3001, "version": letter.version}, HTTP_ACCEPT_LANGUAGE="nl-be"
    )
    assert response.status_code == 200 and "rode tekst" in response.content.decode()
    pdf = client.get(reverse("portal:letter_pdf", kwargs={"motivationletter_pk": letter.pk}))
    assert "netjes werken." in _pdf_text(pdf.content)


def test_another_workers_letter_is_not_found(client, worker):
    other_letter = fp.MotivationLetterFactory(worker=WorkerFactory(organisation=worker.organisation))
    sign_in_worker(client, worker)
    for name in ("portal:letter", "portal:letter_pdf"):
        assert client.get(reverse(name, kwargs={"motivationletter_pk": other_letter.pk})).status_code == 404
    response = client.post(
        reverse("portal:letter", kwargs={"motivationletter_pk": other_letter.pk}),
        {"strengths": "x", "version": 1},
    )
    assert response.status_code == 404
    assert client.get(reverse("portal:cv_pdf")).status_code == 404
