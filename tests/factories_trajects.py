import factory
from factory.django import DjangoModelFactory

from tests.factories import WorkerFactory
from trajects import state
from trajects.models import (
    CoachingMoment,
    ImportJob,
    Intake,
    IntakeKind,
    JobDefinition,
    StarrNote,
    Trajectory,
)
from trajects.state import PHASE_ORDER, TRANSITIONS, Phase, Status, Trigger


def reach(
    trajectory: Trajectory, *, phase, status=Status.OPEN, outcome="", phase_since=None, closed_at=None
) -> list[dict]:
    """Take a new, unsaved ``trajectory`` through the state machine's own ``apply`` to
    ``phase`` and ``status``: the start, the advances one by one, then a pause or the
    close, so a state the table cannot reach fails here. ``phase_since``, when given, is
    when the last step into ``phase`` was taken. Returns the history rows, for the tests
    that store them; the caller saves."""
    entered = phase_since or trajectory.started_at
    advances = PHASE_ORDER[1 : PHASE_ORDER.index(phase) + 1]
    rows = [state.apply(trajectory, state.START, at=trajectory.started_at if advances else entered)]
    rows += [state.apply(trajectory, TRANSITIONS[f"to_{target.value}"], at=entered) for target in advances]
    if status == Status.PAUSED:
        rows.append(state.apply(trajectory, TRANSITIONS["pause"], at=entered))
    elif status == Status.CLOSED:
        rows.append(state.apply(trajectory, TRANSITIONS["close"], at=closed_at or entered, outcome=outcome))
    return rows


REACH_ARGUMENTS = ("phase", "status", "outcome", "phase_since", "closed_at")


class TrajectoryFactory(DjangoModelFactory):
    """A trajectory in ``phase`` and ``status``, reached with :func:`reach`. No history rows
    are written: tests that read the history build it with
    ``factories_dashboard.trajectory_with_history`` or the services."""

    class Meta:
        model = Trajectory

    worker = factory.SubFactory(WorkerFactory)
    phase = Phase.VOORTRAJECT
    status = Status.OPEN
    trigger = Trigger.OWN_REQUEST

    @classmethod
    def _create(cls, model_class, *args, **kw):
        target = {key: kw.pop(key) for key in REACH_ARGUMENTS if key in kw}
        trajectory = model_class(*args, **kw)
        reach(trajectory, **target)
        trajectory.save()
        return trajectory


class IntakeFactory(DjangoModelFactory):
    class Meta:
        model = Intake

    trajectory = factory.SubFactory(TrajectoryFactory)
    kind = IntakeKind.FIRST
    motivation = factory.Faker("sentence")


class StarrNoteFactory(DjangoModelFactory):
    class Meta:
        model = StarrNote

    intake = factory.SubFactory(IntakeFactory)
    situation = factory.Faker("sentence")
    task = factory.Faker("sentence")


class JobDefinitionFactory(DjangoModelFactory):
    class Meta:
        model = JobDefinition

    trajectory = factory.SubFactory(TrajectoryFactory)
    job_target = "Magazijnmedewerker"


class CoachingMomentFactory(DjangoModelFactory):
    class Meta:
        model = CoachingMoment

    worker = factory.SubFactory(WorkerFactory)
    notes = factory.Faker("sentence")


class ImportJobFactory(DjangoModelFactory):
    class Meta:
        model = ImportJob

    organisation = factory.SelfAttribute("requested_by.organisation")
    upload = factory.Sequence(lambda n: f"test-import-{n}.json")
    total = 400
