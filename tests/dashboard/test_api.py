"""The dashboard's figures through the API, over what the caller may see."""

import pytest
from rest_framework.test import APIClient

from bwise.accounts.models import Role
from tests.factories import WorkerFactory
from tests.factories_trajects import TrajectoryFactory

pytestmark = pytest.mark.django_db


def test_the_figures_come_as_their_export_tables_for_the_period(directie, other_organisation, make_user):
    TrajectoryFactory(worker=WorkerFactory(organisation=directie.organisation))
    TrajectoryFactory(worker=WorkerFactory(organisation=other_organisation))
    api = APIClient()
    api.force_authenticate(directie)
    response = api.get("/api/v1/dashboard/", {"date_from": "2026-01-01", "date_to": "2026-12-31"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["date_from"], body["date_to"]) == ("2026-01-01", "2026-12-31")
    figures = {figure["key"]: figure for figure in body["figures"]}
    assert "movements" in figures
    assert all(len(row) == len(figure["headers"]) for figure in figures.values() for row in figure["rows"])
    refused = api.get("/api/v1/dashboard/", {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert refused.status_code == 400
    api.force_authenticate(make_user(Role.BEGELEIDER))
    assert api.get("/api/v1/dashboard/").status_code == 403
