import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bwise.accounts.models import Role
from competenties import services
from competenties.models import Assessment, Observation, Plan, PlanStatus
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import (
    AssessmentFactory,
    IndicatorScoreFactory,
    JobProfileFactory,
    JobProfileRequirementFactory,
    PlanActionFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(coach):
    return services.framework_copy_template(template_key="bw-melba", by=coach)


@pytest.fixture
def worker(organisation, coach, begeleider):
    return WorkerFactory(organisation=organisation, coach=coach, supervisor=begeleider)


def _post_assessment(client, worker, framework, role, level):
    data = {"date": datetime.date.today().isoformat(), "rater_role": role, "method": "interview", "notes": ""}
    for competency in framework.competencies.prefetch_related("indicators"):
        for indicator in competency.indicators.all():
            data[f"level_{indicator.pk}"] = str(level)
    url = reverse(
        "competenties:assessment_create", kwargs={"worker_pk": worker.pk, "framework_pk": framework.pk}
    )
    return client.post(url, data)


def test_coach_enters_an_assessment_through_the_form(client, coach, worker, framework):
    client.force_login(coach)
    response = _post_assessment(client, worker, framework, "coach", 3)
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert assessment.scores.count() == sum(c.indicators.count() for c in framework.competencies.all())
    page = client.get(reverse("competenties:assessment_detail", kwargs={"assessment_pk": assessment.pk}))
    assert "Stiptheid" in page.content.decode()


def test_assessment_form_shows_a_refusal_instead_of_failing(client, coach, worker, framework):
    client.force_login(coach)
    response = _post_assessment(client, worker, framework, "coach", "")
    assert response.status_code == 200
    assert "minstens één gedrag" in response.content.decode()
    assert not Assessment.objects.exists()


def test_supervisor_assesses_own_worker_but_not_others(client, begeleider, worker, framework, organisation):
    other = WorkerFactory(organisation=organisation)
    client.force_login(begeleider)
    assert _post_assessment(client, worker, framework, "werkvloerbegeleider", 2).status_code == 302
    assert _post_assessment(client, other, framework, "werkvloerbegeleider", 2).status_code == 404
    assert client.get(reverse("competenties:worker", kwargs={"worker_pk": other.pk})).status_code == 404
    assert Assessment.objects.filter(worker=other).count() == 0


def test_supervisor_cannot_edit_frameworks(client, begeleider, framework):
    client.force_login(begeleider)
    competency = framework.competencies.first()
    url = reverse("competenties:competency_edit", kwargs={"competency_pk": competency.pk})
    assert client.post(url, {"name": "x", "category": "core", "order": 0}).status_code == 403
    assert (
        client.get(
            reverse("competenties:framework_detail", kwargs={"framework_pk": framework.pk})
        ).status_code
        == 200
    )


def test_nobody_reaches_another_organisations_framework_or_assessment(client, coach, hr, other_organisation):
    foreign_coach = UserFactory(organisation=other_organisation, roles=[Role.COACH])
    foreign_framework = services.framework_copy_template(
        template_key="digital-skills", name="Kader van elders", by=foreign_coach
    )
    foreign_assessment = AssessmentFactory(
        worker=WorkerFactory(organisation=other_organisation), framework=foreign_framework
    )
    for user in (coach, hr):
        client.force_login(user)
        url = reverse("competenties:framework_detail", kwargs={"framework_pk": foreign_framework.pk})
        assert client.get(url).status_code == 404
        url = reverse("competenties:assessment_detail", kwargs={"assessment_pk": foreign_assessment.pk})
        assert client.get(url).status_code == 404
        assert (
            foreign_framework.name not in client.get(reverse("competenties:framework_list")).content.decode()
        )


def test_comparison_highlights_a_disagreement(client, coach, worker, framework, begeleider):
    client.force_login(coach)
    _post_assessment(client, worker, framework, "self", 4)
    _post_assessment(client, worker, framework, "coach", 2)
    page = client.get(reverse("competenties:worker", kwargs={"worker_pk": worker.pk}))
    assert page.content.decode().count('class="table-warning disagreement"') == framework.competencies.count()


def test_supervisor_notes_an_observation_and_coach_classifies_it(
    client, begeleider, coach, worker, framework
):
    client.force_login(begeleider)
    url = reverse("competenties:observations", kwargs={"worker_pk": worker.pk})
    assert client.post(url, {"text": "Kwam om 8u05 binnen, zei 'de bus was te laat'."}).status_code == 302
    observation = Observation.objects.get()
    assert observation.observer == begeleider

    client.force_login(coach)
    stiptheid = framework.competencies.get(name="Stiptheid")
    url = reverse("competenties:observation_classify", kwargs={"observation_pk": observation.pk})
    response = client.post(
        url, {"competency": stiptheid.pk, "valence": "negative", "interpretation": "Te laat."}
    )
    assert response.status_code == 302
    page = client.get(reverse("competenties:observations", kwargs={"worker_pk": worker.pk})).content.decode()
    assert page.index('class="observation') < page.index('class="interpretation')
    assert "Stiptheid" in page


def test_plan_from_gap_and_agreement_through_the_pages(client, coach, worker, framework, organisation):
    client.force_login(coach)
    _post_assessment(client, worker, framework, "coach", 2)
    profile = JobProfileFactory(organisation=organisation, framework=framework)
    for competency in framework.competencies.all()[:3]:
        JobProfileRequirementFactory(job_profile=profile, competency=competency, minimum_level=3)
    gap_page = client.get(
        reverse("competenties:gap", kwargs={"worker_pk": worker.pk}), {"job_profile": profile.pk}
    )
    assert "<svg" in gap_page.content.decode()
    url = reverse("competenties:plan_from_gap", kwargs={"worker_pk": worker.pk, "jobprofile_pk": profile.pk})
    response = client.post(url, {"kind": "pop", "year": datetime.date.today().year})
    plan = Plan.objects.get()
    assert response.url == reverse("competenties:plan_detail", kwargs={"plan_pk": plan.pk})
    assert plan.actions.count() == 3
    today = datetime.date.today().isoformat()
    status_url = reverse("competenties:plan_status", kwargs={"plan_pk": plan.pk})
    agree = {"to_status": "agreed", "agreed_by_worker_on": today, "agreed_by_coach_on": today}
    # The gap suggests what to grow in; who helps and by when are for the coach and worker to fill in.
    refused = client.post(status_url, agree, follow=True).content.decode()
    first = plan.actions.first()
    # The message names the action (its words, whatever the language of the page).
    assert f"(“{first.action[:60]}”)" in refused
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    plan.actions.update(who_helps="Coach", due_date=datetime.date.today())
    client.post(status_url, agree)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED


def test_pops_due_page_lists_the_whole_organisation_for_hr(client, hr, organisation, coach):
    workers = [WorkerFactory(organisation=organisation, coach=coach) for _ in range(3)]
    client.force_login(hr)
    page = client.get(reverse("competenties:pops_due")).content.decode()
    assert all(w.last_name in page for w in workers)


def _add_assessments(worker, framework, count):
    indicators = [
        i for c in framework.competencies.prefetch_related("indicators") for i in c.indicators.all()
    ]
    for n in range(count):
        assessment = AssessmentFactory(
            worker=worker, framework=framework, rater_role=["self", "coach"][n % 2]
        )
        for indicator in indicators[:6]:
            IndicatorScoreFactory(assessment=assessment, indicator=indicator, level=1 + n % 4)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_worker_competency_page_runs_constant_queries(client, coach, worker, framework):
    client.force_login(coach)
    url = reverse("competenties:worker", kwargs={"worker_pk": worker.pk})
    _add_assessments(worker, framework, 2)
    PlanFactory(worker=worker)
    few = _queries(client, url)
    _add_assessments(worker, framework, 8)
    PlanFactory(worker=worker, year=2025)
    assert _queries(client, url) == few


def test_plan_page_runs_constant_queries(client, coach, worker, framework):
    client.force_login(coach)
    plan = PlanFactory(worker=worker)
    PlanActionFactory(plan=plan)
    url = reverse("competenties:plan_detail", kwargs={"plan_pk": plan.pk})
    few = _queries(client, url)
    for _ in range(6):
        PlanActionFactory(plan=plan)
    _add_assessments(worker, framework, 4)
    assert _queries(client, url) == few


def test_quick_observation_on_the_shop_floor(client, begeleider, worker, organisation):
    other = WorkerFactory(organisation=organisation)
    client.force_login(begeleider)
    url = reverse("competenties:observation_quick")
    page = client.get(url).content.decode()
    assert worker.first_name in page
    assert other.last_name not in page
    assert client.post(url, {"worker": other.pk, "text": "Iets"}).status_code == 200  # not a choice: refused
    assert (
        client.post(
            url, {"worker": worker.pk, "text": "Zette zijn helm op voor hij de hal binnenging."}
        ).status_code
        == 302
    )
    assert Observation.objects.get().worker == worker


def test_directie_reads_but_cannot_add_observations(client, directie, worker):
    client.force_login(directie)
    url = reverse("competenties:observations", kwargs={"worker_pk": worker.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "x"}).status_code == 403
    assert client.get(reverse("competenties:observation_quick")).status_code == 403


def test_assessment_form_shows_classified_observations_per_competency(client, coach, worker, framework):
    from django.utils import timezone

    from tests.factories_competenties import ObservationClassificationFactory, ObservationFactory

    stiptheid = framework.competencies.get(name="Stiptheid")
    for valence in ("positive", "negative", "negative"):
        ObservationClassificationFactory(
            observation=ObservationFactory(worker=worker, observed_at=timezone.now()),
            competency=stiptheid,
            valence=valence,
        )
    client.force_login(coach)
    url = reverse(
        "competenties:assessment_create", kwargs={"worker_pk": worker.pk, "framework_pk": framework.pk}
    )
    page = client.get(url, {"method": "observation"}).content.decode()
    assert page.count("observation-count") == 1
    assert "1 keer getoond, 2 keer tekortgeschoten" in page
