"""The federation view: aggregates over organisations, no worker named, small counts hidden."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from hypothesis import given
from hypothesis import strategies as st

from bwise.accounts.models import Role
from bwise.dashboard.figures import CrossTable
from bwise.dashboard.suppression import Hidden, suppress_cross_table
from tests.factories import OrganisationFactory, PlatformStaffFactory, WorkerFactory
from tests.factories_dashboard import trajectory_with_history
from trajects.models import Statuut
from trajects.state import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return PlatformStaffFactory()


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


YEAR_2026 = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def _not_shown(value) -> bool:
    """Hidden by suppression, or a small count the page shows as "<5"."""
    return isinstance(value, Hidden) or 0 < value < 5


def _lines_of(table):
    """Every row and column of a cross table with its total: (counts, total)."""
    cells = [[n for _s, n in row_cells] for _p, _l, row_cells, _t in table.rows]
    lines = [(row, total) for row, (_p, _l, _c, total) in zip(cells, table.rows, strict=True)]
    lines += [([row[c] for row in cells], total) for c, total in enumerate(table.totals)]
    lines.append(([total for _p, _l, _c, total in table.rows], table.total))
    lines.append((table.totals, table.total))
    return lines


def test_no_hidden_count_can_be_worked_out_from_the_totals(client, staff):
    # One LDE worker in voortraject beside larger groups: without secondary suppression
    # the row total minus the shown cells gives the hidden cell away.
    first, second = OrganisationFactory(), OrganisationFactory()
    for _ in range(2):
        trajectory_with_history(WorkerFactory(organisation=first, statuut=Statuut.LDE), started="2026-02-01")
    for _ in range(6):
        trajectory_with_history(
            WorkerFactory(organisation=second, statuut=Statuut.MAATWERK), started="2026-02-01"
        )
    for _ in range(7):
        WorkerFactory(organisation=second, statuut=Statuut.LDE)
    client.force_login(staff)
    response = client.get(
        reverse("dashboard:federation"), {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    )
    panels = {figure.key: value for figure, value in response.context["dashboard"].panels}
    table = panels["phase_statuut"]
    for counts, total in _lines_of(table):
        line = [*counts, total]
        hidden = [value for value in line if _not_shown(value)]
        assert len(hidden) != 1, f"one hidden count in {line} is the total minus the others"
    assert any(isinstance(n, Hidden) and not n.primary for _p, _l, cells, _t in table.rows for _s, n in cells)
    html = response.content.decode()
    panel = html[html.index('data-figure="phase_statuut"') :]
    panel = panel[: panel.index("</section>")]
    assert "<td>2</td>" not in panel and "&lt;5" in panel and "×" in panel


def test_movements_and_the_monthly_series_hide_together(client, staff):
    org = OrganisationFactory()
    for _ in range(3):
        trajectory_with_history(WorkerFactory(organisation=org), started="2026-02-01")
    for _ in range(9):
        trajectory_with_history(WorkerFactory(organisation=org), started="2026-03-01")
    client.force_login(staff)
    response = client.get(
        reverse("dashboard:federation"), {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    )
    panels = {figure.key: value for figure, value in response.context["dashboard"].panels}
    started = [month.started for month in panels["trends"]] + [panels["movements"]["started"]]
    assert sum(_not_shown(value) for value in started) >= 2  # February (3) and one more


@given(
    st.lists(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5), min_size=1, max_size=5)
)
def test_secondary_suppression_leaves_no_line_with_one_hidden_count(grid):
    width = min(len(row) for row in grid)
    rows = [row[:width] for row in grid]
    table = CrossTable(
        columns=[(str(c), str(c)) for c in range(width)],
        rows=[
            (str(r), str(r), [(str(c), n) for c, n in enumerate(row)], sum(row)) for r, row in enumerate(rows)
        ],
        totals=[sum(row[c] for row in rows) for c in range(width)],
        total=sum(map(sum, rows)),
    )
    shown = suppress_cross_table(table)
    for counts, total in _lines_of(shown):
        line = [*counts, total]
        assert sum(_not_shown(value) for value in line) != 1
        assert not any(isinstance(value, int) and 0 < value < 5 for value in line)


def test_the_figures_are_kept_and_say_as_of_when_until_celery_computes_them_again(
    client, staff, two_organisations
):
    from bwise.dashboard.tasks import refresh_federation_figures

    client.force_login(staff)
    url = reverse("dashboard:federation")
    first = client.get(url)
    as_of = first.context["dashboard"].as_of
    assert as_of is not None
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url)
    # Read from the kept copy: no figure's query ran, and the page says when they were made.
    assert again.context["dashboard"].as_of == as_of
    assert not any("trajects_summary" in query["sql"] for query in kept.captured_queries)
    assert date_format(timezone.localtime(as_of), "TIME_FORMAT") in again.content.decode()
    refresh_federation_figures()
    assert client.get(url).context["dashboard"].as_of > as_of


def test_a_cache_that_does_not_answer_only_costs_the_computation(client, staff, two_organisations, settings):
    # Changing CACHES makes Django open the caches again (and again when the test ends).
    settings.CACHES = {
        **settings.CACHES,
        "figures": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    client.force_login(staff)
    response = client.get(reverse("dashboard:federation"))
    assert response.status_code == 200 and response.context["dashboard"].as_of is not None
