"""Pages ask the trajectory whether it is paused instead of comparing status strings."""

import pytest
from django.urls import reverse

from tests.factories import WorkerFactory
from tests.factories_trajects import TrajectoryFactory
from trajects.state import Status

pytestmark = pytest.mark.django_db

PAUSED_BADGE = '<span class="badge text-bg-warning">gepauzeerd</span>'


@pytest.mark.parametrize(("status", "badge"), [(Status.PAUSED, "warning"), (Status.OPEN, "success")])
def test_worker_page_colours_the_status_of_the_trajectory(client, coach, status, badge):
    worker = WorkerFactory(organisation=coach.organisation, coach=coach)
    TrajectoryFactory(worker=worker, status=status)
    client.force_login(coach)
    page = client.get(reverse("trajects:worker_detail", kwargs={"worker_pk": worker.pk})).content.decode()
    assert f'class="badge text-bg-{badge}" data-testid="status"' in page


def test_caseload_marks_only_paused_trajectories(client, coach):
    paused = WorkerFactory(organisation=coach.organisation, coach=coach, last_name="Gepauzeerd")
    TrajectoryFactory(worker=paused, status=Status.PAUSED)
    client.force_login(coach)
    page = client.get(reverse("trajects:caseload")).content.decode()
    assert page.count(PAUSED_BADGE) == 1
    TrajectoryFactory(worker=WorkerFactory(organisation=coach.organisation, coach=coach))
    page = client.get(reverse("trajects:caseload")).content.decode()
    assert page.count(PAUSED_BADGE) == 1
