"""Existing assessments are taken into closed rounds without losing anything.

The data migration's own function runs on assessments without a round, as every assessment
was before it: migrating the schema back and forth would cost the suite half a minute and
test Django's generated operations rather than ours."""

import datetime
import importlib

import pytest
from django.apps import apps

from bwise.accounts.models import Role
from competenties.models import AgreedLevel, Assessment, IndicatorScore, MeasurementRound
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import CompetencyFactory, FrameworkFactory, IndicatorFactory

DAY = datetime.date(2026, 3, 2)
EARLIER = datetime.date(2025, 9, 1)
migration = importlib.import_module("competenties.migrations.0004_assessments_into_closed_rounds")


@pytest.mark.django_db
def test_existing_assessments_become_closed_rounds_with_their_agreed_levels():
    coach = UserFactory(roles=[Role.COACH])
    supervisor = UserFactory(organisation=coach.organisation, roles=[Role.BEGELEIDER])
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    self_only = WorkerFactory(organisation=coach.organisation, coach=coach)
    framework = FrameworkFactory(organisation=coach.organisation)
    a = CompetencyFactory(framework=framework, name="Samenwerken")
    b = CompetencyFactory(framework=framework, name="Initiatief")
    a1, a2 = IndicatorFactory(competency=a), IndicatorFactory(competency=a)
    b1 = IndicatorFactory(competency=b)

    def assess(who, day, role, rater, levels):
        assessment = Assessment.objects.create(
            worker_id=who.pk,
            framework_id=framework.pk,
            date=day,
            rater_role=role,
            rater_id=rater.pk if rater else None,
            entered_by_id=coach.pk,
            method="interview",
            notes=f"{role} {day}",
        )
        for indicator, level in levels:
            IndicatorScore.objects.create(
                assessment=assessment,
                indicator_id=indicator.pk,
                competency_id=indicator.competency_id,
                competency_name=indicator.competency.name,
                indicator_text=indicator.description,
                level=level,
                evidence="gezien",
            )

    assess(worker, DAY, "coach", coach, [(a1, 2), (a2, 3), (b1, 4)])
    assess(worker, DAY, "werkvloerbegeleider", supervisor, [(a1, 3), (a2, 3)])
    assess(worker, DAY, "self", None, [(a1, 4), (a2, 4)])
    assess(worker, EARLIER, "coach", coach, [(a1, 1), (a2, None)])
    assess(self_only, DAY, "self", None, [(a1, 4)])
    before = sorted(
        IndicatorScore.objects.values_list(
            "assessment_id", "indicator_id", "level", "evidence", "competency_name"
        )
    )

    migration.forwards(apps, None)

    assert (
        sorted(
            IndicatorScore.objects.values_list(
                "assessment_id", "indicator_id", "level", "evidence", "competency_name"
            )
        )
        == before
    )
    assert not Assessment.objects.filter(round__isnull=True).exists()
    assert not Assessment.objects.filter(round_rater__isnull=True).exists()
    assert {
        (r.participants.get().worker_id, r.starts_on, r.status) for r in MeasurementRound.objects.all()
    } == {
        (worker.pk, DAY, "closed"),
        (worker.pk, EARLIER, "closed"),
        (self_only.pk, DAY, "closed"),
    }
    # Lower median of the professionals' levels (coach 2 from 2 and 3, supervisor 3): 2; the
    # worker's own 4 does not count, and a competency only the worker rated gets none.
    agreed = {
        (lvl.participant.worker_id, lvl.participant.round.starts_on, lvl.competency_id): lvl.level
        for lvl in AgreedLevel.objects.select_related("participant__round")
    }
    assert agreed == {(worker.pk, DAY, a.pk): 2, (worker.pk, DAY, b.pk): 4, (worker.pk, EARLIER, a.pk): 1}
    for assessment in Assessment.objects.select_related("round_rater"):
        assert (assessment.round_rater.role, assessment.round_rater.user_id) == (
            assessment.rater_role,
            assessment.rater_id,
        )
