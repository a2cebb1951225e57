import datetime

import factory
from factory.django import DjangoModelFactory

from competenties.models import JobProfileKind
from partners.models import (
    Application,
    Attendance,
    Commitment,
    CurriculumVitae,
    Evaluation,
    FollowUp,
    Hire,
    JobSearchEntry,
    MentorLink,
    MotivationLetter,
    Partner,
    PartnerActivity,
    PartnerContact,
    PartnerEvent,
    Stage,
    TrainingOnTheJob,
    TrainingSession,
    Vacancy,
    Visit,
    VisitChecklist,
)
from tests.factories import OrganisationFactory, WorkerFactory
from tests.factories_competenties import JobProfileFactory
from tests.factories_trajects import TrajectoryFactory


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Bedrijf {n} NV")
    kind = "nec_company"
    region = "oost-vlaanderen"


class PartnerContactFactory(DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    partner = factory.SubFactory(PartnerFactory)
    signed_on = datetime.date(2026, 1, 15)
    agreed_roles = factory.LazyFunction(lambda: ["stages", "vacancies"])


class PartnerActivityFactory(DjangoModelFactory):
    class Meta:
        model = PartnerActivity

    partner = factory.SubFactory(PartnerFactory)
    kind = "call"
    summary = "Telefonisch contact"


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    partner = factory.SubFactory(PartnerFactory)
    planned_on = datetime.date(2026, 2, 1)


class PartnerEventFactory(DjangoModelFactory):
    class Meta:
        model = PartnerEvent

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "job_event"
    title = "Jobbeurs"
    held_on = datetime.date(2026, 3, 1)


class VacancyFactory(DjangoModelFactory):
    class Meta:
        model = Vacancy

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Vacature {n}")
    job_profile = factory.SubFactory(
        JobProfileFactory,
        organisation=factory.SelfAttribute("..partner.organisation"),
        kind=JobProfileKind.PARTNER_VACANCY,
    )


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    worker = factory.SubFactory(WorkerFactory)
    partner = factory.SubFactory(PartnerFactory, organisation=factory.SelfAttribute("..worker.organisation"))


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSession

    organisation = factory.SubFactory(OrganisationFactory)
    topic = "Sollicitatietraining"
    format = "group"
    provider = "internal"
    held_on = datetime.date(2026, 3, 2)


class StageFactory(DjangoModelFactory):
    """A valid BVS as stored; rule tests go through the service instead."""

    class Meta:
        model = Stage

    worker = factory.SubFactory(WorkerFactory)
    trajectory = factory.SubFactory(
        TrajectoryFactory, worker=factory.SelfAttribute("..worker"), phase="stage"
    )
    partner = factory.SubFactory(PartnerFactory, organisation=factory.SelfAttribute("..worker.organisation"))
    kind = "bvs"
    post = "magazijn"
    goal = "Kennismaken met magazijnwerk"
    mentor_name = "Peter Peeters"
    start_date = datetime.date(2026, 4, 6)
    end_date = datetime.date(2026, 4, 10)
    day_unit = "full"
    # Easter Monday (6 April 2026) is a public holiday: four working days.
    day_count = 4
    agreement_signed_on = datetime.date(2026, 4, 1)
    programme = "Dag 1: rondleiding"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    stage = factory.SubFactory(StageFactory)
    day = factory.SelfAttribute("stage.start_date")
    status = "present"


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    stage = factory.SubFactory(StageFactory)
    kind = "intermediate"
    method = "phone"
    held_on = factory.SelfAttribute("stage.start_date")


class VisitChecklistFactory(DjangoModelFactory):
    class Meta:
        model = VisitChecklist
        # One per organisation.
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)
    items = "Rondleiding vragen\nVacatures opvragen"


class TrainingOnTheJobFactory(DjangoModelFactory):
    class Meta:
        model = TrainingOnTheJob

    stage = factory.SubFactory(StageFactory)
    given_on = factory.SelfAttribute("stage.start_date")
    topic = "Heftruck veilig gebruiken"


class MentorLinkFactory(DjangoModelFactory):
    class Meta:
        model = MentorLink

    stage = factory.SubFactory(StageFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064d}")


class HireFactory(DjangoModelFactory):
    class Meta:
        model = Hire

    worker = factory.SubFactory(WorkerFactory)
    trajectory = factory.SubFactory(
        TrajectoryFactory, worker=factory.SelfAttribute("..worker"), phase="nazorg"
    )
    employer = factory.SubFactory(PartnerFactory, organisation=factory.SelfAttribute("..worker.organisation"))
    contract_type = "permanent"
    start_date = datetime.date(2026, 5, 1)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    hire = factory.SubFactory(HireFactory)
    with_whom = "worker"
    due_on = datetime.date(2026, 5, 8)


class JobSearchEntryFactory(DjangoModelFactory):
    class Meta:
        model = JobSearchEntry

    worker = factory.SubFactory(WorkerFactory)
    job_title = "Magazijnier"
    employer = "Logistiek Gent"
    source = "vdab"


class CurriculumVitaeFactory(DjangoModelFactory):
    class Meta:
        model = CurriculumVitae

    worker = factory.SubFactory(WorkerFactory)
    work_experience = "2022 – vandaag: productiemedewerker"


class MotivationLetterFactory(DjangoModelFactory):
    class Meta:
        model = MotivationLetter

    worker = factory.SubFactory(WorkerFactory)
    job_title = "Magazijnier"
    employer = "Logistiek Gent"
    why_this_job = "ik graag orde houd."
