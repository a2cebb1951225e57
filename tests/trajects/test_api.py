import pytest
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog
from tests.factories import WorkerFactory
from tests.factories_trajects import IntakeFactory, TrajectoryFactory
from trajects.models import CoachingMoment, StarrNote, Trajectory, Worker
from trajects.state import Phase, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach, health_notes="Astma")


def test_sensitive_fields_only_in_a_single_worker_for_coach_and_hr(api, worker, coach, hr, directie):
    api.force_authenticate(coach)
    assert "health_notes" not in api.get("/api/v1/workers/").json()["results"][0]
    assert api.get(f"/api/v1/workers/{worker.pk}/").json()["health_notes"] == "Astma"
    api.force_authenticate(hr)
    assert api.get(f"/api/v1/workers/{worker.pk}/").json()["health_notes"] == "Astma"
    assert AccessLog.objects.filter(worker_id=worker.pk).count() == 2
    api.force_authenticate(directie)
    body = api.get(f"/api/v1/workers/{worker.pk}/").json()
    assert "health_notes" not in body and "icf_indication" not in body
    assert AccessLog.objects.filter(worker_id=worker.pk).count() == 2


def test_coach_creates_and_updates_a_worker(api, coach):
    api.force_authenticate(coach)
    response = api.post(
        "/api/v1/workers/",
        {
            "first_name": "Nina",
            "last_name": "Aerts",
            "statuut": "lde",
            "statuut_start": "2022-01-10",
            "coach": coach.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["lde_limit_date"] == "2027-01-10"
    worker = Worker.objects.get(last_name="Aerts")
    assert worker.organisation == coach.organisation
    response = api.patch(
        f"/api/v1/workers/{worker.pk}/", {"team": "Atelier", "health_notes": "x"}, format="json"
    )
    assert response.status_code == 200
    worker.refresh_from_db()
    assert (worker.team, worker.health_notes) == ("Atelier", "x")


def test_duplicate_external_id_is_a_400(api, coach, worker):
    worker.external_id = "E1"
    worker.save()
    api.force_authenticate(coach)
    response = api.post(
        "/api/v1/workers/", {"first_name": "A", "last_name": "B", "external_id": "E1"}, format="json"
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("duplicate", "external_id")


def test_trajectory_start_transition_and_refusal(api, coach, worker):
    api.force_authenticate(coach)
    response = api.post(
        "/api/v1/trajectories/", {"worker": worker.pk, "trigger": "own_request"}, format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["allowed_transitions"] == ["to_jobmatching", "pause", "close"]
    again = api.post("/api/v1/trajectories/", {"worker": worker.pk, "trigger": "own_request"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_open"

    refused = api.post(
        f"/api/v1/trajectories/{pk}/transition/", {"transition": "to_jobmatching"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "first_intake_missing"
    paused = api.post(f"/api/v1/trajectories/{pk}/transition/", {"transition": "pause"}, format="json")
    assert paused.status_code == 200 and paused.json()["status"] == Status.PAUSED
    history = api.get(f"/api/v1/trajectories/{pk}/transitions/").json()["results"]
    assert [h["name"] for h in history] == ["pause", "start"]


def test_proposal_without_reason_is_a_400(api, coach, worker):
    api.force_authenticate(coach)
    response = api.post(
        "/api/v1/trajectories/", {"worker": worker.pk, "trigger": "organisation_proposal"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "trigger_reason"


def test_voortraject_records_through_the_api(api, coach, worker):
    trajectory = TrajectoryFactory(worker=worker)
    api.force_authenticate(coach)
    intake = api.post(
        "/api/v1/intakes/", {"trajectory": trajectory.pk, "kind": "first", "motivation": "Ja"}, format="json"
    )
    assert intake.status_code == 201, intake.json()
    second = api.post("/api/v1/intakes/", {"trajectory": trajectory.pk, "kind": "first"}, format="json")
    assert second.status_code == 400
    note = api.post(
        "/api/v1/starr-notes/", {"intake": intake.json()["id"], "situation": "Op de werkvloer"}, format="json"
    )
    assert note.status_code == 201
    moment = api.post(
        "/api/v1/coaching-moments/",
        {"worker": worker.pk, "kind": "informal", "notes": "Kort gesprek"},
        format="json",
    )
    assert moment.status_code == 201
    assert CoachingMoment.objects.get().trajectory == trajectory
    assert StarrNote.objects.count() == 1


def test_records_of_others_cannot_be_referenced_or_read(api, coach, make_user, other_organisation):
    stranger_worker = WorkerFactory(organisation=other_organisation)
    colleague_worker = WorkerFactory(organisation=coach.organisation, coach=make_user(Role.COACH))
    intake = IntakeFactory(trajectory=TrajectoryFactory(worker=colleague_worker))
    api.force_authenticate(coach)
    for target in (stranger_worker, colleague_worker):
        response = api.post(
            "/api/v1/trajectories/", {"worker": target.pk, "trigger": "own_request"}, format="json"
        )
        assert response.status_code == 400
        assert api.get(f"/api/v1/workers/{target.pk}/").status_code == 404
    assert (
        api.post("/api/v1/starr-notes/", {"intake": intake.pk, "situation": "x"}, format="json").status_code
        == 400
    )
    assert api.get(f"/api/v1/intakes/{intake.pk}/").status_code == 404
    assert Trajectory.objects.filter(worker=stranger_worker).count() == 0


@pytest.mark.parametrize("role", [Role.DIRECTIE, Role.BEGELEIDER])
def test_read_only_roles_cannot_write(api, make_user, worker, role):
    user = make_user(role)
    if role == Role.BEGELEIDER:
        worker.supervisor = user
        worker.save()
    trajectory = TrajectoryFactory(worker=worker, phase=Phase.JOBMATCHING)
    api.force_authenticate(user)
    assert api.get(f"/api/v1/trajectories/{trajectory.pk}/").status_code == 200
    response = api.post(
        f"/api/v1/trajectories/{trajectory.pk}/transition/", {"transition": "pause"}, format="json"
    )
    assert response.status_code == 403


def test_the_job_definition_is_written_once_per_trajectory_and_updated_after(api, coach, worker):
    trajectory = TrajectoryFactory(worker=worker)
    api.force_authenticate(coach)
    created = api.post("/api/v1/job-definitions/", {"trajectory": trajectory.pk, "job_target": "Magazijnier"})
    assert created.status_code == 201
    again = api.post(
        "/api/v1/job-definitions/", {"trajectory": trajectory.pk, "dreams_and_interests": "Heftruck"}
    )
    assert again.json()["id"] == created.json()["id"]
    changed = api.patch(f"/api/v1/job-definitions/{created.json()['id']}/", {"job_target": "Orderpicker"})
    assert changed.status_code == 200
    assert (changed.json()["job_target"], changed.json()["dreams_and_interests"]) == (
        "Orderpicker",
        "Heftruck",
    )
    listed = api.get(f"/api/v1/job-definitions/?trajectory={trajectory.pk}").json()["results"]
    assert [row["job_target"] for row in listed] == ["Orderpicker"]
