import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from competenties import plan_state
from competenties.models import (
    Achievement,
    Assessment,
    CalibrationCase,
    Competency,
    DigitalSkillEvidence,
    Framework,
    Indicator,
    IndicatorScore,
    JobProfile,
    JobProfileRequirement,
    MeasurementRound,
    Observation,
    ObservationClassification,
    Passport,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatus,
    RoundParticipant,
    RoundRater,
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


class MeasurementRoundFactory(DjangoModelFactory):
    class Meta:
        model = MeasurementRound

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.SubFactory(FrameworkFactory, organisation=factory.SelfAttribute("..organisation"))
    title = factory.Sequence(lambda n: f"Meetronde {n}")
    starts_on = factory.LazyFunction(lambda: datetime.date(2026, 3, 1))
    ends_on = factory.LazyFunction(lambda: datetime.date(2026, 3, 15))


class RoundParticipantFactory(DjangoModelFactory):
    class Meta:
        model = RoundParticipant

    round = factory.SubFactory(MeasurementRoundFactory)
    worker = factory.SubFactory(WorkerFactory, organisation=factory.SelfAttribute("..round.organisation"))


class RoundRaterFactory(DjangoModelFactory):
    class Meta:
        model = RoundRater

    round = factory.SubFactory(MeasurementRoundFactory)
    role = "coach"


class CalibrationCaseFactory(DjangoModelFactory):
    class Meta:
        model = CalibrationCase

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.SubFactory(FrameworkFactory, organisation=factory.SelfAttribute("..organisation"))
    title = factory.Sequence(lambda n: f"Oefening {n}")
    description = "Video van een ochtendploeg: de medewerker stapelt dozen en vraagt twee keer om uitleg."


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
    """A plan in ``status``, reached from a draft through ``plan_state.apply`` (agreed on
    ``agreed_on``, today if not given), so a status the table cannot reach fails here.
    No status-change rows are written."""

    class Meta:
        model = Plan

    worker = factory.SubFactory(WorkerFactory)
    kind = PlanKind.POP
    year = 2026
    status = PlanStatus.DRAFT

    @classmethod
    def _create(cls, model_class, *args, status, **kw):
        plan = model_class(*args, **kw)
        agreed = kw.get("agreed_on") or timezone.localdate()
        while plan.status != status:
            step = next(
                t
                for t in plan_state.TRANSITIONS.values()
                if t.applies_to(plan.status) and not t.clears_agreement
            )
            plan_state.apply(
                plan,
                step,
                agreed_by_worker_on=kw.get("agreed_by_worker_on", agreed),
                agreed_by_coach_on=kw.get("agreed_by_coach_on", agreed),
                evaluation=kw.get("evaluation", ""),
            )
        plan.save()
        return plan


class PlanActionFactory(DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    action = "Heftruckattest behalen"
    # SMART, as an agreed POP's actions must be.
    who_helps = "Coach"
    due_date = factory.LazyAttribute(lambda o: datetime.date(o.plan.year or 2026, 12, 31))
    expected_result = "Attest behaald"


class PassportFactory(DjangoModelFactory):
    """A passport row with an unusable token hash; ``services_passport.passport_create``
    makes one with a working link."""

    class Meta:
        model = Passport

    worker = factory.SubFactory(WorkerFactory)
    recipient = "Colruyt – magazijnier"
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class AchievementFactory(DjangoModelFactory):
    class Meta:
        model = Achievement

    worker = factory.SubFactory(WorkerFactory)
    text = "Alleen de nieuwe machine ingesteld voor de vroege ploeg."
    achieved_on = datetime.date(2026, 3, 2)


class DigitalSkillEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = DigitalSkillEvidence

    worker = factory.SubFactory(WorkerFactory)
    action = "sign_in_alone"
    competency_name = "Toestellen bedienen"
    indicator_text = "Meldt zich aan op een toestel"
