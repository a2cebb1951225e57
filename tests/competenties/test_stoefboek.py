"""The stoefboek and the digital skills practised in the product (issue 17): photos stripped
of their metadata, the coach's confirmation that makes an item evidence, the evidence on the
consensus page, and the worker's actions recorded only with their consent."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog
from bwise.core.errors import DomainError
from competenties import selectors, services
from competenties import services_portfolio as portfolio
from competenties.framework_presets import DIGITAL
from competenties.models import DigitalAction, DigitalSkillEvidence, EvidenceStatus
from tests.factories import WorkerFactory
from tests.factories_competenties import (
    AchievementFactory,
    CompetencyFactory,
    MeasurementRoundFactory,
    RoundParticipantFactory,
)

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def _photo(kind="JPEG", size=(40, 30), gps=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: the camera was turned
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (51.0, 3.0, 0.0), 3: "E", 4: (3.0, 43.0, 0.0)}
    out = io.BytesIO()
    image.save(out, kind, exif=exif.tobytes())
    name = "IMG_20260302_Gent.jpg" if kind == "JPEG" else "scherm.png"
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach)


@pytest.fixture
def competency(coach):
    return CompetencyFactory(framework__organisation=coach.organisation, name="Zelfstandigheid")


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_photo_is_re_encoded_without_gps_or_any_exif_and_stands_upright(worker, coach, kind):
    upload = _photo(kind)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(GPS_IFD)  # the test photo has a place
    upload.seek(0)
    item = portfolio.achievement_add(worker=worker, text="Machine ingesteld", photo=upload, by=coach)
    stored = item.photo.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == kind
        assert dict(image.getexif()) == {} and not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert image.size == (30, 40)  # the orientation was applied, then dropped
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert "Gent" not in item.photo.name and item.photo.name.startswith("stoefboek/")


def test_a_photo_must_be_a_jpeg_or_png_within_five_megabytes(worker, coach, monkeypatch):
    for upload, code in (
        (SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo"), "file_type"),
        (SimpleUploadedFile("foto.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "file_type"),
    ):
        with pytest.raises(DomainError) as refused:
            portfolio.achievement_add(worker=worker, text="Iets", photo=upload, by=coach)
        assert (refused.value.code, refused.value.field) == (code, "photo")
    monkeypatch.setattr(portfolio, "PHOTO_MAX_BYTES", 100)
    with pytest.raises(DomainError) as refused:
        portfolio.achievement_add(worker=worker, text="Iets", photo=_photo(), by=coach)
    assert refused.value.code == "file_too_large"
    assert not worker.achievements.exists()


def test_only_the_workers_coach_writes_and_confirms_and_a_confirmation_needs_competencies(
    worker, coach, competency, make_user, other_organisation
):
    outsider = make_user(Role.COACH)
    with pytest.raises(DomainError) as refused:
        portfolio.achievement_add(worker=worker, text="Iets", by=outsider)
    assert refused.value.code == "not_in_caseload"
    foreign = CompetencyFactory(framework__organisation=other_organisation)
    with pytest.raises(DomainError) as refused:
        portfolio.achievement_add(worker=worker, text="Iets", competencies=[foreign], by=coach)
    assert refused.value.code == "other_organisation"
    with pytest.raises(DomainError) as refused:
        portfolio.achievement_add(worker=worker, text="  ", by=coach)
    assert refused.value.code == "required"

    item = portfolio.achievement_add(worker=worker, text="Ploeg uitgelegd", by=coach)
    with pytest.raises(DomainError) as refused:
        portfolio.achievement_confirm(achievement=item, by=coach)
    assert refused.value.code == "no_competency"
    item = portfolio.achievement_edit(
        achievement=item, text="Ploeg uitgelegd", competencies=[competency], by=coach
    )
    assert portfolio.achievement_confirm(achievement=item, by=coach).is_confirmed
    with pytest.raises(DomainError):
        portfolio.achievement_confirm(achievement=item, by=outsider)
    # What the coach confirmed is what was written: a change needs a new confirmation.
    item = portfolio.achievement_edit_by_worker(
        achievement=item, worker=worker, text="Nieuwe ploeg uitgelegd", competencies=[competency]
    )
    assert not item.is_confirmed


def test_the_worker_removes_only_their_own_unconfirmed_items(worker, coach, competency):
    other = WorkerFactory(organisation=worker.organisation)
    item = portfolio.achievement_add_by_worker(worker=worker, text="Zelf gedaan", competencies=[competency])
    assert item.added_by_worker and item.created_by is None
    with pytest.raises(DomainError) as refused:
        portfolio.achievement_delete_by_worker(achievement=item, worker=other)
    assert refused.value.code == "not_own"
    portfolio.achievement_confirm(achievement=item, by=coach)
    with pytest.raises(DomainError) as refused:
        portfolio.achievement_delete_by_worker(achievement=item, worker=worker)
    assert refused.value.code == "confirmed"
    portfolio.achievement_delete(achievement=item, by=coach)
    assert not worker.achievements.exists()


def test_confirmed_items_and_actions_show_as_evidence_on_the_consensus_page(worker, coach):
    measurement_round = MeasurementRoundFactory(
        organisation=worker.organisation,
        framework=services.framework_copy_template(template_key=DIGITAL.key, by=coach),
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 15),
    )
    RoundParticipantFactory(round=measurement_round, worker=worker)
    devices = measurement_round.framework.competencies.get(name="Toestellen bedienen")
    confirmed = AchievementFactory(
        worker=worker, text="Foto van de opstelling", achieved_on=datetime.date(2026, 3, 5)
    )
    unconfirmed = AchievementFactory(
        worker=worker, text="Nog niet bevestigd", achieved_on=datetime.date(2026, 3, 6)
    )
    later = AchievementFactory(worker=worker, text="Na de ronde", achieved_on=datetime.date(2026, 3, 20))
    for item in (confirmed, unconfirmed, later):
        item.competencies.add(devices)
    for item in (confirmed, later):
        portfolio.achievement_confirm(achievement=item, by=coach)
    portfolio.digital_skills_consent_set(worker=worker, given=True, by=coach)
    at = datetime.datetime(2026, 3, 4, 9, tzinfo=datetime.UTC)
    action = portfolio.digital_action_record(worker=worker, action=DigitalAction.SIGN_IN_ALONE, at=at)
    portfolio.digital_evidence_review(evidence=action, confirm=True, by=coach)

    sheet = selectors.round_sheet(measurement_round, worker, coach)
    evidence = {row.competency.name: [item.text for item in row.evidence] for row in sheet.rows}
    assert evidence["Toestellen bedienen"] == ["Meldt zich aan op een toestel", "Foto van de opstelling"]
    assert all(not texts for name, texts in evidence.items() if name != "Toestellen bedienen")


def test_actions_are_recorded_only_with_consent_for_the_organisations_digital_behaviour(worker, coach):
    assert portfolio.digital_action_record(worker=worker, action=DigitalAction.SIGNATURE) is None
    portfolio.digital_skills_consent_set_by_worker(worker=worker, given=True)
    # Without the organisation's copy of the framework the shipped behaviour is named.
    first = portfolio.digital_action_record(worker=worker, action=DigitalAction.SIGNATURE)
    assert (first.indicator, first.indicator_text) == (None, "Tekent een document op een scherm")
    framework = services.framework_copy_template(template_key=DIGITAL.key, by=coach)
    again = portfolio.digital_action_record(worker=worker, action=DigitalAction.SIGNATURE)
    assert again.pk == first.pk and again.times == 2  # one row to confirm, not one per signature
    portfolio.digital_evidence_review(evidence=again, confirm=True, by=coach)
    with pytest.raises(DomainError) as refused:
        portfolio.digital_evidence_review(evidence=again, confirm=False, by=coach)
    assert refused.value.code == "already_reviewed"
    new = portfolio.digital_action_record(worker=worker, action=DigitalAction.SIGNATURE)
    assert new.pk != first.pk and new.indicator.competency.framework == framework
    portfolio.digital_skills_consent_set(worker=worker, given=False, by=coach)
    assert portfolio.digital_action_record(worker=worker, action=DigitalAction.SIGNATURE) is None
    assert DigitalSkillEvidence.objects.unscoped(reason="test").get(pk=new.pk).times == 1


def test_every_action_names_a_behaviour_of_the_shipped_digital_skills_framework():
    for action in DigitalAction.values:
        competency, behaviour = portfolio.template_indicator(action)
        assert competency and behaviour


def test_a_photo_the_worker_adds_is_evidence_of_a_digital_skill(worker, coach):
    portfolio.digital_skills_consent_set(worker=worker, given=True, by=coach)
    portfolio.achievement_add(worker=worker, text="Door de coach", photo=_photo(gps=False), by=coach)
    assert not DigitalSkillEvidence.objects.of_worker(worker).exists()
    portfolio.achievement_add_by_worker(worker=worker, text="Zelf gefotografeerd", photo=_photo(gps=False))
    [row] = DigitalSkillEvidence.objects.of_worker(worker)
    assert (row.action, row.status) == (DigitalAction.PHOTO, EvidenceStatus.OBSERVED)


def test_the_photo_downloads_through_the_private_file_path_for_its_audience_only(
    client, worker, coach, hr, make_user
):
    item = portfolio.achievement_add(worker=worker, text="Met foto", photo=_photo(gps=False), by=coach)
    url = reverse("competenties:achievement_photo", kwargs={"achievement_pk": item.pk})
    for reader in (coach, hr):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == item.photo.open("rb").read()
        assert response["Content-Disposition"].startswith("attachment")
    supervisor = make_user(Role.BEGELEIDER)
    worker.supervisor = supervisor
    worker.save()
    client.force_login(supervisor)
    assert client.get(url).status_code == 404
    logged = AccessLog.objects.filter(worker_id=worker.pk, detail__fields="photo")
    assert sorted(logged.values_list("outcome", flat=True)) == ["allowed", "allowed", "refused"]


def test_the_coach_pages_answer_and_a_shared_starr_note_shows_as_a_story(client, worker, coach, competency):
    from tests.factories_trajects import IntakeFactory, StarrNoteFactory, TrajectoryFactory

    note = StarrNoteFactory(intake=IntakeFactory(trajectory=TrajectoryFactory(worker=worker)))
    client.force_login(coach)
    response = client.post(
        reverse("competenties:starr_note_share", kwargs={"starrnote_pk": note.pk}), {"shared": "1"}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.shared_with_worker
    response = client.post(
        reverse("competenties:achievement_create", kwargs={"worker_pk": worker.pk}),
        {"text": "Bestelling alleen klaargezet", "competencies": [competency.pk], "photo": _photo(gps=False)},
    )
    assert response.status_code == 302
    item = worker.achievements.get()
    client.post(
        reverse("competenties:achievement_action", kwargs={"achievement_pk": item.pk}), {"action": "confirm"}
    )
    page = client.get(reverse("competenties:stoefboek", kwargs={"worker_pk": worker.pk})).content.decode()
    assert "Bestelling alleen klaargezet" in page and f'data-note="{note.pk}"' in page
    item.refresh_from_db()
    assert item.is_confirmed and item.photo


def test_the_workers_own_stoefboek_holds_their_items_and_only_the_shared_stories(worker, coach):
    from tests.factories_trajects import IntakeFactory, StarrNoteFactory, TrajectoryFactory
    from trajects.services import starr_note_share

    intake = IntakeFactory(trajectory=TrajectoryFactory(worker=worker))
    shared, kept = StarrNoteFactory(intake=intake), StarrNoteFactory(intake=intake)
    starr_note_share(note=shared, shared=True, by=coach)
    item = portfolio.achievement_add_by_worker(worker=worker, text="Zelf gedaan")
    AchievementFactory(worker=WorkerFactory(organisation=worker.organisation))
    book = selectors.stoefboek_of(worker)
    assert book.achievements == [item] and book.stories == [shared] and kept not in book.stories
