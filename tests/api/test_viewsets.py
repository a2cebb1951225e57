"""Two API clients updating one record (``bwise.api.viewsets``): the record's version is its
``ETag``, a PUT or PATCH with a stale ``If-Match`` answers 412 and writes nothing."""

import pytest
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from bwise.api.exceptions import exception_handler
from bwise.core.versioning import stale_error
from tests.factories import WorkerFactory
from tests.factories_competenties import PlanActionFactory, PlanFactory
from tests.factories_partners import HireFactory, PartnerFactory, StageFactory, VacancyFactory
from tests.factories_trajects import IntakeFactory, TrajectoryFactory
from trajects.models import Worker

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def worker(coach):
    return WorkerFactory(organisation=coach.organisation, coach=coach, team="Hout")


def test_a_read_sends_the_version_as_etag(worker, coach):
    response = _client(coach).get(f"/api/v1/workers/{worker.pk}/")
    assert response["ETag"] == '"1"'
    assert "ETag" not in _client(coach).get("/api/v1/workers/"), "a list has no single version"


def test_two_clients_update_the_same_worker(worker, coach, hr):
    url = f"/api/v1/workers/{worker.pk}/"
    coach_api, hr_api = _client(coach), _client(hr)
    coach_tag, hr_tag = coach_api.get(url)["ETag"], hr_api.get(url)["ETag"]

    first = hr_api.patch(url, {"phone": "0499 12 34 56"}, format="json", HTTP_IF_MATCH=hr_tag)
    assert first.status_code == 200
    assert first["ETag"] == '"2"', "an update answers with the version it wrote"

    stale = coach_api.patch(url, {"team": "Metaal"}, format="json", HTTP_IF_MATCH=coach_tag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale"
    worker.refresh_from_db()
    assert (worker.phone, worker.team, worker.version) == ("0499 12 34 56", "Hout", 2)

    fresh = coach_api.get(url)["ETag"]
    assert coach_api.patch(url, {"team": "Metaal"}, format="json", HTTP_IF_MATCH=fresh).status_code == 200
    worker.refresh_from_db()
    assert (worker.phone, worker.team) == ("0499 12 34 56", "Metaal")


def test_if_match_accepts_a_list_a_weak_tag_and_a_star(worker, coach):
    url = f"/api/v1/workers/{worker.pk}/"
    api = _client(coach)
    assert api.patch(url, {"team": "A"}, format="json", HTTP_IF_MATCH='"7", "1"').status_code == 200
    assert api.patch(url, {"team": "B"}, format="json", HTTP_IF_MATCH='W/"2"').status_code == 200
    assert api.patch(url, {"team": "C"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert (
        api.put(url, {"first_name": "X", "last_name": "Y"}, format="json", HTTP_IF_MATCH='"1"').status_code
        == 412
    )


def test_without_if_match_an_update_goes_through_as_before(worker, coach):
    Worker.objects.filter(pk=worker.pk).update(version=5)
    response = _client(coach).patch(f"/api/v1/workers/{worker.pk}/", {"team": "Metaal"}, format="json")
    assert response.status_code == 200 and response["ETag"] == '"6"'


def test_an_outsider_gets_404_not_412(worker, make_user, other_organisation):
    outsider = make_user(Role.COACH, org=other_organisation)
    response = _client(outsider).patch(
        f"/api/v1/workers/{worker.pk}/", {"team": "X"}, format="json", HTTP_IF_MATCH='"99"'
    )
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["intake", "stage", "partner", "vacancy", "hire", "plan", "planaction"])
def test_every_updatable_record_refuses_a_stale_if_match(kind, worker, coach, hr):
    if kind == "intake":
        record = IntakeFactory(trajectory=TrajectoryFactory(worker=worker))
        url, change = f"/api/v1/intakes/{record.pk}/", {"milestones": "Heftruck"}
    elif kind == "stage":
        record = StageFactory(worker=worker)
        url, change = f"/api/v1/stages/{record.pk}/", {"goal": "Orderpicking"}
    elif kind == "partner":
        record = PartnerFactory(organisation=coach.organisation)
        url, change = f"/api/v1/partners/{record.pk}/", {"address": "Havenlaan 1"}
    elif kind == "vacancy":
        record = VacancyFactory(partner=PartnerFactory(organisation=coach.organisation))
        url, change = f"/api/v1/vacancies/{record.pk}/", {"title": "Magazijnier"}
    elif kind == "hire":
        record = HireFactory(worker=worker)
        url, change = f"/api/v1/hires/{record.pk}/", {"wage_subsidy": "Doelgroepvermindering"}
    elif kind == "plan":
        record = PlanFactory(worker=worker)
        url, change = f"/api/v1/plans/{record.pk}/", {"title": "Naar de haven"}
    else:
        record = PlanActionFactory(plan=PlanFactory(worker=worker))
        url, change = f"/api/v1/plan-actions/{record.pk}/", {"remarks": "Loopt"}
    first, second = _client(coach), _client(coach)
    tag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == tag == '"1"'
    assert first.patch(url, change, format="json", HTTP_IF_MATCH=tag).status_code == 200
    assert second.patch(url, change, format="json", HTTP_IF_MATCH=tag).status_code == 412
    record.refresh_from_db()
    assert record.version == 2


def test_a_save_that_lost_the_race_answers_412():
    """The If-Match check and the save are apart; the service's refusal under the row lock
    answers the same way."""
    response = exception_handler(stale_error(), {})
    assert response.status_code == 412 and response.data["code"] == "stale"


def test_the_schema_documents_if_match(coach):
    schema = _client(coach).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/workers/{worker_pk}/"]["patch"]
    assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]]


def test_a_stale_delete_of_a_plan_action_is_refused(worker, coach):
    action = PlanActionFactory(plan=PlanFactory(worker=worker))
    url = f"/api/v1/plan-actions/{action.pk}/"
    api = _client(coach)
    assert api.delete(url, HTTP_IF_MATCH='"7"').status_code == 412
    assert api.delete(url, HTTP_IF_MATCH='"1"').status_code == 204


def test_a_plan_update_keeps_worker_kind_and_year(worker, coach):
    plan = PlanFactory(worker=worker, year=2026)
    response = _client(coach).patch(
        f"/api/v1/plans/{plan.pk}/", {"title": "Naar de haven", "year": 2030, "kind": "pdp"}, format="json"
    )
    assert response.status_code == 200
    plan.refresh_from_db()
    assert (plan.title, plan.year, plan.kind) == ("Naar de haven", 2026, "pop")
