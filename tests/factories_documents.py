import datetime

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from bwise.documents.models import BulkDocumentJob, BulkFormat, DocumentJob, JobStatus
from bwise.reminders.models import Reminder
from tests.factories import UserFactory, WorkerFactory


class DocumentJobFactory(DjangoModelFactory):
    class Meta:
        model = DocumentJob

    class Params:
        worker = factory.SubFactory(WorkerFactory)

    organisation = factory.SelfAttribute("worker.organisation")
    requested_by = factory.SelfAttribute("worker.coach")
    kind = "worker_sheet"
    record_model = "trajects.Worker"
    record_id = factory.SelfAttribute("worker.pk")
    language = "en"


class DoneDocumentJobFactory(DocumentJobFactory):
    status = JobStatus.DONE
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="document.pdf"))


class BulkDocumentJobFactory(DjangoModelFactory):
    class Meta:
        model = BulkDocumentJob

    class Params:
        worker = factory.SubFactory(WorkerFactory)

    organisation = factory.SelfAttribute("worker.organisation")
    requested_by = factory.SelfAttribute("worker.coach")
    kind = "worker_sheet"
    record_model = "trajects.Worker"
    record_ids = factory.LazyAttribute(lambda job: [job.worker.pk])
    output_format = BulkFormat.PDF
    language = "en"
    status = JobStatus.DONE
    done_count = 1
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="document.pdf"))


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = Reminder

    recipient = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("recipient.organisation")
    key = factory.Sequence(lambda n: f"test:reminder:{n}")
    kind = "test"
    title = factory.Sequence(lambda n: f"Something due {n}")
    due_date = factory.Faker("date_this_month")
    url = "/workers/"


def rich_history(worker, *, actions: int = 8, moments: int = 6):
    """A worker with everything a dossier holds: a trajectory with transitions, both
    intakes with STARR notes, a job definition, coaching moments, two assessments (self
    and coach) on a framework, a job profile, and a POP started from its gap."""
    from competenties.models import PlanStatus
    from tests.factories_competenties import (
        AssessmentFactory,
        CompetencyFactory,
        FrameworkFactory,
        IndicatorFactory,
        IndicatorScoreFactory,
        JobProfileFactory,
        JobProfileRequirementFactory,
        PlanActionFactory,
        PlanFactory,
    )
    from tests.factories_trajects import (
        CoachingMomentFactory,
        IntakeFactory,
        JobDefinitionFactory,
        StarrNoteFactory,
    )
    from trajects import state
    from trajects.models import IntakeKind, Trajectory, TrajectoryTransition
    from trajects.state import Trigger

    coach = worker.coach
    trajectory = Trajectory(worker=worker, trigger=Trigger.OWN_REQUEST)
    started = state.apply(trajectory, state.START, at=trajectory.started_at, reason="Own wish")
    trajectory.save()
    TrajectoryTransition.objects.create(trajectory=trajectory, by=coach, **started)
    first = IntakeFactory(
        trajectory=trajectory,
        kind=IntakeKind.FIRST,
        motivation="Wants to work in a warehouse",
        commitment_statement="We meet every two weeks and keep each other informed.",
        milestones="Forklift certificate by June",
        agreed_by_worker_on=datetime.date(2026, 2, 3),
        agreed_by_coach_on=datetime.date(2026, 2, 3),
    )
    second = IntakeFactory(
        trajectory=trajectory,
        kind=IntakeKind.SECOND,
        second_coach=coach,
        education_and_work_history="Secondary school, three years in logistics",
    )
    StarrNoteFactory(intake=first, situation="Late for the first meeting", reflection="Plans the bus better")
    StarrNoteFactory(intake=second, situation="Led the stock count", result="Count was correct")
    JobDefinitionFactory(trajectory=trajectory, job_target="Warehouse clerk")
    for n in range(moments):
        CoachingMomentFactory(worker=worker, trajectory=trajectory, notes=f"Coaching conversation {n}")
    framework = FrameworkFactory(organisation=worker.organisation, name="SW/LDE attitudes")
    competencies = [
        CompetencyFactory(framework=framework, name=name) for name in ("Teamwork", "Accuracy", "Initiative")
    ]
    profile = JobProfileFactory(organisation=worker.organisation, framework=framework, name="Warehouse clerk")
    assessments = {
        role: AssessmentFactory(worker=worker, framework=framework, rater_role=role, rater=coach)
        for role in ("self", "coach")
    }
    for competency in competencies:
        JobProfileRequirementFactory(job_profile=profile, competency=competency, minimum_level=3)
        indicator = IndicatorFactory(competency=competency)
        for role, level in (("self", 4), ("coach", 2)):
            IndicatorScoreFactory(assessment=assessments[role], indicator=indicator, level=level)
    plan = PlanFactory(
        worker=worker,
        year=2026,
        title="Towards the warehouse",
        source_job_profile=profile,
        status=PlanStatus.AGREED,
        agreed_on=datetime.date(2026, 2, 10),
    )
    for n in range(actions):
        PlanActionFactory(plan=plan, order=n, action=f"Action number {n}", who_helps="Coach")
    return trajectory, plan
