import pytest

from bwise.core.demo import seed_demo, seed_scale
from competenties.models import Assessment, Framework, Observation, Plan, PlanKind, PlanStatus
from competenties.selectors import competency_overview

pytestmark = pytest.mark.django_db


def test_demo_has_every_plan_status_disagreements_and_is_idempotent():
    seed_demo()
    counts = (
        Framework.objects.count(),
        Assessment.objects.count(),
        Observation.objects.count(),
        Plan.objects.count(),
    )
    assert counts[0] == 6  # three templates in each of the two organisations
    for kind in PlanKind.values:
        assert set(Plan.objects.filter(kind=kind).values_list("status", flat=True)) == set(PlanStatus.values)
    worker = Assessment.objects.filter(rater_role="self").first().worker
    overview = competency_overview(worker, Assessment.objects.filter(worker=worker).first().framework)
    assert any(row.disagreement for row in overview.rows)
    seed_demo()
    assert counts == (
        Framework.objects.count(),
        Assessment.objects.count(),
        Observation.objects.count(),
        Plan.objects.count(),
    )


def test_seed_scale_adds_two_assessments_per_worker():
    organisation = seed_scale(workers=30, organisation_name="Schaal vzw")
    assert Assessment.objects.filter(worker__organisation=organisation).count() == 60
    seed_scale(workers=30, organisation_name="Schaal vzw")
    assert Assessment.objects.filter(worker__organisation=organisation).count() == 60
