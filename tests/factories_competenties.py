import datetime

import factory
from factory.django import DjangoModelFactory

from competenties.models import (
    Assessment,
    Competency,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    JobProfileRequirement,
    Observation,
    ObservationClassification,
    Plan,
    PlanAction,
    PlanKind,
)
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Kader {n}")


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Competentie {n}")
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    competency = factory.SubFactory(CompetencyFactory)
    description = factory.Sequence(lambda n: f"Gedrag {n}")
    level_1 = "onvoldoende"
    level_2 = "matig"
    level_3 = "goed"
    level_4 = "zeer goed"


class JobProfileFactory(DjangoModelFactory):
    class Meta:
        model = JobProfile

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.SubFactory(FrameworkFactory, organisation=factory.SelfAttribute("..organisation"))
    name = factory.Sequence(lambda n: f"Functie {n}")


class JobProfileRequirementFactory(DjangoModelFactory):
    class Meta:
        model = JobProfileRequirement

    job_profile = factory.SubFactory(JobProfileFactory)
    competency = factory.SubFactory(CompetencyFactory)
    minimum_level = 3


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    worker = factory.SubFactory(WorkerFactory)
    framework = factory.SubFactory(
        FrameworkFactory, organisation=factory.SelfAttribute("..worker.organisation")
    )
    date = factory.LazyFunction(lambda: datetime.date(2026, 3, 1))
    rater_role = "coach"
    method = "interview"


class IndicatorScoreFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorScore

    assessment = factory.SubFactory(AssessmentFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    competency = factory.SelfAttribute("indicator.competency")
    competency_name = factory.SelfAttribute("indicator.competency.name")
    indicator_text = factory.SelfAttribute("indicator.description")
    level = 3


class ObservationFactory(DjangoModelFactory):
    class Meta:
        model = Observation

    worker = factory.SubFactory(WorkerFactory)
    observer = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..worker.organisation"))
    observed_at = factory.LazyFunction(lambda: datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC))
    text = "Zet de paletten recht zonder dat het gevraagd wordt."


class ObservationClassificationFactory(DjangoModelFactory):
    class Meta:
        model = ObservationClassification

    observation = factory.SubFactory(ObservationFactory)
    competency = factory.SubFactory(CompetencyFactory)
    interpretation = "Toont initiatief."


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    worker = factory.SubFactory(WorkerFactory)
    kind = PlanKind.POP
    year = 2026


class PlanActionFactory(DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    action = "Heftruckattest behalen"
