import threading

import pytest
from django.db import connection

from bwise.core.errors import DomainError
from tests.factories import WorkerFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.models import Trajectory, TrajectoryTransition
from trajects.services import trajectory_start, trajectory_transition
from trajects.state import Outcome, Phase, Status, Trigger


@pytest.mark.django_db
def test_start_records_the_trigger_and_logs_the_start(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    trajectory = trajectory_start(worker=worker, trigger=Trigger.OWN_REQUEST, by=coach)
    assert (trajectory.phase, trajectory.status, trajectory.trigger) == (
        Phase.VOORTRAJECT,
        Status.OPEN,
        Trigger.OWN_REQUEST,
    )
    logged = TrajectoryTransition.objects.get(trajectory=trajectory)
    assert (logged.name, logged.by, logged.to_phase) == ("start", coach, Phase.VOORTRAJECT)


@pytest.mark.django_db
def test_an_organisation_proposal_needs_its_reason(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    with pytest.raises(DomainError) as refused:
        trajectory_start(worker=worker, trigger=Trigger.ORGANISATION_PROPOSAL, by=coach, trigger_reason=" ")
    assert refused.value.field == "trigger_reason"
    trajectory = trajectory_start(
        worker=worker,
        trigger=Trigger.ORGANISATION_PROPOSAL,
        by=coach,
        trigger_reason="Niveau bereikt",
        pretext_ruled_out=True,
    )
    assert trajectory.trigger_reason == "Niveau bereikt"


@pytest.mark.django_db
def test_a_second_open_trajectory_is_refused_but_a_new_one_after_closing_is_fine(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach, statuut="lde")
    first = trajectory_start(worker=worker, trigger=Trigger.OWN_REQUEST, by=coach)
    with pytest.raises(DomainError) as refused:
        trajectory_start(worker=worker, trigger=Trigger.LDE_OBLIGATION, by=coach)
    assert refused.value.code == "already_open"
    trajectory_transition(trajectory=first, transition="close", by=coach, outcome=Outcome.INTERN)
    trajectory_start(worker=worker, trigger=Trigger.LDE_OBLIGATION, by=coach)
    assert Trajectory.objects.filter(worker=worker).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_starts_let_exactly_one_through(coach):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    barrier = threading.Barrier(2)
    results = []

    def start():
        try:
            barrier.wait(timeout=5)
            trajectory_start(worker=worker, trigger=Trigger.OWN_REQUEST, by=coach)
            results.append("started")
        except DomainError as err:
            results.append(str(err.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == ["Deze medewerker heeft al een open traject.", "started"]
    assert Trajectory.objects.filter(worker=worker).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_transitions_apply_once(coach):
    trajectory = TrajectoryFactory(worker=WorkerFactory(organisation=coach.organisation, coach=coach))
    barrier = threading.Barrier(2)
    results = []

    def pause():
        try:
            barrier.wait(timeout=5)
            trajectory_transition(
                trajectory=Trajectory.objects.get(pk=trajectory.pk), transition="pause", by=coach
            )
            results.append("paused")
        except DomainError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pause) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == ["paused", "refused"]
    assert TrajectoryTransition.objects.filter(trajectory=trajectory).count() == 1
