"""Trajectories with a hand-made history, for figures whose right value is known."""

import datetime

from django.utils import timezone

from tests.factories import WorkerFactory
from trajects.models import Trajectory, TrajectoryTransition
from trajects.state import TRANSITIONS, Phase, Status, Trigger


def at(day: str, hour: int = 12) -> datetime.datetime:
    """A local moment: "2026-03-01" at noon unless told."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def trajectory_with_history(worker=None, *, started: str, steps=(), started_hour: int = 12, **worker_fields):
    """``steps``: (transition name, day, outcome or None), replayed like trajects.demo does."""
    worker = worker or WorkerFactory(**worker_fields)
    start = at(started, started_hour)
    trajectory = Trajectory.objects.create(
        worker=worker, trigger=Trigger.OWN_REQUEST, started_at=start, phase_since=start
    )
    TrajectoryTransition.objects.create(
        trajectory=trajectory, name="start", at=start, to_phase=Phase.VOORTRAJECT, to_status=Status.OPEN
    )
    phase, status = Phase.VOORTRAJECT, Status.OPEN
    for name, day, outcome in steps:
        step = TRANSITIONS[name]
        moment = at(day) if isinstance(day, str) else day
        to_phase = step.to_phase or phase
        TrajectoryTransition.objects.create(
            trajectory=trajectory,
            name=name,
            at=moment,
            from_phase=phase,
            to_phase=to_phase,
            from_status=status,
            to_status=step.to_status,
            outcome=outcome or "",
        )
        if to_phase != phase:
            trajectory.phase_since = moment
        phase, status = to_phase, step.to_status
        if step.is_close:
            trajectory.outcome, trajectory.closed_at = outcome, moment
    trajectory.phase, trajectory.status = phase, status
    trajectory.save()
    return trajectory
