"""The rounds through the API: open, rate, side by side, agree, close, agreement."""

import datetime

import pytest
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competenties import CompetencyFactory, FrameworkFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


def test_a_round_from_opening_to_closing(organisation, coach, other_organisation):
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    worker = WorkerFactory(organisation=organisation, coach=coach, supervisor=supervisor)
    framework = FrameworkFactory(organisation=organisation)
    competency = CompetencyFactory(framework=framework)
    indicator = IndicatorFactory(competency=competency)
    api = APIClient()
    api.force_authenticate(coach)
    opened = api.post(
        "/api/v1/rounds/",
        {
            "framework": framework.pk,
            "workers": [worker.pk],
            "starts_on": TODAY,
            "ends_on": TODAY,
            "raters": [
                {"role": "coach", "user": coach.pk},
                {"role": "werkvloerbegeleider", "user": supervisor.pk},
            ],
        },
        format="json",
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert (body["workers"], body["warnings"], body["status"]) == ([worker.pk], [], "open")
    url = f"/api/v1/rounds/{body['id']}/"
    coach_rater, supervisor_rater = (r["id"] for r in body["raters"])

    def rate(client, rater, level):
        return client.post(
            f"{url}ratings/",
            {
                "worker": worker.pk,
                "rater": rater,
                "date": TODAY,
                "scores": [{"indicator": indicator.pk, "level": level}],
            },
            format="json",
        )

    assert rate(api, coach_rater, 4).status_code == 201
    assert rate(api, supervisor_rater, 2).status_code == 400  # not the coach's to enter
    other = APIClient()
    other.force_authenticate(supervisor)
    hidden = other.get(f"{url}sheet/{worker.pk}/").json()
    assert hidden["visible"] is False and hidden["rows"][0]["levels"] == [None, None]
    assert other.get(f"{url}agreement/").status_code == 404
    assert rate(other, supervisor_rater, 2).status_code == 201
    sheet = other.get(f"{url}sheet/{worker.pk}/").json()
    assert sheet["rows"][0] | {"competency_name": None} == {
        "competency": competency.pk,
        "competency_name": None,
        "levels": [4, 2],
        "disagreement": True,
        "provisional": 2,
        "agreed": None,
        "justification": "",
    }
    assert api.post(f"{url}close/").status_code == 400
    refused = api.post(
        f"{url}consensus/",
        {"worker": worker.pk, "levels": [{"competency": competency.pk, "level": 3}]},
        format="json",
    )
    assert refused.status_code == 400
    agreed = api.post(
        f"{url}consensus/",
        {
            "worker": worker.pk,
            "levels": [{"competency": competency.pk, "level": 3, "justification": "Besproken."}],
        },
        format="json",
    )
    assert agreed.json() == {"saved": 1}
    assert api.get(f"{url}agreement/").json()["all_pairs"]["exact"] == 0.0
    closed = api.post(f"{url}close/")
    assert closed.json()["status"] == "closed"
    foreign = APIClient()
    foreign.force_authenticate(UserFactory(organisation=other_organisation, roles=[Role.COACH]))
    assert foreign.get(url).status_code == 404


def test_a_calibration_exercise_from_creating_to_the_agreement(
    organisation, coach, directie, other_organisation
):
    supervisor = UserFactory(organisation=organisation, roles=[Role.BEGELEIDER])
    framework = FrameworkFactory(organisation=organisation)
    indicators = [IndicatorFactory(competency=CompetencyFactory(framework=framework)).pk for _n in range(2)]
    clients = {}
    for name, user in (("coach", coach), ("supervisor", supervisor), ("directie", directie)):
        clients[name] = APIClient()
        clients[name].force_authenticate(user)
    assert clients["supervisor"].post("/api/v1/calibration-cases/", {}, format="json").status_code == 403
    created = clients["coach"].post(
        "/api/v1/calibration-cases/",
        {"framework": framework.pk, "title": "Ochtendploeg", "description": "Video: stapelt dozen."},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/calibration-cases/{created.json()['id']}/"

    def rate(name, levels):
        pairs = zip(indicators, levels, strict=True)
        body = {"levels": [{"indicator": pk, "level": level} for pk, level in pairs]}
        return clients[name].post(f"{url}ratings/", body, format="json")

    assert rate("coach", [2, 3]).json() == {"rated": 2}
    hidden = clients["supervisor"].get(f"{url}result/").json()
    assert (hidden["visible"], hidden["rows"], hidden["all_pairs"]) == (False, [], None)
    assert rate("supervisor", [2, None]).status_code == 201
    assert rate("supervisor", [1, 1]).json()["code"] == "already_submitted"
    result = clients["supervisor"].get(f"{url}result/").json()
    assert (result["visible"], result["rated"], result["raters"]) == (True, True, [coach.pk, supervisor.pk])
    assert [row["levels"] for row in result["rows"]] == [[2, 2], [3, None]]
    assert result["all_pairs"] == {"pairs": 1, "exact": 1.0, "within_one": 1.0, "weighted_kappa": None}
    assert clients["directie"].get(url).json()["rater_count"] == 2
    foreign = APIClient()
    foreign.force_authenticate(UserFactory(organisation=other_organisation, roles=[Role.COACH]))
    assert foreign.get(f"{url}result/").status_code == 404
