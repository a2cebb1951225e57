"""The federation view: aggregates over organisations, no worker named, small counts hidden."""

import pytest
from django.urls import reverse

from bwise.accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory
from tests.factories_dashboard import trajectory_with_history
from trajects.models import Statuut
from trajects.state import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(organisation=None, is_superuser=True, is_staff=True, roles=[])


@pytest.fixture
def two_organisations():
    first, second = OrganisationFactory(), OrganisationFactory()
    names = []
    # 7 started this year over both organisations (shown), 2 moved on externally (hidden).
    for i in range(7):
        worker = WorkerFactory(
            organisation=first if i % 2 else second, statuut=Statuut.LDE, last_name=f"Uniek{i}"
        )
        names.append(worker.last_name)
        trajectory_with_history(worker, started="2026-02-01")
    for _ in range(2):
        trajectory_with_history(
            WorkerFactory(organisation=first, statuut=Statuut.MAATWERK),
            started="2025-01-01",
            steps=[
                ("to_jobmatching", "2025-02-01", None),
                ("to_stage", "2025-03-01", None),
                ("to_nazorg", "2025-04-01", None),
                ("close", "2026-03-01", Outcome.EXTERN),
            ],
        )
    return names


def test_small_counts_are_hidden_and_no_worker_is_named(client, staff, two_organisations):
    client.force_login(staff)
    response = client.get(
        reverse("dashboard:federation"), {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    movements = response.context["dashboard"].panels
    panel = html[html.index('data-figure="movements"') :]
    panel = panel[: panel.index("</section>")]
    assert "<td>7</td>" in panel
    assert "&lt;5" in panel and "<td>2</td>" not in panel
    for name in two_organisations:
        assert name not in html
    assert "dashboard/workers" not in html  # no link to any list
    assert "coaches" not in {figure.key for figure, _value in movements}
    # The external rate rests on a count of 2: not shown either.
    rates = html[html.index('data-figure="rates"') :]
    rates = rates[: rates.index("</section>")]
    assert "%" not in rates.split("2026")[1].split("</tr>")[0].split("</td>", 2)[2]


@pytest.mark.parametrize("role", [Role.DIRECTIE, Role.HR, Role.COACH])
def test_organisation_users_cannot_open_it(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("dashboard:federation")).status_code == 404


def test_platform_staff_get_no_worker_list(client, staff, two_organisations):
    client.force_login(staff)
    assert client.get(reverse("dashboard:workers"), {"list": "all"}).status_code == 403
    assert client.get(reverse("dashboard:dashboard")).status_code == 403


def test_platform_staff_find_the_federation_view_in_the_menu(client, staff, coach):
    client.force_login(staff)
    assert 'href="/dashboard/federation/"' in client.get("/dashboard/federation/").content.decode()
    client.force_login(coach)
    assert "/dashboard/federation/" not in client.get("/workers/").content.decode()
