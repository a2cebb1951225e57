"""The partner register's forms: events and training with participants, visits, commitments."""

import datetime

import pytest
from django.urls import reverse

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from partners.models import EventParticipant, PartnerEvent, TrainingParticipant, Visit
from partners.services import partner_child_save, training_session_save, vacancy_save
from tests.factories import WorkerFactory
from tests.factories_competenties import JobProfileFactory
from tests.factories_partners import PartnerFactory, TrainingSessionFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def test_event_with_participants_keeps_those_the_coach_cannot_see(client, coach, make_user):
    colleague = make_user(Role.COACH)
    mine = WorkerFactory(organisation=coach.organisation, coach=coach)
    theirs = WorkerFactory(organisation=coach.organisation, coach=colleague)
    client.force_login(coach)
    data = {
        "kind": "leertafel",
        "title": "Leertafel logistiek",
        "held_on": "2026-05-04",
        "participants": [mine.pk],
    }
    assert client.post(reverse("partners:event_create"), data).status_code == 302
    event = PartnerEvent.objects.get()
    EventParticipant.objects.create(event=event, worker=theirs)
    url = reverse("partners:event_edit", kwargs={"partnerevent_pk": event.pk})
    assert client.post(url, {**data, "participants": []}).status_code == 302
    assert list(event.participants.values_list("worker", flat=True)) == [theirs.pk]


def test_other_organisations_worker_cannot_be_a_participant(client, coach):
    stranger = WorkerFactory()
    client.force_login(coach)
    data = {"kind": "job_event", "title": "Jobbeurs", "held_on": "2026-05-04", "participants": [stranger.pk]}
    response = client.post(reverse("partners:event_create"), data)
    assert response.status_code == 200
    assert not PartnerEvent.objects.exists()


def test_training_rules(coach):
    workers = WorkerFactory.create_batch(2, organisation=coach.organisation, coach=coach)
    session = TrainingSessionFactory.build(organisation=coach.organisation, format="individual")
    with pytest.raises(DomainError) as refused:
        training_session_save(session=session, by=coach, participants=workers)
    assert (refused.value.code, refused.value.field) == ("too_many_participants", "participants")
    external = TrainingSessionFactory.build(organisation=coach.organisation, provider="external")
    with pytest.raises(DomainError) as refused:
        training_session_save(session=external, by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "partner")
    external.partner = PartnerFactory(organisation=coach.organisation)
    training_session_save(session=external, by=coach, participants=workers)
    assert TrainingParticipant.objects.filter(session=external).count() == 2


def test_visit_cannot_be_done_before_it_was_planned(coach):
    partner = PartnerFactory(organisation=coach.organisation)
    planned = datetime.date(2026, 5, 4)
    with pytest.raises(DomainError) as refused:
        partner_child_save(
            record=Visit(partner=partner, planned_on=planned, done_on=planned - datetime.timedelta(days=1)),
            by=coach,
        )
    assert (refused.value.code, refused.value.field) == ("before_planned", "done_on")
    visit = partner_child_save(record=Visit(partner=partner, planned_on=planned, done_on=planned), by=coach)
    assert visit.by == coach


def test_vacancy_needs_a_partner_vacancy_profile(coach):
    vacancy = VacancyFactory.build(
        partner=PartnerFactory(organisation=coach.organisation),
        job_profile=JobProfileFactory(organisation=coach.organisation, kind="internal"),
    )
    with pytest.raises(DomainError) as refused:
        vacancy_save(vacancy=vacancy, by=coach)
    assert (refused.value.code, refused.value.field) == ("job_profile_kind", "job_profile")


def test_commitment_with_agreed_roles_through_the_page(client, coach):
    partner = PartnerFactory(organisation=coach.organisation)
    client.force_login(coach)
    url = reverse("partners:commitment_create", kwargs={"partner_pk": partner.pk})
    response = client.post(url, {"signed_on": "2026-02-01", "agreed_roles": ["stages", "hires"]})
    assert response.status_code == 302
    body = client.get(reverse("partners:partner_detail", kwargs={"partner_pk": partner.pk})).content.decode()
    assert "biedt stageplaatsen aan" in body and "werft medewerkers aan" in body
