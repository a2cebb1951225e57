"""Filters on related ids answer the same for another organisation's id as for a missing
one, and log both probes as refused (issue 11, finding 13: the id oracle)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from bwise.audit.models import AccessLog, AccessOutcome
from tests.factories import UserFactory, WorkerFactory
from tests.factories_trajects import TrajectoryFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321


def _refused(label):
    return list(
        AccessLog.objects.filter(outcome=AccessOutcome.REFUSED, record_model=label).values_list(
            "record_id", flat=True
        )
    )


def _same(answer_a, answer_b, id_a, id_b):
    return str(answer_a).replace(str(id_a), "<id>") == str(answer_b).replace(str(id_b), "<id>")


@pytest.mark.parametrize(
    ("url", "param", "factory"),
    [
        ("/api/v1/trajectories/", "worker", lambda org: WorkerFactory(organisation=org)),
        ("/api/v1/coaching-moments/", "trajectory", lambda org: TrajectoryFactory(worker__organisation=org)),
        ("/api/v1/observations/", "worker", lambda org: WorkerFactory(organisation=org)),
    ],
)
def test_api_filters_answer_alike_for_a_foreign_and_a_missing_id(
    coach, other_organisation, url, param, factory
):
    foreign = factory(other_organisation)
    api = APIClient()
    api.force_authenticate(coach)
    answers = {}
    for value in (foreign.pk, MISSING):
        response = api.get(url, {param: value})
        assert response.status_code == 400
        answers[value] = response.json()
    assert _same(answers[foreign.pk], answers[MISSING], foreign.pk, MISSING)
    assert sorted(_refused(foreign._meta.label)) == sorted([str(foreign.pk), str(MISSING)])


def test_api_filter_on_a_visible_id_still_filters(coach):
    mine = WorkerFactory(organisation=coach.organisation, coach=coach)
    TrajectoryFactory(worker=mine)
    TrajectoryFactory(worker=WorkerFactory(organisation=coach.organisation, coach=coach))
    api = APIClient()
    api.force_authenticate(coach)
    response = api.get("/api/v1/trajectories/", {"worker": mine.pk})
    assert response.status_code == 200
    assert [row["worker"] for row in response.json()["results"]] == [mine.pk]
    assert not AccessLog.objects.filter(outcome=AccessOutcome.REFUSED).exists()


@pytest.mark.parametrize(
    ("view", "user_fixture"), [("dashboard:dashboard", "directie"), ("trajects:caseload", "hr")]
)
def test_page_filters_answer_alike_for_a_foreign_and_a_missing_coach(
    client, request, other_organisation, view, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    foreign = UserFactory(organisation=other_organisation, roles=[Role.COACH])
    client.force_login(user)
    answers = {}
    for value in (foreign.pk, MISSING, "abc"):
        response = client.get(reverse(view), {"coach": value})
        assert response.status_code == 400
        answers[value] = response.context["errors"]
    assert _same(answers[foreign.pk], answers[MISSING], foreign.pk, MISSING)
    assert sorted(_refused("accounts.User")) == sorted([str(foreign.pk), str(MISSING), "abc"])
