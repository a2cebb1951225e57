import datetime

import pytest
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from competenties import services
from competenties.models import Assessment, Framework, Observation
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import JobProfileFactory, JobProfileRequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def framework(coach):
    return services.framework_copy_template(template_key="digital-skills", by=coach)


def _post_assessment(api, worker, framework, scores):
    return api.post(
        "/api/v1/assessments/",
        {
            "worker": worker.pk,
            "framework": framework.pk,
            "date": datetime.date.today().isoformat(),
            "rater_role": "coach",
            "method": "interview",
            "scores": scores,
        },
        format="json",
    )


def test_frameworks_list_only_the_own_organisation(api, coach, framework, other_organisation):
    foreign = UserFactory(organisation=other_organisation, roles=[Role.COACH])
    services.framework_copy_template(template_key="bw-melba", by=foreign)
    api.force_authenticate(coach)
    body = api.get("/api/v1/frameworks/").json()
    assert [f["id"] for f in body["results"]] == [framework.pk]
    assert len(body["results"][0]["competencies"]) == 6


def test_assessment_created_through_the_api_and_gap_computed(api, coach, organisation, framework):
    worker = WorkerFactory(organisation=organisation, coach=coach)
    competency = framework.competencies.first()
    indicators = list(competency.indicators.all())
    api.force_authenticate(coach)
    response = _post_assessment(
        api,
        worker,
        framework,
        [{"indicator": indicators[0].pk, "level": 1}, {"indicator": indicators[1].pk, "level": 2}],
    )
    assert response.status_code == 201, response.content
    assert Assessment.objects.get().scores.count() == 2
    profile = JobProfileFactory(organisation=organisation, framework=framework)
    JobProfileRequirementFactory(job_profile=profile, competency=competency, minimum_level=3)
    gap = api.get(f"/api/v1/job-profiles/{profile.pk}/gap/{worker.pk}/").json()
    assert gap["ready"] is False
    assert gap["rows"][0]["current"] == 1  # the lower median of 1 and 2
    assert (gap["rows"][0]["shortfall"], gap["rows"][0]["provisional"]) == (2, True)
    # A single rating outside a round rests on no round: no observers or days count yet.
    assert (gap["missing"], gap["observers"], gap["days"]) == (["cutoffs", "observers", "days"], 0, 0)


def test_api_refuses_foreign_workers_and_rule_breaks(api, coach, organisation, framework, other_organisation):
    foreign_worker = WorkerFactory(organisation=other_organisation)
    api.force_authenticate(coach)
    response = api.post("/api/v1/observations/", {"worker": foreign_worker.pk, "text": "x"}, format="json")
    assert response.status_code == 400
    assert not Observation.objects.exists()
    worker = WorkerFactory(organisation=organisation, coach=coach)
    plan = api.post(
        "/api/v1/plans/", {"worker": worker.pk, "kind": "pop", "year": 2026}, format="json"
    ).json()
    refused = api.post(f"/api/v1/plans/{plan['id']}/status/", {"to_status": "evaluated"}, format="json")
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["field"]) == ("transition_not_allowed", "to_status")


def test_supervisor_adds_observations_but_cannot_create_plans(api, begeleider, organisation):
    worker = WorkerFactory(organisation=organisation, supervisor=begeleider)
    api.force_authenticate(begeleider)
    created = api.post("/api/v1/observations/", {"worker": worker.pk, "text": "Ruimt zijn werkpost op."})
    assert created.status_code == 201
    assert api.post("/api/v1/plans/", {"worker": worker.pk, "kind": "pdp"}).status_code == 403


def test_scores_for_another_organisations_indicator_are_unknown(api, coach, organisation, other_organisation):
    own = services.framework_copy_template(template_key="digital-skills", by=coach)
    foreign = services.framework_copy_template(
        template_key="digital-skills", by=UserFactory(organisation=other_organisation, roles=[Role.COACH])
    )
    foreign_indicator = foreign.competencies.first().indicators.first()
    worker = WorkerFactory(organisation=organisation, coach=coach)
    api.force_authenticate(coach)
    response = _post_assessment(api, worker, own, [{"indicator": foreign_indicator.pk, "level": 3}])
    assert response.status_code == 400
    assert response.json()["field"] == "scores.0.indicator"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("score", [{"indicator": None, "level": 3}, {"level": 3}])
def test_a_score_without_an_indicator_is_refused(api, coach, organisation, framework, score):
    worker = WorkerFactory(organisation=organisation, coach=coach)
    api.force_authenticate(coach)
    response = _post_assessment(api, worker, framework, [score])
    assert response.status_code == 400
    assert response.json()["field"] == "scores.0.indicator"
    assert not Assessment.objects.exists()


def test_frameworks_are_made_from_a_template_or_empty_and_renamed(api, coach):
    api.force_authenticate(coach)
    copied = api.post("/api/v1/frameworks/", {"template_key": "digital-skills", "name": "Digitaal"})
    assert copied.status_code == 201, copied.json()
    assert copied.json()["name"] == "Digitaal" and copied.json()["competencies"]
    empty = api.post("/api/v1/frameworks/", {"name": "Eigen kader", "description": "Ons kader"})
    assert empty.status_code == 201 and empty.json()["competencies"] == []
    duplicate = api.post("/api/v1/frameworks/", {"name": "Digitaal"})
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "duplicate")
    renamed = api.patch(f"/api/v1/frameworks/{empty.json()['id']}/", {"name": "Kader 2027"})
    assert renamed.json()["name"] == "Kader 2027"


def test_a_job_profile_is_written_with_its_requirements(api, coach, framework, make_user):
    api.force_authenticate(coach)
    first, second = framework.competencies.all()[:2]
    created = api.post(
        "/api/v1/job-profiles/",
        {
            "name": "Magazijnier",
            "framework": framework.pk,
            "requirements": [
                {"competency": first.pk, "minimum_level": 3},
                {"competency": second.pk, "minimum_level": 2},
            ],
        },
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    levels = {row["competency"]: row["minimum_level"] for row in created.json()["requirements"]}
    assert levels == {first.pk: 3, second.pk: 2}
    replaced = api.patch(
        f"/api/v1/job-profiles/{pk}/", {"requirements": [{"competency": first.pk, "minimum_level": 4}]}
    )
    assert [(r["competency"], r["minimum_level"]) for r in replaced.json()["requirements"]] == [(first.pk, 4)]
    renamed = api.patch(f"/api/v1/job-profiles/{pk}/", {"name": "Orderpicker"})
    assert len(renamed.json()["requirements"]) == 1, "a write without requirements keeps them"
    api.force_authenticate(make_user(Role.BEGELEIDER))
    assert api.patch(f"/api/v1/job-profiles/{pk}/", {"name": "X"}).status_code == 403


def test_a_framework_written_through_the_api_gets_competencies_and_indicators(api, coach):
    api.force_authenticate(coach)
    framework = api.post("/api/v1/frameworks/", {"name": "Eigen kader"}).json()
    first = api.post("/api/v1/competencies/", {"framework": framework["id"], "name": "Samenwerken"})
    second = api.post("/api/v1/competencies/", {"framework": framework["id"], "name": "Stiptheid"})
    assert (first.status_code, second.status_code) == (201, 201), first.json()
    assert (first.json()["order"], second.json()["order"]) == (0, 1), "a new competency comes last"
    indicator = api.post(
        "/api/v1/indicators/",
        {"competency": first.json()["id"], "description": "Helpt collega's", "level_4": "Spontaan"},
    )
    assert indicator.status_code == 201, indicator.json()
    shown = api.get(f"/api/v1/frameworks/{framework['id']}/").json()
    assert [c["name"] for c in shown["competencies"]] == ["Samenwerken", "Stiptheid"]
    assert [i["description"] for i in shown["competencies"][0]["indicators"]] == ["Helpt collega's"]

    url = f"/api/v1/indicators/{indicator.json()['id']}/"
    changed = api.patch(url, {"level_1": "Werkt alleen"}, HTTP_IF_MATCH=api.get(url)["ETag"])
    assert (changed.status_code, changed.json()["level_1"]) == (200, "Werkt alleen")
    assert api.delete(f"/api/v1/competencies/{second.json()['id']}/").status_code == 204
    assert [c["name"] for c in api.get(f"/api/v1/frameworks/{framework['id']}/").json()["competencies"]] == [
        "Samenwerken"
    ]


def test_competencies_and_indicators_refuse_a_stale_edit_and_keep_their_framework(api, coach, framework):
    competency = framework.competencies.first()
    url = f"/api/v1/competencies/{competency.pk}/"
    api.force_authenticate(coach)
    tag = api.get(url)["ETag"]
    assert api.patch(url, {"name": "Nieuw"}, HTTP_IF_MATCH=tag).status_code == 200
    stale = api.patch(url, {"name": "Ander"}, HTTP_IF_MATCH=tag)
    assert (stale.status_code, stale.json()["code"]) == (412, "stale")
    other = services.framework_save(framework=Framework(name="Ander kader"), by=coach)
    moved = api.patch(url, {"framework": other.pk})
    competency.refresh_from_db()
    assert (competency.name, competency.framework_id) == ("Nieuw", framework.pk), moved.json()

    indicator = competency.indicators.first()
    indicator_url = f"/api/v1/indicators/{indicator.pk}/"
    tag = api.get(indicator_url)["ETag"]
    assert api.patch(indicator_url, {"order": 5}, HTTP_IF_MATCH=tag).status_code == 200
    assert api.delete(indicator_url, HTTP_IF_MATCH=tag).status_code == 412
    assert api.get(indicator_url).status_code == 200


def test_only_a_framework_manager_of_the_organisation_edits_competencies(
    api, coach, framework, make_user, other_organisation
):
    competency = framework.competencies.first()
    api.force_authenticate(make_user(Role.BEGELEIDER))
    assert api.patch(f"/api/v1/competencies/{competency.pk}/", {"name": "X"}).status_code == 403
    new_indicator = {"competency": competency.pk, "description": "X"}
    assert api.post("/api/v1/indicators/", new_indicator).status_code == 403
    api.force_authenticate(UserFactory(organisation=other_organisation, roles=[Role.COACH]))
    assert api.get(f"/api/v1/competencies/{competency.pk}/").status_code == 404
    assert api.delete(f"/api/v1/indicators/{competency.indicators.first().pk}/").status_code == 404
    refused = api.post("/api/v1/competencies/", {"framework": framework.pk, "name": "Binnendringen"})
    assert (refused.status_code, refused.json()["field"]) == (400, "framework")
    assert competency.name != "X" and framework.competencies.count() == 6
