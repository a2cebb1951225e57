import factory
from factory.django import DjangoModelFactory

from tests.factories import WorkerFactory
from trajects.models import CoachingMoment, Intake, IntakeKind, JobDefinition, StarrNote, Trajectory
from trajects.state import Phase, Status, Trigger


class TrajectoryFactory(DjangoModelFactory):
    class Meta:
        model = Trajectory

    worker = factory.SubFactory(WorkerFactory)
    phase = Phase.VOORTRAJECT
    status = Status.OPEN
    trigger = Trigger.OWN_REQUEST


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
