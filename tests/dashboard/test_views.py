"""The dashboard page, its lists and exports: who sees what, and what the files hold."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bwise.accounts.models import Role
from bwise.audit.models import AccessAction, AccessLog
from tests.factories import UserFactory, WorkerFactory
from tests.factories_dashboard import trajectory_with_history
from tests.factories_trajects import reach
from trajects.models import Statuut, Trajectory, TrajectoryTransition, Worker
from trajects.services import teams_sync
from trajects.state import Outcome, Phase, Trigger

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def data(organisation, directie):
    coach = UserFactory(organisation=organisation, roles=[Role.COACH], first_name="Lotte", last_name="P")
    a = WorkerFactory(
        organisation=organisation, coach=coach, team="Atelier", statuut=Statuut.LDE, last_name="Aerts"
    )
    b = WorkerFactory(
        organisation=organisation, coach=coach, team="Keuken", statuut=Statuut.LDE, last_name="Baert"
    )
    trajectory_with_history(a, started="2026-02-01")
    trajectory_with_history(b, started="2026-03-01", steps=[("close", "2026-04-01", Outcome.INTERN)])
    outsider = WorkerFactory(team="Atelier", last_name="Buiten")  # another organisation
    trajectory_with_history(outsider, started="2026-02-01")
    return {"a": a, "b": b, "coach": coach}


def get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


@pytest.mark.parametrize("role", [Role.COACH, Role.BEGELEIDER, Role.BEHEERDER])
def test_only_director_and_hr_open_the_dashboard(client, make_user, role):
    assert get(client, make_user(role), "dashboard:dashboard").status_code == 403
    assert get(client, make_user(role), "dashboard:workers", list="all").status_code == 403


def test_hr_opens_the_dashboard(client, hr):
    assert get(client, hr, "dashboard:dashboard").status_code == 200


def test_dashboard_counts_own_organisation_and_follows_filters(client, directie, data):
    period = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    page = get(client, directie, "dashboard:dashboard", **period)
    movements = dict(page.context["dashboard"].panels)
    values = {figure.key: value for figure, value in page.context["dashboard"].panels}
    assert values["movements"]["started"] == 2
    assert values["movements"]["intern"] == 1
    assert movements  # every panel computed
    page = get(client, directie, "dashboard:dashboard", team="Atelier", **period)
    values = {figure.key: value for figure, value in page.context["dashboard"].panels}
    assert values["movements"] == {"started": 1, "intern": 0, "extern": 0, "back_to_sec": 0, "stopped": 0}
    assert "list=movement_started" in page.content.decode()


def test_default_period_is_this_calendar_year(client, directie):
    from django.utils import timezone

    page = get(client, directie, "dashboard:dashboard")
    period = page.context["dashboard"].period
    year = timezone.localdate().year
    assert (period.start.isoformat(), period.end.isoformat()) == (f"{year}-01-01", f"{year}-12-31")


def test_bad_period_answers_the_forms_message(client, directie):
    page = get(client, directie, "dashboard:dashboard", date_from="2026-05-01", date_to="2026-01-01")
    assert page.status_code == 400
    assert page.context["errors"]
    assert get(client, directie, "dashboard:dashboard", date_from="nonsense").status_code == 400


def test_list_behind_a_figure_and_its_export(client, directie, data):
    params = {"date_from": "2026-01-01", "date_to": "2026-12-31", "list": "movement_intern"}
    page = get(client, directie, "dashboard:workers", **params)
    assert [w.pk for w in page.context["object_list"]] == [data["b"].pk]
    response = get(client, directie, "dashboard:workers", format="csv", **params)
    rows = read_csv(response)
    assert len(rows) == 2 and rows[1][0] == data["b"].full_name
    log = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert log.user == directie and "movement_intern" in log.record_id
    response = get(client, directie, "dashboard:workers", format="xlsx", **params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][0] == data["b"].full_name
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 2


def test_unknown_list_or_format_is_404(client, directie):
    assert get(client, directie, "dashboard:workers", list="nope").status_code == 404
    assert get(client, directie, "dashboard:workers", list="all", format="pdfx").status_code == 404
    assert get(client, directie, "dashboard:export", figure="nope", format="csv").status_code == 404


def test_figure_table_export(client, directie, data):
    response = get(
        client, directie, "dashboard:export", figure="movements", format="csv", date_from="2026-01-01"
    )
    rows = read_csv(response)
    assert [row[1] for row in rows[1:]] == ["2", "1", "0", "0", "0"]
    assert 'filename="movements-2026-01-01-2026-12-31.csv"' in response["Content-Disposition"]
    response = get(client, directie, "dashboard:export", figure="phase_statuut", format="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 7  # header, four phases, none open, total
    assert sheet.cell(row=7, column=sheet.max_column).value == 2


def test_caseload_export_uses_the_caseload_scope(client, data, organisation):
    coach = data["coach"]
    other_coach_worker = WorkerFactory(organisation=organisation, last_name="Anders")
    client.force_login(coach)
    response = client.get(reverse("trajects:caseload"), {"format": "csv", "team": "Atelier"})
    names = [f"{row[1]} {row[2]}" for row in read_csv(response)[1:]]
    assert names == [data["a"].full_name]
    assert other_coach_worker.full_name not in names
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, user=coach).count() == 1
    assert client.get(reverse("trajects:caseload"), {"format": "exe"}).status_code == 404


def test_export_neutralises_formulas():
    from bwise.privacy.exports import export_response

    response = export_response(headers=["a"], rows=[["=HYPERLINK(1)"]], filename="x", fmt="csv")
    assert read_csv(response)[1] == ["'=HYPERLINK(1)"]


def _bulk_workers(organisation, count, coach):
    workers = Worker.objects.bulk_create(
        Worker(
            organisation=organisation,
            first_name="W",
            last_name=str(i),
            coach=coach,
            team=f"T{i % 3}",
            statuut=Statuut.values[i % 5],
        )
        for i in range(count)
    )
    # Bulk rows skip the worker service, which keeps the team list: keep it as it would.
    teams_sync(organisation_id=organisation.pk, names={worker.team for worker in workers})
    from django.utils import timezone

    now = timezone.now()
    trajectories = [Trajectory(worker=w, trigger=Trigger.OWN_REQUEST, started_at=now) for w in workers[::2]]
    histories = [reach(t, phase=Phase.JOBMATCHING) for t in trajectories]
    Trajectory.objects.bulk_create(trajectories)
    TrajectoryTransition.objects.bulk_create(
        TrajectoryTransition(trajectory=t, **row)
        for t, rows in zip(trajectories, histories, strict=True)
        for row in rows
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_workers(client, directie, organisation):
    coach = UserFactory(organisation=organisation, roles=[Role.COACH])
    client.force_login(directie)
    url = reverse("dashboard:dashboard") + f"?coach={coach.pk}&team=T1"
    _bulk_workers(organisation, 100, coach)
    client.get(url)  # warm caches (session, content types)
    small = _queries(client, url)
    _bulk_workers(organisation, 4900, coach)
    assert Worker.objects.filter(organisation=organisation).count() == 5000
    assert _queries(client, url) == small
    list_url = reverse("dashboard:workers") + "?list=all"
    assert _queries(client, list_url) == _queries(client, list_url)


def test_cross_table_cell_leads_to_its_workers(client, directie, data, organisation):
    WorkerFactory(organisation=organisation, statuut="")  # unknown statuut, no trajectory
    page = get(client, directie, "dashboard:dashboard").content.decode()
    table = page[page.index('data-figure="phase_statuut"') :]
    links = re.findall(r'href="(/dashboard/workers/\?[^"]+)"', table.split("</section>")[0])
    voortraject_lde = next(
        link for link in links if "list=phase_voortraject" in link and "statuut=lde" in link
    )
    response = client.get(voortraject_lde.replace("&amp;", "&"))
    assert [w.pk for w in response.context["object_list"]] == [data["a"].pk]
    unknown = next(link for link in links if "list=phase_none" in link and "statuut=unknown" in link)
    assert response.status_code == 200
    assert client.get(unknown.replace("&amp;", "&")).context["paginator"].count == 1
