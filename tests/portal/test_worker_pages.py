"""The worker's stoefboek page and the digital-skills actions the worker's pages record:
services with a ``WorkerSession`` and the pages in the test client."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from bwise.access import WorkerSession
from bwise.core.errors import DomainError
from bwise.documents.models import SignerRole
from bwise.documents.registry import get_kind
from bwise.documents.rendering import render_html, render_pdf
from bwise.documents.signatures import document_sign, signature_state
from bwise.portal import services
from bwise.privacy.declaration import WORKER_FIELDS, sensitive_fields_of
from competenties.models import Achievement, DigitalAction, DigitalSkillEvidence
from competenties.plan_state import PlanStatus
from competenties.services_portfolio import digital_skills_consent_set_by_worker
from tests import factories_competenties as fc
from tests.factories import WorkerFactory
from tests.factories_portal import PIN, make_card, sign_in_worker
from tests.factories_trajects import IntakeFactory, StarrNoteFactory
from trajects.documents import commitment_statement_content
from trajects.models import Intake

pytestmark = pytest.mark.django_db

STOEFBOEK = reverse("portal:stoefboek")


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(out, "JPEG")
    return SimpleUploadedFile("camera.jpg", out.getvalue(), content_type="image/jpeg")


def _session(worker):
    return WorkerSession(worker_id=worker.pk, organisation_id=worker.organisation_id, card_id=None)


def _actions(worker):
    return set(
        DigitalSkillEvidence.objects.unscoped(reason="test")
        .filter(worker=worker)
        .values_list("action", flat=True)
    )


def _refused(expected, call, **kwargs):
    with pytest.raises(DomainError) as refused:
        call(**kwargs)
    assert refused.value.code == expected


@pytest.fixture
def book(coach):
    """A worker who agreed to digital-skills evidence, a competency of their organisation,
    another organisation's competency and a second worker with an item of their own."""
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Anouk")
    digital_skills_consent_set_by_worker(worker=worker, given=True)
    other = WorkerFactory(organisation=coach.organisation, coach=coach)
    return {
        "worker": worker,
        "competency": fc.CompetencyFactory(
            framework__organisation=coach.organisation, name="Zelfstandigheid"
        ),
        "foreign": fc.CompetencyFactory(name="ANDERE ORGANISATIE"),
        "other": other,
        "other_item": fc.AchievementFactory(worker=other, text="OTHERWORKERITEM"),
    }


# --- Services -----------------------------------------------------------------------------


def test_the_worker_adds_an_item_with_a_photo_which_counts_as_digital_practice(book):
    worker = book["worker"]
    item = services.stoefboek_add(
        session=_session(worker),
        text="Ik heb alleen de kassa gesloten.",
        competency_pks=[book["competency"].pk],
        photo=_photo(),
    )
    assert item.worker == worker and item.added_by_worker and item.photo
    assert list(item.competencies.all()) == [book["competency"]]
    assert _actions(worker) == {DigitalAction.PHOTO}


def test_without_consent_a_photo_records_no_digital_action(book):
    worker = book["worker"]
    digital_skills_consent_set_by_worker(worker=worker, given=False)
    services.stoefboek_add(session=_session(worker), text="Foto van mijn werk.", photo=_photo())
    assert _actions(worker) == set()


def test_the_worker_links_only_their_organisations_competencies(book):
    _refused(
        "other_organisation",
        services.stoefboek_add,
        session=_session(book["worker"]),
        text="Gelukt",
        competency_pks=[book["foreign"].pk],
    )


def test_the_worker_cannot_change_or_remove_another_workers_item(book):
    session = _session(book["worker"])
    pk = book["other_item"].pk
    _refused("not_own", services.stoefboek_edit, session=session, achievement_pk=pk, text="Van mij")
    _refused("not_own", services.stoefboek_delete, session=session, achievement_pk=pk)
    assert Achievement.objects.unscoped(reason="test").get(pk=pk).text == "OTHERWORKERITEM"


def test_a_confirmed_item_stays_as_the_coach_confirmed_it(book, coach):
    item = fc.AchievementFactory(worker=book["worker"], confirmed_at=timezone.now(), confirmed_by=coach)
    session = _session(book["worker"])
    _refused("confirmed", services.stoefboek_edit, session=session, achievement_pk=item.pk, text="Anders")
    _refused("confirmed", services.stoefboek_delete, session=session, achievement_pk=item.pk)


def test_staff_cannot_use_the_workers_stoefboek_services(book, coach):
    _refused("not_allowed", services.stoefboek_add, session=coach, text="Door de coach")


def test_signing_in_alone_with_card_and_pin_is_recorded_with_consent_only(book):
    worker = book["worker"]
    card, _code = make_card(worker)
    services.card_pin_check(card=card, pin=PIN)
    assert _actions(worker) == {DigitalAction.SIGN_IN_ALONE}
    other_card, _code = make_card(book["other"])
    services.card_pin_check(card=other_card, pin=PIN)
    assert _actions(book["other"]) == set()


def test_a_wrong_pin_records_no_sign_in(book):
    card, _code = make_card(book["worker"])
    with pytest.raises(DomainError):
        services.card_pin_check(card=card, pin="0000")
    assert _actions(book["worker"]) == set()


# --- The page -----------------------------------------------------------------------------


def test_the_page_shows_own_items_and_shared_stories_but_no_coach_fields(client, book, coach):
    worker = book["worker"]
    fc.AchievementFactory(worker=worker, text="MIJNITEM", confirmed_at=timezone.now(), confirmed_by=coach)
    intake = IntakeFactory(trajectory__worker=worker)
    StarrNoteFactory(intake=intake, situation="GEDEELDVERHAAL", shared_with_worker=True)
    StarrNoteFactory(intake=intake, situation="COACHHOUDTDIT")
    sign_in_worker(client, worker)
    page = client.get(STOEFBOEK).content.decode()
    assert "MIJNITEM" in page and "GEDEELDVERHAAL" in page
    assert 'capture="environment"' in page
    for hidden in ("COACHHOUDTDIT", "OTHERWORKERITEM", "ANDERE ORGANISATIE", coach.last_name):
        assert hidden not in page
    # A confirmed item has no change or remove button.
    assert "/delete/" not in page


def test_adding_changing_and_removing_through_the_page(client, book):
    worker = book["worker"]
    sign_in_worker(client, worker)
    response = client.post(
        STOEFBOEK,
        {"text": "Ik hielp een nieuwe collega.", "competencies": [book["competency"].pk], "photo": _photo()},
    )
    assert response.status_code == 302
    item = Achievement.objects.unscoped(reason="test").get(worker=worker)
    assert item.added_by_worker and item.photo and _actions(worker) == {DigitalAction.PHOTO}
    edit = reverse("portal:stoefboek_edit", kwargs={"achievement_pk": item.pk})
    assert client.post(edit, {"text": "Ik hielp twee collega's."}).status_code == 302
    item.refresh_from_db()
    assert item.text == "Ik hielp twee collega's." and not item.competencies.exists()
    client.post(reverse("portal:stoefboek_delete", kwargs={"achievement_pk": item.pk}))
    assert not Achievement.objects.unscoped(reason="test").filter(pk=item.pk).exists()


def test_an_empty_text_is_refused_on_the_page(client, book):
    sign_in_worker(client, book["worker"])
    response = client.post(STOEFBOEK, {"text": "   "})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()


def test_another_workers_item_ids_are_refused_on_the_page(client, book):
    sign_in_worker(client, book["worker"])
    pk = book["other_item"].pk
    assert client.get(reverse("portal:stoefboek_edit", kwargs={"achievement_pk": pk})).status_code == 404
    assert (
        client.post(
            reverse("portal:stoefboek_edit", kwargs={"achievement_pk": pk}), {"text": "x"}
        ).status_code
        == 404
    )
    assert client.post(reverse("portal:stoefboek_delete", kwargs={"achievement_pk": pk})).status_code == 404
    assert Achievement.objects.unscoped(reason="test").filter(pk=pk).exists()


def test_the_worker_cannot_confirm_their_own_item(client, book):
    sign_in_worker(client, book["worker"])
    client.post(STOEFBOEK, {"text": "Zelf bevestigd", "confirmed_at": "2026-01-01", "confirmed_by": "1"})
    item = Achievement.objects.unscoped(reason="test").get(worker=book["worker"])
    assert item.confirmed_at is None and item.confirmed_by is None


# --- Tekenen ------------------------------------------------------------------------------

SIGN = reverse("portal:sign")


def _drawn(at=(10, 10)) -> str:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    image.putpixel(at, (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def plan(book):
    plan = fc.PlanFactory(worker=book["worker"], status=PlanStatus.IN_PROGRESS)
    fc.PlanActionFactory(plan=plan, action="Leren werken met de heftruck")
    return plan


def test_the_worker_signs_their_plan_which_counts_as_digital_practice(book, plan):
    signature = services.plan_sign(session=_session(book["worker"]), plan_pk=plan.pk, image=_drawn())
    assert signature.role == SignerRole.WORKER and signature.recorded_by is None
    assert SignerRole.WORKER in signature_state("plan", plan).current
    assert DigitalAction.SIGNATURE in _actions(book["worker"])


def test_the_worker_cannot_sign_another_workers_plan_or_a_draft(book, plan):
    _refused("not_own", services.plan_sign, session=_session(book["other"]), plan_pk=plan.pk, image=_drawn())
    draft = fc.PlanFactory(worker=book["worker"], status=PlanStatus.DRAFT, year=plan.year - 1)
    _refused(
        "not_running", services.plan_sign, session=_session(book["worker"]), plan_pk=draft.pk, image=_drawn()
    )


def test_the_sign_page_shows_unsigned_then_signed_and_a_changed_plan_as_unsigned(client, book, plan):
    sign_in_worker(client, book["worker"])
    assert 'id="plan-unsigned"' in client.get(SIGN).content.decode()
    client.post(reverse("portal:plan_sign", kwargs={"plan_pk": plan.pk}), {"image": _drawn()})
    assert 'id="plan-signed"' in client.get(SIGN).content.decode()
    plan.actions.update(action="Iets anders leren")
    page = client.get(SIGN).content.decode()
    assert 'id="plan-signed"' not in page and "data-signature-pad" in page


def test_another_workers_plan_id_is_refused_on_the_sign_page(client, book):
    other_plan = fc.PlanFactory(worker=book["other"], status=PlanStatus.IN_PROGRESS)
    sign_in_worker(client, book["worker"])
    response = client.post(
        reverse("portal:plan_sign", kwargs={"plan_pk": other_plan.pk}), {"image": _drawn()}
    )
    assert response.status_code == 404


# --- Tekenen: the commitment statement ----------------------------------------------------


@pytest.fixture
def statement(book):
    """The first intake of the worker's trajectory, with the commitments and, besides them,
    answers that are not the statement's (one of them a declared special-category field)."""
    return IntakeFactory(
        trajectory__worker=book["worker"],
        commitment_statement="We werken samen aan je doorstroom.",
        mutual_expectations="Je komt naar elk gesprek.",
        milestones="Tegen juni een stage.",
        motivation="MOTIVATIEVANDEINTAKE",
        personal_and_social_situation="BIJZONDEREGEGEVENS",
    ).trajectory


def _commitment_sign(session, trajectory, image=None):
    return services.commitment_sign(session=session, trajectory_pk=trajectory.pk, image=image or _drawn())


def test_the_worker_signs_the_commitment_statement_which_counts_as_digital_practice(book, statement):
    signature = _commitment_sign(_session(book["worker"]), statement)
    assert (signature.kind, signature.role, signature.recorded_by) == (
        "commitment_statement",
        SignerRole.WORKER,
        None,
    )
    assert SignerRole.WORKER in signature_state("commitment_statement", statement).current
    assert DigitalAction.SIGNATURE in _actions(book["worker"])


def test_the_worker_signs_only_their_own_current_statement(book, statement):
    _refused("not_own", _commitment_sign, session=_session(book["other"]), trajectory=statement)
    statement.intakes.update(commitment_statement="  ")
    _refused("no_statement", _commitment_sign, session=_session(book["worker"]), trajectory=statement)
    assert not signature_state("commitment_statement", statement).current


def test_the_worker_reads_only_the_statements_fields(book):
    """What the worker signs is what the worker may read: every intake field the statement
    binds is in WORKER_FIELDS, and no declared special-category field is."""
    trajectory = IntakeFactory(trajectory__worker=book["worker"]).trajectory
    intake_fields = {f.name for f in Intake._meta.concrete_fields}
    signed = set(commitment_statement_content(trajectory)) & intake_fields
    assert signed and signed <= set(WORKER_FIELDS["trajects.Intake"])
    assert not set(WORKER_FIELDS["trajects.Intake"]) & set(sensitive_fields_of("trajects.Intake"))


def test_the_sign_page_shows_the_statement_unsigned_signed_and_changed(client, book, statement, plan):
    sign_in_worker(client, book["worker"])
    page = client.get(SIGN).content.decode()
    assert "We werken samen aan je doorstroom." in page and "Tegen juni een stage." in page
    assert 'id="commitment-unsigned"' in page and 'id="plan-unsigned"' in page
    assert "MOTIVATIEVANDEINTAKE" not in page and "BIJZONDEREGEGEVENS" not in page
    sign = reverse("portal:commitment_sign", kwargs={"trajectory_pk": statement.pk})
    assert client.post(sign, {"image": _drawn()}).url == SIGN
    page = client.get(SIGN).content.decode()
    assert 'id="commitment-signed"' in page and 'id="plan-unsigned"' in page
    # The intake's other answers may change; the commitments may not without a new signature.
    statement.intakes.update(motivation="Andere motivatie")
    assert 'id="commitment-signed"' in client.get(SIGN).content.decode()
    statement.intakes.update(milestones="Tegen september een stage.")
    page = client.get(SIGN).content.decode()
    assert 'id="commitment-changed"' in page and 'id="commitment-signed"' not in page


def test_an_empty_pad_or_another_workers_statement_is_refused_on_the_page(client, book, statement):
    other = IntakeFactory(
        trajectory__worker=book["other"], commitment_statement="Van iemand anders"
    ).trajectory
    sign_in_worker(client, book["worker"])
    assert "Van iemand anders" not in client.get(SIGN).content.decode()
    other_sign = reverse("portal:commitment_sign", kwargs={"trajectory_pk": other.pk})
    assert client.post(other_sign, {"image": _drawn()}).status_code == 404
    own_sign = reverse("portal:commitment_sign", kwargs={"trajectory_pk": statement.pk})
    response = client.post(own_sign, {"image": ""}, follow=True)
    assert "Zet eerst je handtekening in het vak." in response.content.decode()
    assert not signature_state("commitment_statement", other).current
    assert not signature_state("commitment_statement", statement).current


def test_the_printed_statement_shows_the_workers_and_the_coachs_signatures(book, statement, coach):
    _commitment_sign(_session(book["worker"]), statement)
    # Another drawing than the worker's: the PDF keeps one copy of the same image.
    drawing = _drawn((50, 50))
    document_sign(
        kind_key="commitment_statement", record=statement, role=SignerRole.COACH, image=drawing, by=coach
    )
    kind = get_kind("commitment_statement")
    printing = {"organisation": book["worker"].organisation, "language": "nl", "reader": coach}
    html = render_html(kind, statement, **printing)
    assert html.count('class="signature-image" src="data:image/png;base64,') == 2
    assert "Anouk" in html
    pdf = PdfReader(io.BytesIO(render_pdf(kind, statement, **printing)))
    assert sum(len(page.images) for page in pdf.pages) == 2
