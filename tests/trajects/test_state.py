"""Every (state, transition) pair of the trajectory state machine, against a hand-written table."""

import pytest
from django.utils import timezone

from bwise.core.errors import DomainError
from tests.factories_trajects import IntakeFactory, JobDefinitionFactory, TrajectoryFactory
from trajects import state
from trajects.models import IntakeKind, Trajectory, TrajectoryTransition
from trajects.services import trajectory_transition
from trajects.state import Outcome, Phase, Status

STEPS = [
    ("to_jobmatching", None),
    ("to_stage", None),
    ("to_nazorg", None),
    ("back_to_voortraject", None),
    ("back_to_jobmatching", None),
    ("back_to_stage", None),
    ("pause", None),
    ("resume", None),
    *[("close", outcome) for outcome in Outcome.values],
]
STATES = [(phase, status) for phase in Phase.values for status in Status.values]

INTERN, EXTERN, TERUG, STOP = (
    ("close", Outcome.INTERN),
    ("close", Outcome.EXTERN),
    ("close", Outcome.TERUG_NAAR_SEC),
    ("close", Outcome.STOPGEZET),
)
# The specification, written out by hand: (phase, status) -> {step: (phase, status) after it}.
ALLOWED = {
    ("voortraject", "open"): {
        ("to_jobmatching", None): ("jobmatching", "open"),
        ("pause", None): ("voortraject", "paused"),
        INTERN: ("voortraject", "closed"),
        STOP: ("voortraject", "closed"),
    },
    ("jobmatching", "open"): {
        ("to_stage", None): ("stage", "open"),
        ("back_to_voortraject", None): ("voortraject", "open"),
        ("pause", None): ("jobmatching", "paused"),
        INTERN: ("jobmatching", "closed"),
        STOP: ("jobmatching", "closed"),
    },
    ("stage", "open"): {
        ("to_nazorg", None): ("nazorg", "open"),
        ("back_to_jobmatching", None): ("jobmatching", "open"),
        ("pause", None): ("stage", "paused"),
        INTERN: ("stage", "closed"),
        TERUG: ("stage", "closed"),
        STOP: ("stage", "closed"),
    },
    ("nazorg", "open"): {
        ("back_to_stage", None): ("stage", "open"),
        ("pause", None): ("nazorg", "paused"),
        INTERN: ("nazorg", "closed"),
        EXTERN: ("nazorg", "closed"),
        TERUG: ("nazorg", "closed"),
        STOP: ("nazorg", "closed"),
    },
    ("voortraject", "paused"): {
        ("resume", None): ("voortraject", "open"),
        INTERN: ("voortraject", "closed"),
        STOP: ("voortraject", "closed"),
    },
    ("jobmatching", "paused"): {
        ("resume", None): ("jobmatching", "open"),
        INTERN: ("jobmatching", "closed"),
        STOP: ("jobmatching", "closed"),
    },
    ("stage", "paused"): {
        ("resume", None): ("stage", "open"),
        INTERN: ("stage", "closed"),
        TERUG: ("stage", "closed"),
        STOP: ("stage", "closed"),
    },
    ("nazorg", "paused"): {
        ("resume", None): ("nazorg", "open"),
        INTERN: ("nazorg", "closed"),
        EXTERN: ("nazorg", "closed"),
        TERUG: ("nazorg", "closed"),
        STOP: ("nazorg", "closed"),
    },
}
PAIRS = [(s, step) for s in STATES for step in STEPS]


def test_the_table_covers_every_pair():
    assert len(PAIRS) == 12 * 12
    assert sum(len(v) for v in ALLOWED.values()) == 36


@pytest.fixture
def hired(monkeypatch):
    """Stand in for the partners app, which will say whether a hire is recorded."""
    monkeypatch.setattr(state, "_hire_check", lambda trajectory: True)


def _trajectory_ready_for_every_guard(phase, status):
    trajectory = TrajectoryFactory(phase=phase, status=status)
    IntakeFactory(
        trajectory=trajectory, kind=IntakeKind.FIRST, commitment_statement="ok", completed_on="2026-01-05"
    )
    JobDefinitionFactory(trajectory=trajectory, job_target="Magazijnier")
    return trajectory


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "step"), PAIRS, ids=[f"{p}-{s}-{t}-{o}" for (p, s), (t, o) in PAIRS])
def test_state_transition_pair(start, step, coach, hired):
    trajectory = _trajectory_ready_for_every_guard(*start)
    name, outcome = step
    expected = ALLOWED.get(start, {}).get(step)
    if expected is None:
        with pytest.raises(DomainError) as refused:
            trajectory_transition(
                trajectory=trajectory, transition=name, by=coach, reason="een reden", outcome=outcome
            )
        assert str(refused.value.message).strip()
        trajectory.refresh_from_db()
        assert (trajectory.phase, trajectory.status) == start
        assert not TrajectoryTransition.objects.filter(trajectory=trajectory).exists()
        return
    trajectory_transition(
        trajectory=trajectory, transition=name, by=coach, reason="een reden", outcome=outcome
    )
    trajectory.refresh_from_db()
    assert (trajectory.phase, trajectory.status) == expected
    assert trajectory.outcome == (outcome or "")
    logged = TrajectoryTransition.objects.get(trajectory=trajectory)
    assert (logged.name, logged.by, logged.reason) == (name, coach, "een reden")
    assert (logged.from_phase, logged.from_status) == start
    assert (logged.to_phase, logged.to_status) == expected
    if expected[1] == "closed":
        assert trajectory.closed_at is not None
        assert trajectory.closed_reason == "een reden"


@pytest.mark.django_db
def test_stepping_back_needs_a_reason(coach):
    trajectory = TrajectoryFactory(phase=Phase.JOBMATCHING)
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="back_to_voortraject", by=coach, reason="  ")
    assert (refused.value.code, refused.value.field) == ("required", "reason")
    assert not TrajectoryTransition.objects.exists()


@pytest.mark.django_db
def test_stopping_needs_a_reason_but_moving_on_internally_does_not(coach):
    trajectory = TrajectoryFactory(phase=Phase.VOORTRAJECT)
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="close", by=coach, outcome=Outcome.STOPGEZET)
    assert (refused.value.code, refused.value.field) == ("required", "reason")
    trajectory_transition(trajectory=trajectory, transition="close", by=coach, outcome=Outcome.INTERN)
    trajectory.refresh_from_db()
    assert trajectory.status == Status.CLOSED


@pytest.mark.django_db
def test_jobmatching_needs_a_completed_first_intake_and_a_job_target(coach):
    trajectory = TrajectoryFactory()
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="to_jobmatching", by=coach)
    assert refused.value.code == "first_intake_missing"
    intake = IntakeFactory(trajectory=trajectory, kind=IntakeKind.FIRST)
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="to_jobmatching", by=coach)
    assert refused.value.code == "first_intake_missing"
    intake.completed_on = "2026-02-01"
    intake.save()
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="to_jobmatching", by=coach)
    assert refused.value.code == "job_target_missing"
    JobDefinitionFactory(trajectory=trajectory, job_target="Kok")
    trajectory_transition(trajectory=trajectory, transition="to_jobmatching", by=coach)
    assert trajectory.phase == Phase.JOBMATCHING


@pytest.mark.django_db
def test_nazorg_is_refused_until_a_hire_is_recorded(coach, monkeypatch):
    trajectory = TrajectoryFactory(phase=Phase.STAGE)
    monkeypatch.setattr(state, "_hire_check", None)
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="to_nazorg", by=coach)
    assert refused.value.code == "hire_missing"
    state.register_hire_check(lambda t: t.pk == trajectory.pk)
    trajectory_transition(trajectory=trajectory, transition="to_nazorg", by=coach)
    assert trajectory.phase == Phase.NAZORG


@pytest.mark.django_db
def test_registered_guards_can_refuse(coach, monkeypatch):
    monkeypatch.setattr(state, "_GUARDS", {})

    def not_during_an_enclave(trajectory):
        raise DomainError("Not during an enclave.", code="enclave")

    state.register_guard("pause", not_during_an_enclave)
    trajectory = TrajectoryFactory()
    with pytest.raises(DomainError) as refused:
        trajectory_transition(trajectory=trajectory, transition="pause", by=coach)
    assert refused.value.code == "enclave"


@pytest.mark.django_db
def test_unknown_transition_is_refused(coach):
    with pytest.raises(DomainError):
        trajectory_transition(trajectory=TrajectoryFactory(), transition="teleport", by=coach)


@pytest.mark.django_db
def test_phase_since_moves_only_when_the_phase_changes(coach):
    trajectory = TrajectoryFactory(phase=Phase.JOBMATCHING)
    since = trajectory.phase_since
    trajectory_transition(trajectory=trajectory, transition="pause", by=coach)
    assert trajectory.phase_since == since
    trajectory_transition(trajectory=trajectory, transition="resume", by=coach)
    trajectory_transition(
        trajectory=trajectory, transition="back_to_voortraject", by=coach, reason="CV eerst"
    )
    assert trajectory.phase_since > since


@pytest.mark.django_db
def test_available_transitions_offer_what_the_table_allows():
    names = {t.name for t in state.available_transitions(Phase.STAGE, Status.OPEN)}
    assert names == {"to_nazorg", "back_to_jobmatching", "pause", "close"}
    assert state.available_transitions(Phase.STAGE, Status.CLOSED) == []


@pytest.mark.django_db
def test_apply_refuses_what_the_table_does_not_allow_whoever_calls_it():
    trajectory = TrajectoryFactory(phase=Phase.STAGE, status=Status.CLOSED, outcome=Outcome.TERUG_NAAR_SEC)
    with pytest.raises(DomainError) as refused:
        state.apply(trajectory, state.TRANSITIONS["resume"], at=timezone.now())
    assert refused.value.code == "transition_not_allowed"
    with pytest.raises(DomainError) as refused:
        state.apply(trajectory, state.START, at=timezone.now())
    assert refused.value.code == "already_started"
    assert (trajectory.phase, trajectory.status) == (Phase.STAGE, Status.CLOSED)


def test_a_start_is_a_step_of_the_table_with_its_own_label():
    trajectory = Trajectory(trigger="own_request")
    moment = timezone.now()
    row = state.apply(trajectory, state.START, at=moment, reason="Eigen vraag")
    assert (trajectory.phase, trajectory.status, trajectory.phase_since) == (
        Phase.VOORTRAJECT,
        Status.OPEN,
        moment,
    )
    assert row == {
        "name": "start",
        "at": moment,
        "from_phase": "",
        "to_phase": Phase.VOORTRAJECT,
        "from_status": "",
        "to_status": Status.OPEN,
        "outcome": "",
        "reason": "Eigen vraag",
    }
    assert state.named("start") is state.START


def test_the_hire_path_starts_where_the_trajectory_is():
    assert [t.name for t in state.path_from(Phase.JOBMATCHING, state.HIRE_PATH)] == ["to_stage", "to_nazorg"]
    assert [t.name for t in state.path_from(Phase.STAGE, state.HIRE_PATH)] == ["to_nazorg"]
    assert state.path_from(Phase.VOORTRAJECT, state.HIRE_PATH) == []
    assert state.path_from(Phase.NAZORG, state.HIRE_PATH) == []
