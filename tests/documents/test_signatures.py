"""Signing documents on screen (``bwise.documents.signatures``): the hash binds the exact
document version, the image is checked, and the printed document shows the signatures."""

import base64
import io

import pytest
from PIL import Image, ImageDraw

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.documents.models import Signature, SignerRole
from bwise.documents.registry import get_kind
from bwise.documents.rendering import render_html
from bwise.documents.signatures import content_hash, document_sign, signature_state
from competenties.models import Done
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import PlanActionFactory, PlanFactory
from tests.factories_trajects import IntakeFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def png(width=300, height=100, *, ink=True, fmt="PNG") -> bytes:
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    if ink:
        ImageDraw.Draw(image).line([(10, 80), (150, 20), (290, 70)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def data_uri(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode()


@pytest.fixture
def plan(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, first_name="Lieve")
    plan = PlanFactory(worker=worker)
    PlanActionFactory(plan=plan, action="Heftruckattest behalen")
    return plan


def _sign_both(plan, coach):
    document_sign(kind_key="plan", record=plan, role=SignerRole.WORKER, image=data_uri(png()), by=coach)
    document_sign(kind_key="plan", record=plan, role=SignerRole.COACH, image=png(), by=coach)


def test_a_changed_pop_action_shows_the_pop_as_unsigned(plan, coach):
    _sign_both(plan, coach)
    assert signature_state("plan", plan).complete

    action = plan.actions.get()
    action.action = "Heftruckattest en reachtruckattest behalen"
    action.save()

    state = signature_state("plan", plan)
    assert not state.complete
    assert state.current == {}
    assert set(state.outdated) == {SignerRole.WORKER, SignerRole.COACH}
    # Signing again binds the new version; the old signatures stay as the record.
    _sign_both(plan, coach)
    assert signature_state("plan", plan).complete
    assert Signature.objects.of_worker(plan.worker).count() == 4


def test_follow_up_and_the_same_words_saved_again_keep_the_signatures(plan, coach):
    _sign_both(plan, coach)
    action = plan.actions.get()
    action.done = Done.DONE  # the worker ticks "Gelukt?": follow-up, not the agreement
    action.remarks = "Gelukt in november"
    action.save()
    plan.reflection = plan.reflection + "  \r\n"  # the same words from another browser
    plan.evaluation = "Goed verlopen"
    plan.save()
    assert signature_state("plan", plan).complete


def test_the_hash_is_sha256_of_the_canonical_version(plan):
    kind = get_kind("plan")
    first = content_hash(kind, plan)
    assert len(first) == 64 and first == content_hash(kind, plan)
    PlanActionFactory(plan=plan, action="Tweede actie")
    assert content_hash(kind, plan) != first


def test_a_changed_commitment_statement_needs_new_signatures(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    trajectory = TrajectoryFactory(worker=worker)
    intake = IntakeFactory(trajectory=trajectory, commitment_statement="We werken samen aan je doorstroom.")
    for role in SignerRole.values:
        document_sign(kind_key="commitment_statement", record=trajectory, role=role, image=png(), by=coach)
    assert signature_state("commitment_statement", trajectory).complete
    intake.milestones = "Stage voor de zomer"
    intake.save()
    state = signature_state("commitment_statement", trajectory)
    assert state.missing == [SignerRole.WORKER, SignerRole.COACH]


@pytest.mark.parametrize(
    ("image", "code"),
    [
        ("", "signature_missing"),
        ("data:image/svg+xml;base64,PHN2Zz4=", "signature_missing"),
        ("data:image/png;base64,not base64!", "signature_invalid"),
        (data_uri(b"\x89PNG\r\n\x1a\nnonsense"), "signature_invalid"),
        (data_uri(png(fmt="GIF")), "signature_invalid"),
        (data_uri(png(ink=False)), "signature_empty"),
        (data_uri(png(width=20, height=20)), "signature_size"),
        (data_uri(png(width=4000, height=100)), "signature_size"),
        ("data:image/png;base64," + "A" * 300_000, "signature_too_large"),
    ],
    ids=["nothing", "svg", "not-base64", "broken-png", "gif", "blank", "tiny", "huge", "too-many-bytes"],
)
def test_only_a_drawn_png_of_sensible_size_is_kept(plan, coach, image, code):
    with pytest.raises(DomainError) as error:
        document_sign(kind_key="plan", record=plan, role=SignerRole.WORKER, image=image, by=coach)
    assert error.value.code == code
    assert not Signature.objects.of_worker(plan.worker).exists()


def test_who_may_sign(plan, coach, organisation, other_organisation):
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    outsider = UserFactory(organisation=other_organisation, roles=[Role.COACH])
    hr = UserFactory(organisation=organisation, roles=[Role.HR])
    refusals = {
        "supervisor": (SignerRole.WORKER, supervisor),
        "outsider": (SignerRole.COACH, outsider),
        "hr as coach": (SignerRole.COACH, hr),
        "worker session as coach": (SignerRole.COACH, None),
    }
    codes = {}
    for name, (role, by) in refusals.items():
        with pytest.raises(DomainError) as error:
            document_sign(kind_key="plan", record=plan, role=role, image=png(), by=by)
        codes[name] = error.value.code
    assert codes == {
        "supervisor": "other_organisation",
        "outsider": "other_organisation",
        "hr as coach": "not_a_coach",
        "worker session as coach": "not_a_coach",
    }
    # The worker signs in their own session (the worker's pages pass no user).
    signature = document_sign(kind_key="plan", record=plan, role=SignerRole.WORKER, image=png(), by=None)
    assert (signature.signer_name, signature.recorded_by, signature.signed_by) == (
        plan.worker.full_name,
        None,
        None,
    )
    with pytest.raises(DomainError) as error:
        document_sign(kind_key="plan", record=plan, role=SignerRole.WORKER, image=png(), by=coach)
    assert error.value.code == "already_signed"


def test_the_printed_plan_shows_each_signature_with_name_role_and_date(plan, coach):
    kind = get_kind("plan")
    unsigned = render_html(kind, plan, organisation=plan.worker.organisation, language="en", reader=coach)
    assert "signature-image" not in unsigned and "Date and signature" in unsigned
    _sign_both(plan, coach)
    html = render_html(kind, plan, organisation=plan.worker.organisation, language="en", reader=coach)
    assert html.count('class="signature-image" src="data:image/png;base64,') == 2
    assert f"Signature of {plan.worker.full_name}" in html
    assert f"Signature of {coach.get_full_name()}" in html
    assert html.count("Signed on screen on") == 2
