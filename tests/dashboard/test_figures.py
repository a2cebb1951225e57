"""Each figure on hand-made data where the right value is known, incl. period edges and no data."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from bwise.dashboard import figures
from bwise.dashboard.period import Period
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory
from tests.factories_competenties import PlanFactory
from tests.factories_dashboard import at, trajectory_with_history
from trajects.models import Statuut, Worker
from trajects.state import PHASE_ORDER, Outcome, Phase, Status

pytestmark = pytest.mark.django_db

YEAR_2026 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.fixture
def org():
    return OrganisationFactory()


def workers_of(org):
    return Worker.objects.filter(organisation=org)


def test_empty_organisation_gives_zeros_everywhere(org):
    workers = workers_of(org)
    assert figures.phase_statuut(workers, YEAR_2026).total == 0
    assert figures.movements(workers, YEAR_2026) == {
        "started": 0,
        "intern": 0,
        "extern": 0,
        "back_to_sec": 0,
        "stopped": 0,
    }
    assert [(r.year, r.active, r.intern_rate) for r in figures.doorstroom_rates(workers, YEAR_2026)] == [
        (2026, 0, None)
    ]
    assert all(d.count == 0 and d.median is None for d in figures.phase_durations(workers, YEAR_2026))
    assert figures.obligations(workers, YEAR_2026) == {
        "pop_due": 0,
        "pop_overdue": 0,
        "lde_near": 0,
        "lde_passed": 0,
        "warning_days": 30,
    }
    assert figures.coach_caseloads(workers, YEAR_2026) == []
    trends = figures.monthly_trends(workers, YEAR_2026)
    assert len(trends) == 12 and all(m.started == m.closed == 0 for m in trends)


def test_phase_statuut_cross_table(org):
    for phase, statuut in [
        (Phase.VOORTRAJECT, Statuut.LDE),
        (Phase.VOORTRAJECT, Statuut.LDE),
        (Phase.JOBMATCHING, Statuut.MAATWERK),
        (Phase.STAGE, ""),
    ]:
        advances = PHASE_ORDER[1 : PHASE_ORDER.index(phase) + 1]
        steps = [(f"to_{target.value}", "2026-01-06", None) for target in advances]
        worker = WorkerFactory(organisation=org, statuut=statuut)
        trajectory_with_history(worker, started="2026-01-05", steps=steps)
    WorkerFactory(organisation=org, statuut=Statuut.ARTIKEL_60)  # no trajectory
    closed = trajectory_with_history(
        WorkerFactory(organisation=org, statuut=Statuut.LDE),
        started="2025-01-05",
        steps=[("close", "2025-06-01", Outcome.STOPGEZET)],
    )
    assert closed.status == Status.CLOSED
    table = figures.phase_statuut(workers_of(org), YEAR_2026)
    cells = {phase: dict(c) for phase, _label, c, _total in table.rows}
    assert cells["voortraject"]["lde"] == 2
    assert cells["jobmatching"]["maatwerk"] == 1
    assert cells["stage"]["unknown"] == 1
    # A closed trajectory counts as none open.
    assert cells["none"]["artikel_60"] == 1 and cells["none"]["lde"] == 1
    assert table.total == 6
    assert {row[0]: row[3] for row in table.rows}["voortraject"] == 2


def test_movements_respect_period_edges(org):
    w = lambda: WorkerFactory(organisation=org)  # noqa: E731
    # Started on the first and last day of the period, at the edges of the day.
    trajectory_with_history(w(), started="2026-01-01", started_hour=0)
    trajectory_with_history(w(), started="2026-12-31", started_hour=23)
    # Just outside: the day before and the day after.
    trajectory_with_history(w(), started="2025-12-31", started_hour=23)
    trajectory_with_history(w(), started="2027-01-01", started_hour=0)
    steps_to_stage = [("to_jobmatching", "2025-03-01", None), ("to_stage", "2025-04-01", None)]
    trajectory_with_history(w(), started="2025-02-01", steps=[("close", "2026-03-01", Outcome.INTERN)])
    trajectory_with_history(
        w(), started="2025-02-01", steps=[*steps_to_stage, ("close", "2026-12-31", Outcome.TERUG_NAAR_SEC)]
    )
    trajectory_with_history(w(), started="2025-02-01", steps=[("close", "2025-12-31", Outcome.STOPGEZET)])
    trajectory_with_history(w(), started="2025-02-01", steps=[("close", "2026-05-05", Outcome.STOPGEZET)])
    result = figures.movements(workers_of(org), YEAR_2026)
    assert result == {"started": 2, "intern": 1, "extern": 0, "back_to_sec": 1, "stopped": 1}
    members = figures._movement_list("started")(workers_of(org), YEAR_2026)
    assert members.count() == 2


def test_doorstroom_rate_per_year(org):
    w = lambda: WorkerFactory(organisation=org)  # noqa: E731
    # Open during 2025 and 2026, still open.
    trajectory_with_history(w(), started="2025-06-01")
    trajectory_with_history(w(), started="2025-06-01")
    # Closed internally in 2026: open during 2025 and 2026.
    trajectory_with_history(w(), started="2025-06-01", steps=[("close", "2026-02-01", Outcome.INTERN)])
    # Closed internally in 2025: counts for 2025 only.
    trajectory_with_history(w(), started="2025-01-10", steps=[("close", "2025-03-01", Outcome.INTERN)])
    # Started in 2026.
    trajectory_with_history(w(), started="2026-04-01")
    period = Period(datetime.date(2025, 7, 1), datetime.date(2026, 3, 31))
    rates = {r.year: r for r in figures.doorstroom_rates(workers_of(org), period)}
    assert (rates[2025].active, rates[2025].intern, rates[2025].extern) == (4, 1, 0)
    assert rates[2025].intern_rate == 25.0
    assert (rates[2026].active, rates[2026].intern) == (4, 1)
    assert rates[2026].extern_rate == 0.0


def test_time_per_phase_percentiles(org):
    # Voortraject stays of 10, 20, 30 and 40 days, left in 2026; one of 50 days left in 2025.
    for days in (10, 20, 30, 40):
        left = datetime.date(2026, 3, 1) + datetime.timedelta(days=days)
        trajectory_with_history(
            WorkerFactory(organisation=org),
            started=(left - datetime.timedelta(days=days)).isoformat(),
            steps=[("to_jobmatching", left.isoformat(), None)],
        )
    trajectory_with_history(
        WorkerFactory(organisation=org), started="2025-10-01", steps=[("to_jobmatching", "2025-11-20", None)]
    )
    # A pause counts; the time after closing does not: 5 + 5 days in voortraject.
    trajectory_with_history(
        WorkerFactory(organisation=org),
        started="2026-06-01",
        steps=[("pause", "2026-06-06", None), ("close", "2026-06-11", Outcome.STOPGEZET)],
    )
    # Still in voortraject: not counted.
    trajectory_with_history(WorkerFactory(organisation=org), started="2026-01-01")
    durations = {d.phase: d for d in figures.phase_durations(workers_of(org), YEAR_2026)}
    voor = durations["voortraject"]
    assert voor.count == 5  # 10, 10, 20, 30, 40
    assert voor.median == 20.0
    assert voor.p25 == 10.0
    assert voor.p75 == 30.0
    # Job matching is still going on for all of them.
    assert durations["jobmatching"].count == 0


def test_pops_and_lde_limit(org, settings):
    today = timezone.localdate()
    settings.LDE_WARNING_MONTHS = 12
    on_time = WorkerFactory(organisation=org)
    PlanFactory(
        worker=on_time, year=today.year, status="agreed", agreed_on=today - datetime.timedelta(days=100)
    )
    due = WorkerFactory(organisation=org)
    PlanFactory(worker=due, year=today.year, status="agreed", agreed_on=today - datetime.timedelta(days=350))
    late = WorkerFactory(organisation=org)
    PlanFactory(
        worker=late, year=today.year - 1, status="agreed", agreed_on=today - datetime.timedelta(days=400)
    )
    draft_only = WorkerFactory(organisation=org)  # a draft is no POP: overdue
    PlanFactory(worker=draft_only, year=today.year, status="draft")
    five = relativedelta(years=5)
    WorkerFactory(organisation=org, statuut=Statuut.LDE, statuut_start=today - five + relativedelta(months=6))
    WorkerFactory(
        organisation=org, statuut=Statuut.LDE, statuut_start=today - five + relativedelta(months=13)
    )
    WorkerFactory(organisation=org, statuut=Statuut.LDE, statuut_start=today - five)  # limit today: passed
    WorkerFactory(organisation=org, statuut=Statuut.MAATWERK, statuut_start=today - five)
    result = figures.obligations(workers_of(org), YEAR_2026)
    assert result["pop_due"] == 1
    # late, draft_only and the four without any POP.
    assert result["pop_overdue"] == 6
    assert result["lde_near"] == 1
    assert result["lde_passed"] == 1


def test_coach_caseloads(org):
    anna = UserFactory(organisation=org, first_name="Anna", last_name="A")
    bert = UserFactory(organisation=org, first_name="Bert", last_name="B")
    for _ in range(3):
        trajectory_with_history(WorkerFactory(organisation=org, coach=anna), started="2026-01-01")
    WorkerFactory(organisation=org, coach=anna)
    WorkerFactory(organisation=org, coach=bert)
    WorkerFactory(organisation=org, coach=None)
    rows = figures.coach_caseloads(workers_of(org), YEAR_2026)
    assert [(r["name"], r["workers"], r["open"]) for r in rows] == [
        ("Anna A", 4, 3),
        ("Bert B", 1, 0),
        ("geen coach", 1, 0),
    ]


def test_monthly_trends(org):
    w = lambda: WorkerFactory(organisation=org)  # noqa: E731
    trajectory_with_history(w(), started="2026-01-01", started_hour=0)
    trajectory_with_history(w(), started="2026-01-31", started_hour=23)
    trajectory_with_history(w(), started="2026-02-01", steps=[("close", "2026-03-31", Outcome.INTERN)])
    trajectory_with_history(w(), started="2025-12-31", started_hour=23)
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    trends = figures.monthly_trends(workers_of(org), period)
    assert [(m.month.month, m.started, m.closed) for m in trends] == [(1, 2, 0), (2, 1, 0), (3, 0, 1)]


def test_other_organisations_never_count(org):
    trajectory_with_history(WorkerFactory(), started="2026-03-01")
    assert figures.movements(workers_of(org), YEAR_2026)["started"] == 0


def test_period_months_and_bounds():
    period = Period(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1))
    assert [m.isoformat() for m in period.months] == ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]
    assert period.end_at == at("2026-02-02", 0)


def test_trend_chart_is_plain_svg_and_hides_small_bars_across_organisations():
    from bwise.dashboard.charts import trends_svg

    months = [figures.MonthCount(datetime.date(2026, m, 1), m, 0) for m in range(1, 13)]
    svg = trends_svg(months)
    assert svg.startswith("<svg") and "<script" not in svg
    assert svg.count("<rect") == 24 + 2  # two bars per month, two legend keys
    hidden = trends_svg(months, hide_small=True)
    assert hidden.count("<rect") == 8 + 2  # months 5..12 reach five
