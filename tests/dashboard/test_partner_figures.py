"""The partner figures on hand-made data: stages and their conversion, partners by activity, nazorg due."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bwise.dashboard.period import Period
from partners import figures
from tests.factories import OrganisationFactory, PlatformStaffFactory, WorkerFactory
from tests.factories_partners import (
    FollowUpFactory,
    HireFactory,
    PartnerEventFactory,
    PartnerFactory,
    StageFactory,
    VacancyFactory,
    VisitFactory,
)
from tests.factories_trajects import TrajectoryFactory
from trajects.models import Worker
from trajects.state import Status

pytestmark = pytest.mark.django_db

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
MARCH_PARAMS = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
D = datetime.date


def workers_of(org):
    return Worker.objects.filter(organisation=org)


def members(org, key, period=MARCH, **chosen):
    from bwise.dashboard.registry import get_list

    return set(get_list(key).filter(workers_of(org), period, **chosen).values_list("pk", flat=True))


def panel(html, key):
    part = html[html.index(f'data-figure="{key}"') :]
    return part[: part.index("</section>")]


def links(html, key):
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="(/dashboard/workers/\?[^"]+)"', panel(html, key))
    ]


def stage(worker, start, kind="tbs", **kwargs):
    return StageFactory(worker=worker, kind=kind, start_date=start, end_date=None, **kwargs)


def closed_trajectory(worker):
    return TrajectoryFactory(worker=worker, status=Status.CLOSED, closed_at=timezone.now())


@pytest.fixture
def stages(organisation):
    w = {name: WorkerFactory(organisation=organisation, last_name=name) for name in "abcdefgh"}
    # a: two TBS in March (first day and the 20th), hired afterwards on the same trajectory.
    first = stage(w["a"], D(2026, 3, 1))
    stage(w["a"], D(2026, 3, 20), trajectory=first.trajectory)
    HireFactory(worker=w["a"], trajectory=first.trajectory, start_date=D(2026, 4, 15))
    # b: TBS on the last day of the period, no hire.
    stage(w["b"], D(2026, 3, 31))
    # c: TBS without a trajectory, hired later on some trajectory.
    stage(w["c"], D(2026, 3, 5), trajectory=None)
    HireFactory(worker=w["c"], trajectory=closed_trajectory(w["c"]), start_date=D(2026, 3, 5))
    # d: BVS whose hire belongs to another trajectory: not a conversion.
    stage(w["d"], D(2026, 3, 10), kind="bvs")
    HireFactory(worker=w["d"], trajectory=closed_trajectory(w["d"]), start_date=D(2026, 5, 1))
    # e: enclave, hired on its trajectory but before the stage started: not a conversion.
    enclave = stage(w["e"], D(2026, 3, 15), kind="enclave")
    HireFactory(worker=w["e"], trajectory=enclave.trajectory, start_date=D(2026, 3, 10))
    # f, g: the day after and the day before the period, both hired.
    for name, day in (("f", D(2026, 4, 1)), ("g", D(2026, 2, 28))):
        outside = stage(w[name], day, kind="bvs")
        HireFactory(worker=w[name], trajectory=outside.trajectory, start_date=D(2026, 6, 1))
    # h: no stage at all; and a stage in another organisation.
    stage(WorkerFactory(), D(2026, 3, 10))
    return w


def test_stages_by_type_and_conversion(organisation, stages):
    rows = {r.kind: r for r in figures.stages_by_kind(workers_of(organisation), MARCH)}
    assert (rows["tbs"].started, rows["tbs"].workers, rows["tbs"].hired, rows["tbs"].hired_workers) == (
        4,
        3,
        3,
        2,
    )
    assert rows["tbs"].rate == 75.0
    assert (rows["bvs"].started, rows["bvs"].hired) == (1, 0)
    # The enclave is not a stage: its own line, no conversion, and not in the stages together.
    assert (rows["enclave"].started, rows["enclave"].hired, rows["enclave"].rate) == (1, None, None)
    assert (rows["together"].started, rows["together"].workers, rows["together"].hired) == (5, 4, 3)
    pk = {name: w.pk for name, w in stages.items()}
    assert members(organisation, "stage_tbs") == {pk["a"], pk["b"], pk["c"]}
    assert members(organisation, "stage_tbs_hired") == {pk["a"], pk["c"]}
    assert members(organisation, "stage_bvs") == {pk["d"]}
    assert members(organisation, "stage_bvs_hired") == set()
    assert members(organisation, "stage_enclave") == {pk["e"]}
    # Moving the period one day on takes in f's stage and drops a's first one.
    april_first = Period(D(2026, 3, 2), D(2026, 4, 1))
    rows = {r.kind: r for r in figures.stages_by_kind(workers_of(organisation), april_first)}
    assert (rows["tbs"].started, rows["bvs"].started, rows["bvs"].hired) == (3, 2, 1)


def test_stage_links_lead_to_their_workers(client, directie, organisation, stages):
    client.force_login(directie)
    html = client.get(reverse("dashboard:dashboard"), MARCH_PARAMS).content.decode()
    found = links(html, "stages")
    hired = next(link for link in found if "list=stage_tbs_hired" in link)
    assert "date_from=2026-03-01" in hired
    listed = client.get(hired).context["object_list"]
    assert {w.pk for w in listed} == {stages["a"].pk, stages["c"].pk}
    assert "75,0%" in panel(html, "stages")  # the Dutch decimal comma


@pytest.fixture
def activity(organisation):
    busy = PartnerFactory(organisation=organisation, name="Alpha")
    hiring = PartnerFactory(organisation=organisation, name="Beta")
    PartnerFactory(organisation=organisation, name="Quiet")
    VisitFactory(partner=busy, planned_on=D(2026, 2, 20), done_on=D(2026, 3, 1))
    VisitFactory(partner=busy, planned_on=D(2026, 3, 10))  # planned, not done
    VisitFactory(partner=busy, planned_on=D(2026, 3, 31), done_on=D(2026, 4, 1))  # done the day after
    PartnerEventFactory(organisation=organisation, partner=busy, held_on=D(2026, 3, 31))
    VacancyFactory(partner=busy, opened_on=D(2026, 3, 15))
    VacancyFactory(partner=busy, opened_on=D(2026, 2, 28))
    staged = WorkerFactory(organisation=organisation, last_name="Staged")
    stage(staged, D(2026, 3, 1), partner=busy)
    hired_busy = WorkerFactory(organisation=organisation, last_name="HiredAlpha")
    HireFactory(worker=hired_busy, employer=busy, start_date=D(2026, 3, 31))
    HireFactory(worker=WorkerFactory(organisation=organisation), employer=busy, start_date=D(2026, 4, 1))
    hired_beta = [WorkerFactory(organisation=organisation, last_name=f"HiredBeta{i}") for i in range(2)]
    for worker in hired_beta:
        HireFactory(worker=worker, employer=hiring, start_date=D(2026, 3, 1))
    elsewhere = PartnerFactory(name="Elsewhere")
    VisitFactory(partner=elsewhere, planned_on=D(2026, 3, 2), done_on=D(2026, 3, 2))
    return {
        "busy": busy,
        "hiring": hiring,
        "staged": staged,
        "hired_busy": hired_busy,
        "hired_beta": hired_beta,
    }


def test_partners_by_activity_and_hires(organisation, activity):
    rows = figures.partner_activity(workers_of(organisation), MARCH)
    assert [(r["name"], r["visits"], r["events"], r["vacancies"], r["stages"], r["hires"]) for r in rows] == [
        ("Beta", 0, 0, 0, 0, 2),
        ("Alpha", 1, 1, 1, 1, 1),
    ]
    busy, hiring = activity["busy"].pk, activity["hiring"].pk
    assert members(organisation, "partner_hires", partner=busy) == {activity["hired_busy"].pk}
    assert members(organisation, "partner_hires", partner=hiring) == {w.pk for w in activity["hired_beta"]}
    assert members(organisation, "partner_stages", partner=busy) == {activity["staged"].pk}


def test_partner_links_lead_to_their_workers(client, directie, organisation, activity):
    client.force_login(directie)
    html = client.get(reverse("dashboard:dashboard"), MARCH_PARAMS).content.decode()
    assert "Quiet" not in panel(html, "partners")
    hires = next(
        link
        for link in links(html, "partners")
        if "list=partner_hires" in link and f"partner={activity['hiring'].pk}" in link
    )
    response = client.get(hires)
    assert {w.pk for w in response.context["object_list"]} == {w.pk for w in activity["hired_beta"]}
    # The export of that list keeps the partner.
    export = client.get(hires + "&format=csv")
    assert export.status_code == 200
    # A list for one partner needs a valid partner id.
    assert client.get(reverse("dashboard:workers"), {"list": "partner_hires"}).status_code == 404
    assert (
        client.get(reverse("dashboard:workers"), {"list": "partner_hires", "partner": "x"}).status_code == 404
    )


def test_partner_lists_never_show_another_organisations_workers(client, directie, organisation):
    foreign = HireFactory(worker=WorkerFactory(), start_date=D(2026, 3, 5))
    client.force_login(directie)
    response = client.get(
        reverse("dashboard:workers"),
        {**MARCH_PARAMS, "list": "partner_hires", "partner": foreign.employer_id},
    )
    assert response.status_code == 200
    assert response.context["paginator"].count == 0


def test_nazorg_contacts_due_and_overdue(organisation):
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=60), today + datetime.timedelta(days=30))
    late, current, later = (WorkerFactory(organisation=organisation) for _ in range(3))
    late_hire = HireFactory(worker=late)
    FollowUpFactory(hire=late_hire, due_on=today - datetime.timedelta(days=1))  # overdue
    FollowUpFactory(hire=late_hire, due_on=today - datetime.timedelta(days=90))  # overdue, before the period
    FollowUpFactory(hire=late_hire, due_on=today - datetime.timedelta(days=5), done_on=today)  # done
    FollowUpFactory(hire=HireFactory(worker=current), due_on=today)  # due today: not overdue
    later_hire = HireFactory(worker=later)
    FollowUpFactory(hire=later_hire, due_on=period.end)  # the period's last day
    FollowUpFactory(hire=later_hire, due_on=period.end + datetime.timedelta(days=1))  # the day after
    FollowUpFactory(due_on=today - datetime.timedelta(days=3))  # another organisation
    result = figures.nazorg_due(workers_of(organisation), period)
    assert result == {"due": 4, "due_workers": 3, "overdue": 2, "overdue_workers": 1}
    assert members(organisation, "nazorg_due", period) == {late.pk, current.pk, later.pk}
    assert members(organisation, "nazorg_overdue", period) == {late.pk}
    # A period that ended yesterday: only what was due by then, all of it overdue.
    past = Period(today - datetime.timedelta(days=60), today - datetime.timedelta(days=1))
    assert figures.nazorg_due(workers_of(organisation), past) == {
        "due": 2,
        "due_workers": 1,
        "overdue": 2,
        "overdue_workers": 1,
    }


def test_nazorg_link_leads_to_its_workers(client, directie, organisation):
    today = timezone.localdate()
    late = WorkerFactory(organisation=organisation)
    FollowUpFactory(hire=HireFactory(worker=late), due_on=today - datetime.timedelta(days=2))
    FollowUpFactory(hire=HireFactory(worker=WorkerFactory(organisation=organisation)), due_on=today)
    client.force_login(directie)
    html = client.get(reverse("dashboard:dashboard")).content.decode()
    overdue = next(link for link in links(html, "nazorg") if "list=nazorg_overdue" in link)
    assert [w.pk for w in client.get(overdue).context["object_list"]] == [late.pk]


def test_empty_data_gives_zeros(organisation):
    PartnerFactory(organisation=organisation)
    workers = workers_of(organisation)
    assert [(r.kind, r.started, r.hired, r.rate) for r in figures.stages_by_kind(workers, MARCH)] == [
        ("tbs", 0, 0, None),
        ("bvs", 0, 0, None),
        ("together", 0, 0, None),
        ("enclave", 0, None, None),
    ]
    assert figures.partner_activity(workers, MARCH) == []
    assert figures.nazorg_due(workers, MARCH) == {
        "due": 0,
        "due_workers": 0,
        "overdue": 0,
        "overdue_workers": 0,
    }


def test_empty_dashboard_renders_the_partner_figures(client, directie):
    client.force_login(directie)
    html = client.get(reverse("dashboard:dashboard"), MARCH_PARAMS).content.decode()
    for key in ("stages", "partners", "nazorg"):
        assert f'data-figure="{key}"' in html
    assert "Geen partneractiviteit in de periode." in panel(html, "partners")


def test_figure_exports(client, directie, organisation, activity):
    client.force_login(directie)
    response = client.get(
        reverse("dashboard:export"), {**MARCH_PARAMS, "figure": "partners", "format": "csv"}
    )
    body = response.content.decode("utf-8-sig")
    assert "Beta;0;0;0;0;2" in body and "Alpha;1;1;1;1;1" in body


@pytest.fixture
def staff():
    return PlatformStaffFactory()


def test_federation_hides_partner_names_and_small_counts(client, staff):
    first, second = OrganisationFactory(), OrganisationFactory()
    for i in range(6):  # six TBS over both organisations, two of them hired afterwards
        worker = WorkerFactory(organisation=first if i % 2 else second)
        started = stage(worker, D(2026, 3, 2))
        if i < 2:
            HireFactory(
                worker=worker,
                trajectory=started.trajectory,
                employer__name=f"Secret{i}",
                start_date=D(2026, 5, 1),
            )
    client.force_login(staff)
    response = client.get(reverse("dashboard:federation"), MARCH_PARAMS)
    html = response.content.decode()
    keys = {figure.key for figure, _value in response.context["dashboard"].panels}
    assert "partners" not in keys and {"stages", "nazorg"} <= keys
    assert "Secret" not in html
    stages_panel = panel(html, "stages")
    assert "<td>6</td>" in stages_panel
    assert "&lt;5" in stages_panel and "<td>2</td>" not in stages_panel
    assert "33.3%" not in stages_panel  # a rate on a small count is hidden too
    assert "dashboard/workers" not in html


def _dashboard_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard:dashboard"), MARCH_PARAMS).status_code == 200
    return len(captured)


def _partner_data(organisation, count):
    for _ in range(count):
        worker = WorkerFactory(organisation=organisation)
        started = stage(worker, D(2026, 3, 3))
        hire = HireFactory(worker=worker, trajectory=started.trajectory, start_date=D(2026, 3, 20))
        FollowUpFactory(hire=hire, due_on=D(2026, 3, 27))
        VisitFactory(partner=hire.employer, planned_on=D(2026, 3, 4), done_on=D(2026, 3, 4))


def test_partner_figures_take_as_many_queries_for_more_data(client, directie, organisation):
    client.force_login(directie)
    _partner_data(organisation, 2)
    client.get(reverse("dashboard:dashboard"), MARCH_PARAMS)  # warm caches
    small = _dashboard_queries(client)
    _partner_data(organisation, 25)
    assert _dashboard_queries(client) == small
