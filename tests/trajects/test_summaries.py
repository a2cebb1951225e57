"""The summaries the services keep equal what the direct SQL computes (``trajects.summaries``),
and the dashboard's figures read from them equal the figures computed directly."""

import contextlib
import datetime
import random

import pytest
from django.utils import timezone

from bwise.core.errors import DomainError
from bwise.dashboard import figures, overview
from bwise.dashboard.period import Period
from bwise.dashboard.tallies import Tallies, percentile
from bwise.roles import Role
from competenties.models import PlanKind, PlanStatus
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory
from tests.factories_competenties import PlanFactory
from tests.factories_trajects import IntakeFactory, JobDefinitionFactory
from trajects import services, summaries
from trajects.models import EmploymentEndReason, Statuut, Summary, SummaryState, Trajectory, Worker
from trajects.state import Trigger, available_transitions, outcomes_for

pytestmark = pytest.mark.django_db

TEAMS = ["", "Atelier", "Groen"]


def _step(rng, worker, by):
    """One random change a user could make through the services; refusals are fine."""
    worker.refresh_from_db()
    current = Trajectory.objects.unscoped(reason="a test").filter(worker=worker).current().first()
    choice = rng.random()
    if choice < 0.25:
        worker.statuut = rng.choice([*Statuut.values, ""])
        worker.team = rng.choice(TEAMS)
        if worker.statuut == Statuut.LDE:
            worker.statuut_start = timezone.localdate() - datetime.timedelta(days=rng.randrange(1500, 2000))
        services.worker_save(worker=worker, by=by)
    elif current is None:
        trajectory = services.trajectory_start(worker=worker, trigger=Trigger.OWN_REQUEST, by=by)
        # What moving on to job matching asks for.
        IntakeFactory(trajectory=trajectory, completed_on=timezone.localdate())
        JobDefinitionFactory(trajectory=trajectory)
    elif choice < 0.35:
        with summaries.tracking(worker.organisation_id, [worker.pk]):
            PlanFactory(
                worker=worker,
                kind=PlanKind.POP,
                status=PlanStatus.AGREED,
                agreed_on=timezone.localdate() - datetime.timedelta(days=rng.randrange(300, 400)),
            )
    else:
        transition = rng.choice(available_transitions(current.phase, current.status))
        outcomes = [value for value, _label in outcomes_for(current.phase)]
        services.trajectory_transition(
            trajectory=current,
            transition=transition.name,
            by=by,
            reason="Een reden",
            outcome=rng.choice(outcomes) if transition.is_close else None,
        )


@pytest.fixture
def organisation():
    return OrganisationFactory()


def test_summaries_after_random_changes_equal_the_direct_sql(organisation):
    by = UserFactory(organisation=organisation, roles=[Role.HR, Role.COACH])
    workers = WorkerFactory.create_batch(6, organisation=organisation, coach=by, team="Atelier")
    other = WorkerFactory()  # another organisation's changes never count here
    summaries.recompute(organisation.pk)
    rng = random.Random(20261201)
    for step in range(80):
        # A step the table or a guard refuses changes nothing.
        with contextlib.suppress(DomainError):
            _step(rng, rng.choice(workers), by)
        if step % 20 == 19:
            assert summaries.stored(organisation.pk) == summaries.direct(organisation.pk)
    services.trajectory_start(worker=other, trigger=Trigger.OWN_REQUEST, by=other.coach)
    stored = summaries.stored(organisation.pk)
    assert stored == summaries.direct(organisation.pk)
    assert {key[1] for key in stored} >= {"now", "coach", "started", "entered", "active"}

    # The figures read from them equal the figures computed from all the records.
    period = Period.this_year()
    tallies = Tallies(Summary.objects.filter(organisation=organisation))
    all_workers = Worker.objects.filter(organisation=organisation)
    for figure in (
        "phase_statuut",
        "movements",
        "doorstroom_rates",
        "obligations",
        "coach_caseloads",
        "monthly_trends",
    ):
        direct = getattr(figures, figure)(all_workers, period)
        assert getattr(figures, f"{figure}_tallied")(tallies, period) == direct, figure
    for statuut in (Statuut.LDE, ""):
        filtered = Tallies(tallies.rows, statuut=statuut)
        direct = figures.phase_statuut(all_workers.filter(statuut=statuut), period)
        assert figures.phase_statuut_tallied(filtered, period) == direct
    for figure in ("headlines", "phase_flow", "deadlines"):
        direct = getattr(overview, figure)(all_workers, period)
        assert getattr(overview, f"{figure}_tallied")(tallies, period) == direct, figure
    counts = [d.count for d in figures.phase_durations(all_workers, period)]
    assert [d.count for d in figures.phase_durations_tallied(tallies, period)] == counts


def test_an_organisation_never_computed_keeps_no_summaries(organisation):
    by = UserFactory(organisation=organisation, roles=[Role.HR, Role.COACH])
    worker = WorkerFactory(organisation=organisation, coach=by)
    services.trajectory_start(worker=worker, trigger=Trigger.OWN_REQUEST, by=by)
    assert not Summary.objects.filter(organisation=organisation).exists()
    assert not summaries.computed([organisation.pk])
    summaries.recompute(organisation.pk)
    assert SummaryState.objects.filter(organisation=organisation).exists()
    assert summaries.stored(organisation.pk) == summaries.direct(organisation.pk) != {}


def test_an_organisation_without_workers_counts_as_computed(organisation):
    """Its summaries are exactly none: it does not keep the federation view off the summaries."""
    computed = OrganisationFactory()
    summaries.recompute(computed.pk)
    assert summaries.computed([computed.pk, organisation.pk])
    WorkerFactory(organisation=organisation)
    assert not summaries.computed([computed.pk, organisation.pk])
    assert not summaries.computed([])


def test_a_worker_who_leaves_the_organisation_stops_counting(organisation):
    worker = WorkerFactory(organisation=organisation)
    summaries.recompute(organisation.pk)
    with summaries.tracking(organisation.pk, [worker.pk]):
        Worker.objects.filter(pk=worker.pk).delete()
    assert summaries.stored(organisation.pk) == {}


def _freeze(monkeypatch, day: datetime.date, hour: int, minute: int = 0):
    """The clock stands still at ``hour:minute`` on ``day`` (local time)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_an_end_of_employment_leaves_today_s_figures_on_the_next_day_without_a_recompute(
    organisation, monkeypatch
):
    last_day = datetime.date(2026, 6, 30)
    _freeze(monkeypatch, last_day - datetime.timedelta(days=10), 10)
    coach = UserFactory(organisation=organisation, roles=[Role.HR, Role.COACH])
    leaving, staying = (
        WorkerFactory(
            organisation=organisation,
            coach=coach,
            statuut=Statuut.LDE,
            statuut_start=datetime.date(2021, 10, 1),  # its five-year limit is near
            employment_start=datetime.date(2021, 10, 1),
        )
        for _ in range(2)
    )
    for worker in (leaving, staying):  # each with a POP that falls due soon
        PlanFactory(
            worker=worker, kind=PlanKind.POP, status=PlanStatus.AGREED, agreed_on=datetime.date(2025, 7, 20)
        )
    summaries.recompute(organisation.pk)
    services.employment_end_record(
        worker=leaving, on=last_day, reason=EmploymentEndReason.CONTRACT_END, by=coach
    )
    all_workers = Worker.objects.filter(organisation=organisation)

    def figures_read_from_the_summaries(expected_workers):
        tallies = Tallies(Summary.objects.filter(organisation=organisation))
        period = Period.this_year()
        for figure in ("phase_statuut", "obligations", "coach_caseloads"):
            direct = getattr(figures, figure)(all_workers, period)
            assert getattr(figures, f"{figure}_tallied")(tallies, period) == direct, figure
        for figure in ("headlines", "deadlines"):
            direct = getattr(overview, figure)(all_workers, period)
            assert getattr(overview, f"{figure}_tallied")(tallies, period) == direct, figure
        obligations = figures.obligations_tallied(tallies, period)
        assert (obligations["pop_due"], obligations["lde_near"]) == (expected_workers, expected_workers)
        assert figures.coach_caseloads_tallied(tallies, period)[0]["workers"] == expected_workers

    _freeze(monkeypatch, last_day, 23, 59)  # the last day: still counted
    figures_read_from_the_summaries(2)
    _freeze(monkeypatch, last_day + datetime.timedelta(days=1), 0, 1)  # before any nightly task
    figures_read_from_the_summaries(1)
    # What the services kept is what a full computation finds, whatever the day.
    assert summaries.stored(organisation.pk) == summaries.direct(organisation.pk)


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [
        ([], (None, None, None)),
        ([(10, 1)], (10, 10, 10)),
        ([(10, 1), (20, 1), (30, 1), (40, 1), (50, 1)], (20, 30, 40)),
        ([(10, 3), (20, 1)], (10, 10, 12.5)),
    ],
)
def test_percentile_of_a_histogram_is_percentile_cont(histogram, expected):
    assert tuple(percentile(histogram, q) for q in (0.25, 0.5, 0.75)) == expected
