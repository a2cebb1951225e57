import pytest

from bwise.accounts.demo import seed_demo, seed_scale
from trajects.models import CoachingMoment, Trajectory, TrajectoryTransition, Worker
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
    seed_demo()
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


def test_scale_creates_trajectories_with_history():
    organisation = seed_scale(workers=120, organisation_name="Schaal vzw")
    assert Trajectory.objects.filter(worker__organisation=organisation).count() == 120
    assert TrajectoryTransition.objects.filter(trajectory__worker__organisation=organisation).count() > 240
    seed_scale(workers=120, organisation_name="Schaal vzw")
    assert Trajectory.objects.filter(worker__organisation=organisation).count() == 120
