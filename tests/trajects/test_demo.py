import datetime

import pytest
from django.utils import timezone

from bwise.accounts.demo import seed_demo, seed_scale
from bwise.dashboard import figures
from bwise.dashboard.period import Period
from bwise.dashboard.tallies import Tallies
from trajects.filters import LEFT
from trajects.models import (
    CoachingMoment,
    EmploymentEndReason,
    Summary,
    Trajectory,
    TrajectoryTransition,
    Worker,
)
from trajects.selectors import caseload_for
from trajects.state import Outcome, Phase, Status

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        Worker.objects.count(),
        Trajectory.objects.count(),
        TrajectoryTransition.objects.count(),
        CoachingMoment.objects.count(),
    )


def test_demo_covers_every_phase_and_outcome_and_is_idempotent():
    ctx = seed_demo()
    _has_workers_who_left_for_every_reason_out_of_the_caseload_and_today_s_figures(ctx)
    current = Trajectory.objects.exclude(status=Status.CLOSED)
    assert set(current.values_list("phase", flat=True)) == set(Phase.values)
    assert current.filter(status=Status.PAUSED).exists()
    assert set(Trajectory.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert Worker.objects.filter(statuut="").count() == 0
    # Each phase takes as long as it takes: not one number of days for everyone.
    first_steps = {
        (steps[1].at - steps[0].at).days
        for steps in (list(t.transitions.order_by("at", "pk")) for t in Trajectory.objects.all())
        if len(steps) > 1
    }
    assert len(first_steps) > 3
    for trajectory in Trajectory.objects.all():
        steps = list(trajectory.transitions.order_by("at", "pk"))
        assert steps[0].name == "start"
        last = steps[-1]
        assert (last.to_phase, last.to_status) == (trajectory.phase, trajectory.status)
    before = _snapshot()
    seed_demo()
    assert _snapshot() == before


def _workers_who_left(organisation):
    return Worker.objects.filter(organisation=organisation).left_by(timezone.localdate())


def _has_workers_who_left_for_every_reason_out_of_the_caseload_and_today_s_figures(ctx):
    organisation = ctx.organisations[0]
    left = _workers_who_left(organisation)
    assert set(left.values_list("employment_end_reason", flat=True)) == set(EmploymentEndReason.values)
    # Who moved on to the regular economy ended here as their hire proposes.
    for extern in left.filter(employment_end_reason=EmploymentEndReason.EXTERN):
        assert extern.employment_end == extern.hires.get().start_date - datetime.timedelta(days=1)
        assert extern.employment_end_c4_reason

    hr = ctx.users["hr"]
    caseload = set(caseload_for(hr, {}).qs.values_list("pk", flat=True))
    left_filter = set(caseload_for(hr, {"employment": LEFT}).qs.values_list("pk", flat=True))
    assert left_filter == set(left.values_list("pk", flat=True))
    assert not caseload & left_filter

    employed = Worker.objects.filter(organisation=organisation).employed_on(timezone.localdate())
    tallies = Tallies(Summary.objects.filter(organisation=organisation))
    phase_statuut = figures.phase_statuut_tallied(tallies, Period.this_year())
    assert phase_statuut == figures.phase_statuut(
        Worker.objects.filter(organisation=organisation), Period.this_year()
    )
    assert sum(total for *_row, total in phase_statuut.rows) == employed.count() == len(caseload)


def test_scale_creates_trajectories_with_history():
    organisation = seed_scale(workers=120, organisation_name="Schaal vzw")
    assert Trajectory.objects.filter(worker__organisation=organisation).count() == 120
    assert TrajectoryTransition.objects.filter(trajectory__worker__organisation=organisation).count() > 240
    seed_scale(workers=120, organisation_name="Schaal vzw")
    assert Trajectory.objects.filter(worker__organisation=organisation).count() == 120
