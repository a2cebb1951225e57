"""Mijn paspoort: the worker shares chosen items through the coach's passport service in
their own session, sees and stops their own links only, and each opening."""

import pytest
from django.urls import reverse
from django.utils import timezone

from competenties.models import DigitalAction, DigitalSkillEvidence, Passport, PassportOpening
from competenties.services_portfolio import digital_skills_consent_set_by_worker
from tests import factories_competenties as fc
from tests.competenties.test_passport import closed_round_levels
from tests.factories import WorkerFactory
from tests.factories_partners import CurriculumVitaeFactory
from tests.factories_portal import sign_in_worker

pytestmark = pytest.mark.django_db

PAGE = reverse("portal:passport")


@pytest.fixture
def shelf(coach):
    worker = WorkerFactory(
        organisation=coach.organisation, coach=coach, first_name="Anouk", last_name="Peeters"
    )
    digital_skills_consent_set_by_worker(worker=worker, given=True)
    shared, kept = closed_round_levels(worker, [("Samenwerken", 3), ("Stiptheid", 2)])
    confirmed = fc.AchievementFactory(
        worker=worker, text="KASSAGESLOTEN", confirmed_at=timezone.now(), confirmed_by=coach
    )
    unconfirmed = fc.AchievementFactory(worker=worker, text="NOGNIETBEVESTIGD")
    cv = CurriculumVitaeFactory(worker=worker, profile="CVPROFIEL", languages="Nederlands")
    other = WorkerFactory(organisation=coach.organisation, coach=coach)
    [other_level] = closed_round_levels(other, [("Initiatief", 4)])
    return {
        "worker": worker,
        "shared": shared,
        "kept": kept,
        "confirmed": confirmed,
        "unconfirmed": unconfirmed,
        "cv": cv,
        "other": other,
        "other_level": other_level,
    }


def _share(client, items, days=7, recipient="Colruyt"):
    return client.post(PAGE, {"recipient": recipient, "items": items, "days": days})


def _link(client):
    page = client.get(PAGE).content.decode()
    start = page.index('id="passport-link" readonly value="') + len('id="passport-link" readonly value="')
    return page[start : page.index('"', start)]


def test_the_worker_shares_what_they_chose_and_sees_each_opening(client, shelf):
    worker = shelf["worker"]
    sign_in_worker(client, worker)
    page = client.get(PAGE).content.decode()
    for offered in ("Samenwerken", "Stiptheid", "KASSAGESLOTEN", f"cv:{shelf['cv'].pk}"):
        assert offered in page
    assert "NOGNIETBEVESTIGD" not in page and "Initiatief" not in page

    response = _share(client, [f"agreed_level:{shelf['shared'].pk}", f"stoefboek:{shelf['confirmed'].pk}"])
    assert response.status_code == 302
    passport = Passport.objects.unscoped(reason="test").get(worker=worker)
    assert passport.created_by is None and (passport.expires_at - timezone.now()).days in (6, 7)
    assert {e.action for e in DigitalSkillEvidence.objects.unscoped(reason="test").filter(worker=worker)} == {
        DigitalAction.PASSPORT_SHARE
    }
    link = _link(client)
    # The link is shown once only.
    assert 'id="passport-link"' not in client.get(PAGE).content.decode()

    client.logout()
    employer = client.get(link).content.decode()
    assert "Samenwerken" in employer and "KASSAGESLOTEN" in employer
    for hidden in ("Stiptheid", "CVPROFIEL", "NOGNIETBEVESTIGD", "JUSTIFICATIONMARKER", "Colruyt"):
        assert hidden not in employer, hidden

    sign_in_worker(client, worker)
    mine = client.get(PAGE).content.decode()
    assert "Colruyt" in mine and 'class="portal-openings"' in mine
    assert passport.views.get().outcome == PassportOpening.SHOWN


def test_a_shared_cv_shows_until_the_worker_stops_the_link(client, shelf):
    sign_in_worker(client, shelf["worker"])
    _share(client, [f"cv:{shelf['cv'].pk}"], days=30)
    link = _link(client)
    client.logout()
    shown = client.get(link).content.decode()
    assert "CVPROFIEL" in shown and "Samenwerken" not in shown and "KASSAGESLOTEN" not in shown
    sign_in_worker(client, shelf["worker"])
    passport = Passport.objects.unscoped(reason="test").get(worker=shelf["worker"])
    assert (
        client.post(reverse("portal:passport_revoke", kwargs={"passport_pk": passport.pk})).status_code == 302
    )
    passport.refresh_from_db()
    assert passport.revoked_by_worker and passport.revoked_by is None
    client.logout()
    refused = client.get(link)
    assert refused.status_code == 410 and "CVPROFIEL" not in refused.content.decode()


def test_the_worker_cannot_see_or_stop_another_workers_link(client, shelf, coach):
    from competenties.services_passport import passport_create

    theirs, _token = passport_create(
        worker=shelf["other"],
        recipient="ANDEREWERKGEVER",
        days=7,
        items=[("agreed_level", shelf["other_level"].pk)],
        by=coach,
    )
    sign_in_worker(client, shelf["worker"])
    assert "ANDEREWERKGEVER" not in client.get(PAGE).content.decode()
    stop = reverse("portal:passport_revoke", kwargs={"passport_pk": theirs.pk})
    assert client.post(stop).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_worker_cannot_share_another_workers_or_an_unconfirmed_item(client, shelf):
    sign_in_worker(client, shelf["worker"])
    for item in (f"agreed_level:{shelf['other_level'].pk}", f"stoefboek:{shelf['unconfirmed'].pk}", "cv:0"):
        response = _share(client, [item])
        assert response.status_code == 200 and 'id="items-error"' in response.content.decode()
    response = _share(client, [f"cv:{shelf['cv'].pk}"], days=365)
    assert response.status_code == 200 and 'id="days-error"' in response.content.decode()
    assert not Passport.objects.unscoped(reason="test").exists()


def test_the_service_refuses_a_session_of_another_worker(shelf):
    from bwise.access import WorkerSession
    from bwise.core.errors import DomainError
    from competenties.services_passport import passport_create, passport_revoke

    other = shelf["other"]
    intruder = WorkerSession(worker_id=other.pk, organisation_id=other.organisation_id, card_id=None)
    with pytest.raises(DomainError) as refused:
        passport_create(
            worker=shelf["worker"], recipient="X", days=7, items=[("cv", shelf["cv"].pk)], by=intruder
        )
    assert refused.value.code == "not_allowed"
    own = WorkerSession(worker_id=shelf["worker"].pk, organisation_id=other.organisation_id, card_id=None)
    passport, _token = passport_create(
        worker=shelf["worker"], recipient="X", days=7, items=[("cv", shelf["cv"].pk)], by=own
    )
    with pytest.raises(DomainError):
        passport_revoke(passport=passport, by=intruder)
    with pytest.raises(DomainError):
        passport_revoke(passport=passport, by=None)
    passport.refresh_from_db()
    assert passport.revoked_at is None
