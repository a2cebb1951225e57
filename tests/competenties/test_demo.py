import pytest

from bwise.accounts.demo import seed_demo, seed_scale
from bwise.accounts.models import Role, User
from competenties.models import (
    Assessment,
    Framework,
    MeasurementRound,
    Observation,
    Plan,
    PlanKind,
    PlanStatus,
)
from competenties.selectors import agreement_over_time, competency_overview

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
    self_assessments = Assessment.objects.filter(rater_role="self").select_related("worker", "framework")[:4]
    assert any(
        row.disagreement for a in self_assessments for row in competency_overview(a.worker, a.framework).rows
    )
    # Every worker with a coach has a closed and an open round; the director sees the agreement.
    assert set(MeasurementRound.objects.values_list("status", flat=True)) == {"open", "closed"}
    directie = User.objects.filter(roles__contains=[Role.DIRECTIE]).first()
    [sam] = [entry for entry in agreement_over_time(directie) if entry.framework.template_key == "sw-lde-sam"]
    assert sam.overall.pairs > 0 and sam.overall.kappa is not None
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


def test_demo_pages_render_for_the_coach(client):
    from django.urls import reverse

    ctx = seed_demo()
    coach = ctx.users["coach"]
    client.force_login(coach)
    plan = Plan.objects.filter(worker__coach=coach, source_job_profile__isnull=True).first()
    worker = plan.worker
    urls = [
        reverse("competenties:worker", kwargs={"worker_pk": worker.pk}),
        reverse("competenties:gap", kwargs={"worker_pk": worker.pk}),
        reverse("competenties:observations", kwargs={"worker_pk": worker.pk}),
        reverse("competenties:plan_detail", kwargs={"plan_pk": plan.pk}),
        reverse("competenties:pops_due"),
        reverse("competenties:framework_list"),
        reverse("competenties:jobprofile_list"),
        reverse("competenties:observation_quick"),
        reverse("competenties:round_list"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "progress-chart" in client.get(urls[0]).content.decode()
