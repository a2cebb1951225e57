"""The partner register's forms: events and training with participants, visits, commitments."""

import datetime

import pytest
from django.urls import reverse

from bwise.accounts.models import Role
from bwise.core.errors import DomainError
from bwise.reminders import services as reminders
from bwise.reminders.models import Reminder
from partners.models import EventParticipant, Partner, PartnerEvent, TrainingParticipant, Visit
from partners.models.register import DEFAULT_VISIT_CHECKLIST
from partners.services import (
    partner_child_save,
    partner_event_save,
    partner_save,
    training_session_save,
    vacancy_save,
    visit_checklist_save,
    visit_save,
)
from tests.documents.test_kinds import render
from tests.factories import WorkerFactory
from tests.factories_competenties import JobProfileFactory
from tests.factories_partners import (
    PartnerActivityFactory,
    PartnerContactFactory,
    PartnerFactory,
    TrainingSessionFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


def test_event_with_participants_keeps_those_the_coach_cannot_see(client, coach, make_user):
    colleague = make_user(Role.COACH)
    mine = WorkerFactory(organisation=coach.organisation, coach=coach)
    theirs = WorkerFactory(organisation=coach.organisation, coach=colleague)
    client.force_login(coach)
    data = {
        "kind": "leertafel",
        "leertafel_kind": "sec_nec",
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
    assert "biedt stageplaatsen aan" in body and "werft doelgroepmedewerkers aan" in body


def test_an_event_takes_workers_own_staff_and_partner_contacts(coach, begeleider):
    partner = PartnerFactory(organisation=coach.organisation)
    contact = PartnerContactFactory(partner=partner)
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    event = PartnerEvent(
        kind="job_event", title="Jobbeurs", held_on=datetime.date(2026, 5, 4), partner=partner
    )
    partner_event_save(event=event, by=coach, participants=[worker], staff=[begeleider], contacts=[contact])
    assert [p.worker for p in event.participants.all()] == [worker]
    assert (list(event.staff.all()), list(event.contacts.all())) == ([begeleider], [contact])
    with pytest.raises(DomainError) as refused:
        partner_event_save(event=event, by=coach, contacts=[PartnerContactFactory()])
    assert refused.value.code == "other_organisation"


@pytest.mark.parametrize(("kind_value", "allowed"), [("", False), ("sec_sec", True), ("sec_nec", True)])
def test_a_learning_table_is_sec_sec_or_sec_nec(coach, kind_value, allowed):
    event = PartnerEvent(kind="leertafel", title="Leertafel", held_on=datetime.date(2026, 5, 4))
    event.leertafel_kind = kind_value
    if allowed:
        assert partner_event_save(event=event, by=coach).pk
    else:
        with pytest.raises(DomainError) as refused:
            partner_event_save(event=event, by=coach)
        assert (refused.value.code, refused.value.field) == ("required", "leertafel_kind")


def test_a_duo_job_has_its_direction_and_the_questionnaire_after_the_shadow_days(coach):
    day = datetime.date(2026, 5, 4)
    event = PartnerEvent(kind="duobaan", title="Duobaan", held_on=day, questionnaire_on=day)
    with pytest.raises(DomainError) as refused:
        partner_event_save(event=event, by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "duobaan_direction")
    event.duobaan_direction = "nec_in_sec"
    event.questionnaire_on = day - datetime.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        partner_event_save(event=event, by=coach)
    assert (refused.value.code, refused.value.field) == ("before_event", "questionnaire_on")
    event.questionnaire_on, event.questionnaire_take_home = day, "Vaste briefing"
    partner_event_save(event=event, by=coach)
    # Another kind keeps none of it.
    event.kind = "job_event"
    partner_event_save(event=event, by=coach)
    event.refresh_from_db()
    assert (event.duobaan_direction, event.questionnaire_on, event.questionnaire_take_home) == ("", None, "")


def test_a_kick_off_brings_at_least_two_fellow_candidates(coach):
    workers = WorkerFactory.create_batch(2, organisation=coach.organisation, coach=coach)
    event = PartnerEvent(kind="kick_off", title="Kick-off", held_on=datetime.date(2026, 5, 4))
    with pytest.raises(DomainError) as refused:
        partner_event_save(event=event, by=coach, participants=workers[:1])
    assert (refused.value.code, refused.value.field) == ("too_few", "participants")
    partner_event_save(event=event, by=coach, participants=workers)
    assert event.participants.count() == 2


def test_a_visit_starts_from_the_organisations_checklist_and_records_who_met_whom(client, coach, beheerder):
    partner = PartnerFactory(organisation=coach.organisation)
    client.force_login(coach)
    create = reverse("partners:visit_create", kwargs={"partner_pk": partner.pk})
    initial = client.get(create).context["form"].initial["preparation_checklist"]
    assert initial.splitlines()[0] == f"[ ] {DEFAULT_VISIT_CHECKLIST[0]}"
    visit_checklist_save(items="Rondleiding vragen\n\n  Vacatures opvragen ", by=coach)
    assert client.get(create).context["form"].initial["preparation_checklist"] == (
        "[ ] Rondleiding vragen\n[ ] Vacatures opvragen"
    )
    with pytest.raises(DomainError) as refused:
        visit_checklist_save(items=" \n", by=coach)
    assert refused.value.code == "required"
    mine, theirs = PartnerContactFactory(partner=partner), PartnerContactFactory()
    visit = Visit(partner=partner, planned_on=datetime.date(2026, 5, 4), direction="from_partner")
    with pytest.raises(DomainError) as refused:
        visit_save(visit=visit, by=coach, partner_contacts=[theirs])
    assert refused.value.code == "other_partner"
    visit_save(visit=visit, by=coach, visitors=[coach, beheerder], partner_contacts=[mine])
    assert set(visit.visitors.all()) == {coach, beheerder} and list(visit.partner_contacts.all()) == [mine]


def test_the_employer_sheet_is_complete_and_printable(coach):
    partner = PartnerFactory(
        organisation=coach.organisation,
        work_environment="Koele hal",
        contact_with_managers="Ploegleider op de vloer",
        extra_legal_benefits="Maaltijdcheques",
    )
    text = render("employer_sheet", partner)
    for expected in ("Koele hal", "Ploegleider op de vloer", "Maaltijdcheques", partner.name):
        assert expected in text, expected


def test_a_cold_contact_reminds_the_partners_owner_and_the_beheerder(coach, beheerder, make_user, settings):
    settings.PARTNER_CONTACT_WARNING_MONTHS = 6
    today = datetime.date(2026, 4, 28)
    partner = PartnerFactory(organisation=coach.organisation, name="Stil", owner=coach)
    PartnerActivityFactory(partner=partner, on=today - datetime.timedelta(days=190))
    # Quiet counts from the registration too: this one was registered long before.
    Partner.objects.filter(pk=partner.pk).update(
        created_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    reminders.reminders_scan(today=today, kinds=["partner_not_contacted"])
    assert set(Reminder.objects.values_list("recipient", flat=True)) == {coach.pk, beheerder.pk}
    with pytest.raises(DomainError) as refused:
        partner.owner = make_user(Role.HR)
        partner_save(partner=partner, by=coach)
    assert refused.value.code == "owner_not_coach"
