"""The hire moves the trajectory to nazorg; the schedule follows the hire date and the coach
adapts it; the coach closes the trajectory, never the last contact."""

import datetime
from decimal import Decimal

import pytest

from bwise.core.errors import DomainError
from partners.models import FollowUp, Hire, Vacancy
from partners.services import (
    activa_application_record,
    follow_up_add,
    follow_up_log,
    follow_up_reschedule,
    follow_up_skip,
    hire_record,
    hire_save,
    hire_warnings,
    nazorg_schedule,
)
from tests.factories import WorkerFactory
from tests.factories_partners import PartnerFactory, VacancyFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.services import employment_end_record, trajectory_transition
from trajects.state import Outcome, Phase, Status

START = datetime.date(2026, 1, 31)


def test_schedule_from_a_hire_date():
    assert nazorg_schedule(START, ["1w", "1m", "3m", "6m", "12m"]) == [
        datetime.date(2026, 2, 7),
        datetime.date(2026, 2, 28),  # a month after 31 January is the end of February
        datetime.date(2026, 4, 30),
        datetime.date(2026, 7, 31),
        datetime.date(2027, 1, 31),
    ]


def test_schedule_is_configurable(settings):
    settings.NAZORG_FOLLOW_UP_OFFSETS = ["2w", "2m"]
    assert nazorg_schedule(START) == [datetime.date(2026, 2, 14), datetime.date(2026, 3, 31)]


def test_bad_offset_fails_loudly():
    with pytest.raises(ValueError, match="nazorg offset"):
        nazorg_schedule(START, ["1y"])


@pytest.fixture
def placed(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    trajectory = TrajectoryFactory(worker=worker, phase=Phase.STAGE)
    employer = PartnerFactory(organisation=coach.organisation)
    return worker, trajectory, employer


def hire(worker, employer, **fields):
    return Hire(worker=worker, employer=employer, contract_type="permanent", start_date=START, **fields)


def test_nazorg_is_refused_without_a_hire(placed, coach):
    _worker, trajectory, _employer = placed
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="to_nazorg", by=coach)
    assert refused.value.code == "hire_missing"


def test_hire_moves_to_nazorg_with_follow_ups_for_worker_and_employer(placed, coach):
    worker, trajectory, employer = placed
    vacancy = VacancyFactory(partner=employer)
    recorded = hire_record(hire=hire(worker, employer, vacancy=vacancy), by=coach)
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.NAZORG
    assert trajectory.transitions.filter(name="to_nazorg", by=coach).exists()
    rows = list(recorded.follow_ups.values_list("due_on", "with_whom"))
    assert len(rows) == 10
    assert (datetime.date(2026, 2, 7), "worker") in rows and (datetime.date(2026, 2, 7), "employer") in rows
    assert Vacancy.objects.get(pk=vacancy.pk).status == "filled"


def test_direct_hire_from_job_matching_passes_through_the_stage_phase(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    trajectory = TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    hire_record(hire=hire(worker, PartnerFactory(organisation=coach.organisation)), by=coach)
    names = list(trajectory.transitions.order_by("at", "pk").values_list("name", flat=True))
    assert names[-2:] == ["to_stage", "to_nazorg"]


def test_hire_refused_in_voortraject(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    TrajectoryFactory(worker=worker, phase=Phase.VOORTRAJECT)
    with pytest.raises(DomainError) as refused:
        hire_record(hire=hire(worker, PartnerFactory(organisation=coach.organisation)), by=coach)
    assert refused.value.code == "hire_phase"
    assert not Hire.objects.exists()


def test_hire_with_another_partners_vacancy_is_refused(placed, coach):
    worker, _trajectory, employer = placed
    other = VacancyFactory(partner__organisation=coach.organisation)
    with pytest.raises(DomainError) as refused:
        hire_record(hire=hire(worker, employer, vacancy=other), by=coach)
    assert (refused.value.code, refused.value.field) == ("other_partner", "vacancy")


def test_the_last_contact_leaves_the_trajectory_open_for_the_coach_to_close(placed, coach, settings):
    settings.NAZORG_FOLLOW_UP_OFFSETS = ["1w", "1m"]
    worker, trajectory, employer = placed
    recorded = hire_record(hire=hire(worker, employer), by=coach)
    contacts = list(recorded.follow_ups.all())
    assert len(contacts) == 4
    for contact in contacts[:-1]:
        follow_up_log(follow_up=contact, done_on=contact.due_on, notes="Gaat goed", by=coach)
    follow_up_skip(follow_up=contacts[-1], reason="Werkgever tevreden, geen contact meer nodig", by=coach)
    trajectory.refresh_from_db()
    assert trajectory.status == Status.OPEN and not FollowUp.objects.open().exists()
    trajectory_transition(trajectory=trajectory, transition="close", outcome=Outcome.EXTERN, by=coach)
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.outcome) == (Status.CLOSED, Outcome.EXTERN)
    with pytest.raises(DomainError) as refused:
        follow_up_add(hire=recorded, with_whom="worker", due_on=START, by=coach)
    assert refused.value.code == "trajectory_closed"


def test_the_coach_adds_skips_and_moves_contacts_from_the_hire_date_on(placed, coach):
    worker, _trajectory, employer = placed
    recorded = hire_record(hire=hire(worker, employer), by=coach)
    with pytest.raises(DomainError) as refused:
        follow_up_add(
            hire=recorded, with_whom="employer", due_on=START - datetime.timedelta(days=1), by=coach
        )
    assert (refused.value.code, refused.value.field) == ("before_start", "due_on")
    extra = follow_up_add(hire=recorded, with_whom="employer", due_on=START, by=coach)
    assert (extra.added_by, recorded.follow_ups.count()) == (coach, 11)
    with pytest.raises(DomainError) as refused:
        follow_up_reschedule(follow_up=extra, due_on=START - datetime.timedelta(days=1), by=coach)
    assert refused.value.code == "before_start"
    moved = follow_up_reschedule(follow_up=extra, due_on=START + datetime.timedelta(days=3), by=coach)
    assert moved.due_on == datetime.date(2026, 2, 3)
    with pytest.raises(DomainError) as refused:
        follow_up_skip(follow_up=moved, reason=" ", by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "reason")
    skipped = follow_up_skip(follow_up=moved, reason="Op vakantie", by=coach)
    assert skipped.skipped_on and skipped.skip_reason == "Op vakantie"
    for act in (
        lambda: follow_up_log(follow_up=skipped, done_on=START, notes="x", by=coach),
        lambda: follow_up_reschedule(follow_up=skipped, due_on=START, by=coach),
    ):
        with pytest.raises(DomainError) as refused:
            act()
        assert refused.value.code == "already_skipped"


def test_a_fixed_term_or_temporary_contract_is_warned_and_an_intention_names_the_wage(coach):
    def hired(contract_type, **fields):
        worker = WorkerFactory(organisation=coach.organisation, coach=coach)
        TrajectoryFactory(worker=worker, phase=Phase.STAGE)
        employer = PartnerFactory(organisation=coach.organisation)
        return hire_record(
            hire=Hire(
                worker=worker, employer=employer, contract_type=contract_type, start_date=START, **fields
            ),
            by=coach,
        )

    assert hire_warnings(hired("permanent", agreed_wage=Decimal("2300"))) == []
    assert len(hire_warnings(hired("fixed_term"))) == len(hire_warnings(hired("temp"))) == 1
    with pytest.raises(DomainError) as refused:
        hired("intention")
    assert (refused.value.code, refused.value.field) == ("required", "agreed_wage")
    with pytest.raises(DomainError) as refused:
        hired("intention", agreed_wage=Decimal("0"))
    assert refused.value.code == "not_positive"
    assert hired("intention", agreed_wage=Decimal("0.01")).agreed_wage == Decimal("0.01")


def test_the_activa_card_is_applied_for_only_after_the_last_day_of_employment(placed, coach):
    worker, _trajectory, employer = placed
    recorded = hire_record(hire=hire(worker, employer), by=coach)
    last_day = START - datetime.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        activa_application_record(hire=recorded, applied_on=START, accompanied=True, by=coach)
    assert refused.value.code == "employment_not_ended"
    worker = employment_end_record(worker=worker, on=last_day, reason="extern_doorgestroomd", by=coach)
    recorded = Hire.objects.get(pk=recorded.pk)
    with pytest.raises(DomainError) as refused:
        activa_application_record(hire=recorded, applied_on=last_day, accompanied=True, by=coach)
    assert (refused.value.code, refused.value.field) == ("before_resignation", "applied_on")
    done = activa_application_record(hire=recorded, applied_on=START, accompanied=True, by=coach)
    assert (done.activa_applied_on, done.activa_accompanied) == (START, True)


def test_follow_up_needs_notes_and_a_sensible_date(placed, coach):
    worker, _trajectory, employer = placed
    contact = hire_record(hire=hire(worker, employer), by=coach).follow_ups.first()
    with pytest.raises(DomainError) as refused:
        follow_up_log(follow_up=contact, done_on=START, notes=" ", by=coach)
    assert (refused.value.code, refused.value.field) == ("required", "notes")
    with pytest.raises(DomainError) as refused:
        follow_up_log(follow_up=contact, done_on=START - datetime.timedelta(days=1), notes="x", by=coach)
    assert (refused.value.code, refused.value.field) == ("before_start", "done_on")
    with pytest.raises(DomainError) as refused:
        follow_up_log(
            follow_up=contact, done_on=datetime.date.today() + datetime.timedelta(days=1), notes="x", by=coach
        )
    assert (refused.value.code, refused.value.field) == ("future", "done_on")
    follow_up_log(follow_up=contact, done_on=START, notes="x", by=coach)
    with pytest.raises(DomainError) as refused:
        follow_up_log(follow_up=FollowUp.objects.get(pk=contact.pk), done_on=START, notes="y", by=coach)
    assert refused.value.code == "already_logged"


def test_internal_transition_is_its_own_outcome(placed, coach):
    _worker, trajectory, _employer = placed
    trajectory_transition(trajectory=trajectory, transition="close", outcome=Outcome.INTERN, by=coach)
    assert trajectory.outcome == Outcome.INTERN


def test_a_corrected_start_date_moves_the_open_follow_ups(placed, coach, settings):
    settings.NAZORG_FOLLOW_UP_OFFSETS = ["1w", "1m"]
    worker, _trajectory, employer = placed
    recorded = hire_record(hire=hire(worker, employer), by=coach)
    first = recorded.follow_ups.filter(due_on=datetime.date(2026, 2, 7)).first()
    follow_up_log(follow_up=first, done_on=datetime.date(2026, 2, 7), notes="Goed gestart", by=coach)

    recorded.start_date = datetime.date(2026, 2, 2)
    recorded.wage_subsidy = "Doelgroepvermindering"
    hire_save(hire=recorded, by=coach)

    dues = sorted((f.due_on, f.done_on is not None) for f in recorded.follow_ups.all())
    assert dues == [
        (datetime.date(2026, 2, 7), True),  # a logged contact keeps its date
        (datetime.date(2026, 2, 9), False),
        (datetime.date(2026, 3, 2), False),
        (datetime.date(2026, 3, 2), False),
    ]
    recorded.refresh_from_db()
    assert (recorded.wage_subsidy, recorded.version) == ("Doelgroepvermindering", 2)
