"""One organisation's worth of records: every scoped model, hanging off one worker.

The access tests build a universe for the users' own organisation, one for the
same organisation but outside a coach's or supervisor's scope, and one for another
organisation, then fill every object id in every URL from them. When an app adds
a model that a URL names (``<model>_pk``), it adds a line to ``build_universe``;
the access test fails until it does.
"""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from bwise.accounts.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.factories_api import make_token
from tests.factories_documents import BulkDocumentJobFactory, DoneDocumentJobFactory, ReminderFactory
from tests.factories_trajects import (
    CoachingMomentFactory,
    ImportJobFactory,
    IntakeFactory,
    JobDefinitionFactory,
    StarrNoteFactory,
    TrajectoryFactory,
)
from trajects.models import IntakeAnswers, IntakeKind, KickOff, KickOffParticipant, StatuutPeriod


@dataclass
class Universe:
    organisation: object
    coach: object
    supervisor: object
    objects: dict[str, object] = field(default_factory=dict)

    def pk_for(self, model_name: str):
        return self.objects[model_name].pk


def build_universe(organisation, *, coach=None, supervisor=None) -> Universe:
    coach = coach or UserFactory(organisation=organisation, roles=[Role.COACH])
    supervisor = supervisor or UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    worker = WorkerFactory(organisation=organisation, coach=coach, supervisor=supervisor)
    universe = Universe(organisation=organisation, coach=coach, supervisor=supervisor)
    universe.objects["user"] = UserFactory(organisation=organisation, roles=[Role.COACH])
    universe.objects["worker"] = worker
    trajectory = TrajectoryFactory(worker=worker)
    universe.objects["trajectory"] = trajectory
    universe.objects["intake"] = IntakeFactory(trajectory=trajectory)
    universe.objects["intake"].questionnaire_scan.save("scan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    # The second intake holds other declared fields than the first: documents print both kinds.
    universe.objects["intake_second"] = IntakeFactory(trajectory=trajectory, kind=IntakeKind.SECOND)
    universe.objects["starrnote"] = StarrNoteFactory(intake=universe.objects["intake"])
    # Sent, so that the worker's page shows every answer and the coach's intake form too.
    universe.objects["intakeanswers"] = IntakeAnswers.objects.create(
        trajectory=trajectory, education="Lager onderwijs", sent_at=timezone.now()
    )
    universe.objects["jobdefinition"] = JobDefinitionFactory(trajectory=trajectory)
    universe.objects["coachingmoment"] = CoachingMomentFactory(worker=worker, trajectory=trajectory)
    universe.objects["importjob"] = ImportJobFactory(requested_by=coach)
    universe.objects["statuutperiod"] = StatuutPeriod.objects.create(worker=worker, statuut="lde")
    kick_off = KickOff.objects.create(organisation=organisation, notes="Aanpak en verwachtingen")
    KickOffParticipant.objects.create(kick_off=kick_off, worker=worker)
    universe.objects["kickoff"] = kick_off
    _add_competencies(universe, organisation, worker)
    _add_partners(universe, organisation, worker, trajectory)
    universe.objects["documentjob"] = DoneDocumentJobFactory(worker=worker)
    universe.objects["bulkdocumentjob"] = BulkDocumentJobFactory(worker=worker)
    universe.objects["reminder"] = ReminderFactory(recipient=coach, url=f"/workers/{worker.pk}/")
    _add_readiness(universe, organisation)
    universe.objects["personalaccesstoken"], _header = make_token(universe.objects["user"])
    return universe


def _add_competencies(universe, organisation, worker):
    from tests import factories_competenties as f

    framework = f.FrameworkFactory(organisation=organisation)
    indicator = f.IndicatorFactory(competency__framework=framework)
    assessment = f.AssessmentFactory(worker=worker, framework=framework)
    f.IndicatorScoreFactory(assessment=assessment, indicator=indicator)
    measurement_round = f.MeasurementRoundFactory(organisation=organisation, framework=framework)
    f.RoundParticipantFactory(round=measurement_round, worker=worker)
    self_rater = f.RoundRaterFactory(round=measurement_round, role="self")
    f.RoundRaterFactory(round=measurement_round, role="coach", user=universe.coach)
    observation = f.ObservationFactory(worker=worker, observer=universe.supervisor)
    f.ObservationClassificationFactory(observation=observation, competency=indicator.competency)
    plan = f.PlanFactory(worker=worker)
    achievement = f.AchievementFactory(worker=worker)
    achievement.photo.save("foto.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    achievement.competencies.add(indicator.competency)
    universe.objects.update(
        achievement=achievement,
        digitalskillevidence=f.DigitalSkillEvidenceFactory(worker=worker, indicator=indicator),
        framework=framework,
        competency=indicator.competency,
        indicator=indicator,
        jobprofile=f.JobProfileFactory(organisation=organisation, framework=framework),
        assessment=assessment,
        measurementround=measurement_round,
        roundrater=self_rater,
        calibrationcase=f.CalibrationCaseFactory(organisation=organisation, framework=framework),
        observation=observation,
        plan=plan,
        planaction=f.PlanActionFactory(plan=plan),
        passport=f.PassportFactory(worker=worker),
    )


def _add_readiness(universe, organisation):
    from tests import factories_readiness as f

    universe.objects["selfassessment"] = f.SelfAssessmentFactory(organisation=organisation)
    universe.objects["actionitem"] = f.ActionItemFactory(organisation=organisation)


def _add_partners(universe, organisation, worker, trajectory):
    from tests import factories_partners as f

    partner = f.PartnerFactory(organisation=organisation)
    vacancy = f.VacancyFactory(partner=partner, job_profile__framework=universe.objects["framework"])
    stage = f.StageFactory(worker=worker, trajectory=trajectory, partner=partner)
    hire = f.HireFactory(worker=worker, trajectory=trajectory, employer=partner, vacancy=vacancy)
    universe.objects.update(
        partner=partner,
        partnercontact=f.PartnerContactFactory(partner=partner),
        visit=f.VisitFactory(partner=partner),
        visitchecklist=f.VisitChecklistFactory(organisation=organisation),
        partnerevent=f.PartnerEventFactory(organisation=organisation, partner=partner),
        trainingsession=f.TrainingSessionFactory(organisation=organisation),
        vacancy=vacancy,
        application=f.ApplicationFactory(worker=worker, partner=partner, vacancy=vacancy),
        stage=stage,
        evaluation=f.EvaluationFactory(stage=stage),
        attendance=f.AttendanceFactory(stage=stage),
        trainingonthejob=f.TrainingOnTheJobFactory(stage=stage),
        hire=hire,
        followup=f.FollowUpFactory(hire=hire),
        jobsearchentry=f.JobSearchEntryFactory(worker=worker, vacancy=vacancy),
        curriculumvitae=f.CurriculumVitaeFactory(worker=worker),
        motivationletter=f.MotivationLetterFactory(worker=worker, vacancy=vacancy),
    )
