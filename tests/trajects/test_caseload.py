import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bwise.accounts.models import Role
from tests.factories import WorkerFactory
from tests.factories_trajects import CoachingMomentFactory, TrajectoryFactory, reach
from trajects.models import Trajectory, Worker
from trajects.state import PHASE_ORDER, Phase, Status

pytestmark = pytest.mark.django_db


def _fill(organisation, coach, count):
    workers = Worker.objects.bulk_create(
        [
            Worker(
                organisation=organisation,
                coach=coach,
                first_name=f"W{i}",
                last_name=f"L{i}",
                statuut="lde",
                statuut_start=datetime.date(2021, 1, 1),
                team="Groen",
            )
            for i in range(count)
        ]
    )
    trajectories = [Trajectory(worker=w, trigger="own_request") for w in workers]
    for i, trajectory in enumerate(trajectories):
        reach(trajectory, phase=PHASE_ORDER[i % 4])
    Trajectory.objects.bulk_create(trajectories)
    for worker in workers[:: max(1, count // 10)]:
        CoachingMomentFactory(worker=worker, next_steps_due=datetime.date(2020, 1, 1))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_caseload_query_count_does_not_grow_with_workers(client, coach, hr, organisation):
    _fill(organisation, coach, 10)
    client.force_login(hr)
    url = reverse("trajects:caseload") + "?page=1"
    small = _queries(client, url)
    _fill(organisation, coach, 190)
    client.force_login(coach)
    client.force_login(hr)
    large = _queries(client, url)
    assert Worker.objects.count() == 200
    assert small == large, (small, large)
    print("caseload queries:", small)


def test_caseload_shows_phase_days_next_due_and_lde_warning(client, coach):
    worker = WorkerFactory(
        organisation=coach.organisation,
        coach=coach,
        statuut="lde",
        statuut_start=timezone.localdate() - datetime.timedelta(days=365 * 5 - 30),
    )
    TrajectoryFactory(
        worker=worker, phase=Phase.STAGE, phase_since=timezone.now() - datetime.timedelta(days=12)
    )
    CoachingMomentFactory(
        worker=worker, next_steps="CV", next_steps_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(coach)
    page = client.get(reverse("trajects:caseload")).content.decode()
    assert "<td>stage</td>" in page
    assert ">12<" in page
    assert "(te laat)" in page
    assert "badge text-bg-warning" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"phase": "stage"}, {"Stage"}),
        ({"phase": "none"}, {"Zonder"}),
        ({"statuut": "maatwerk"}, {"Zonder"}),
        ({"team": "Keuken"}, {"Stage"}),
        ({"overdue": "true"}, {"Stage"}),
        ({"q": "zond"}, {"Zonder"}),
    ],
)
def test_caseload_filters(client, coach, params, expected):
    staged = WorkerFactory(
        organisation=coach.organisation, coach=coach, last_name="Stage", statuut="lde", team="Keuken"
    )
    TrajectoryFactory(worker=staged, phase=Phase.STAGE)
    TrajectoryFactory(worker=staged, phase=Phase.VOORTRAJECT, status=Status.CLOSED, outcome="stopgezet")
    CoachingMomentFactory(worker=staged, next_steps_due=datetime.date(2020, 5, 1))
    WorkerFactory(
        organisation=coach.organisation, coach=coach, last_name="Zonder", statuut="maatwerk", team="Groen"
    )
    client.force_login(coach)
    response = client.get(reverse("trajects:caseload"), params)
    names = {w.last_name for w in response.context["object_list"]}
    assert names == expected


def test_hr_and_directie_see_the_whole_organisation_and_begeleider_only_theirs(client, coach, make_user):
    WorkerFactory(organisation=coach.organisation, coach=coach)
    WorkerFactory(organisation=coach.organisation)
    for role, count in ((Role.HR, 2), (Role.DIRECTIE, 2), (Role.COACH, 0)):
        client.force_login(make_user(role))
        assert client.get(reverse("trajects:caseload")).context["paginator"].count == count
